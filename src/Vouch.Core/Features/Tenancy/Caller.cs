namespace Vouch.Core.Features.Tenancy;

/// <summary>Who is acting in the current scope (a request, a command-line verb, a job) and for which tenant.</summary>
/// <remarks>
/// The DbContext reads <see cref="TenantId"/> for its query filters, so a scope without a tenant sees no tenant-owned rows.
/// System code that must look across tenants (a key by its hash, a member at sign-in) says so with IgnoreQueryFilters().
/// </remarks>
public sealed class Caller
{
    public Guid? TenantId { get; private set; }

    public ActorKind Kind { get; private set; } = ActorKind.Anonymous;

    public Guid? ActorId { get; private set; }

    public string? ActorName { get; private set; }

    public MemberRole? Role { get; private set; }

    public ApiKeyScope? Scope { get; private set; }

    public string? SourceAddress { get; set; }

    public bool CanConfigure => Kind == ActorKind.System || Scope == ApiKeyScope.Write || (Role is { } role && Permissions.CanConfigure(role));

    public void ActAsMember(Guid tenantId, Guid memberId, string name, MemberRole role)
    {
        Set(tenantId, ActorKind.Member, memberId, name);
        Role = role;
    }

    public void ActAsApiKey(Guid tenantId, Guid keyId, string name, ApiKeyScope scope)
    {
        Set(tenantId, ActorKind.ApiKey, keyId, name);
        Scope = scope;
    }

    /// <summary>Acts for one tenant without a signed-in member: the command line, jobs, first-run setup.</summary>
    public void ActAsSystem(Guid tenantId) => Set(tenantId, ActorKind.System, null, "system");

    /// <summary>Acts as the system before any tenant is chosen: creating a tenant, checking every tenant's audit chain.</summary>
    public void ActAsSystemForAllTenants()
    {
        TenantId = null;
        Kind = ActorKind.System;
        ActorName = "system";
    }

    private void Set(Guid tenantId, ActorKind kind, Guid? id, string name)
    {
        if (TenantId is { } current && current != tenantId)
        {
            throw new InvalidOperationException("A scope cannot act for two tenants.");
        }

        TenantId = tenantId;
        Kind = kind;
        ActorId = id;
        ActorName = name;
    }
}

public enum ActorKind
{
    Anonymous,
    Member,
    ApiKey,
    System,
}
