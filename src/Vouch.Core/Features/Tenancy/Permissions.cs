namespace Vouch.Core.Features.Tenancy;

/// <summary>What each member role may do. Security decision: only an Owner may grant or take away the Owner role.</summary>
public static class Permissions
{
    public static bool CanSignIn(MemberRole role) => role != MemberRole.Inactive;

    /// <summary>Configuration means integrations, settings, templates, policies, members and API keys.</summary>
    public static bool CanConfigure(MemberRole role) => role is MemberRole.Owner or MemberRole.Admin;

    /// <summary>Whether an actor with <paramref name="actor"/> may move a member from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool CanChangeRole(MemberRole actor, MemberRole from, MemberRole to)
    {
        if (!CanConfigure(actor))
        {
            return false;
        }

        var touchesOwner = from == MemberRole.Owner || to == MemberRole.Owner;
        return !touchesOwner || actor == MemberRole.Owner;
    }
}
