using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Directory;
using Vouch.Core.Ports;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Tenancy;

public sealed record MemberView(Guid Id, string Email, string DisplayName, MemberRole Role, DateTime CreatedAt, bool LockedOut);

/// <summary>Lists the tenant's members.</summary>
public sealed class ListMembers(VouchDbContext db, TimeProvider clock)
{
    public async Task<IReadOnlyList<MemberView>> HandleAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var members = await db.Members.AsNoTracking().OrderBy(m => m.DisplayName).ToListAsync(ct);
        return members.Select(m => ToView(m, now)).ToList();
    }

    internal static MemberView ToView(Member m, DateTimeOffset now) =>
        new(m.Id, m.Email ?? "", m.DisplayName, m.Role, m.CreatedAt, m.LockoutEnd is { } end && end > now);
}

public sealed record CreateMemberRequest(string? Email, string? DisplayName, string? Password, MemberRole? Role);

/// <summary>An Owner or Admin adds a member directly with a first password.</summary>
public sealed class CreateMember(VouchDbContext db, UserManager<Member> users, Caller caller, AuditLog audit, TimeProvider clock)
{
    public async Task<Outcome<MemberView>> HandleAsync(CreateMemberRequest request, CancellationToken ct)
    {
        var actorRole = MemberRules.ActorRole(caller);
        var errors = new FieldErrors();
        if (EmailAddress.Validate(request.Email) is { } emailError)
        {
            errors.Add("email", emailError);
        }

        if (string.IsNullOrWhiteSpace(request.Password))
        {
            errors.Add("password", "is required");
        }

        if (request.Role is not { } role)
        {
            errors.Add("role", "is required: Owner, Admin, Technician or Inactive");
            return errors.ToFailure();
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        if (actorRole is null || !Permissions.CanChangeRole(actorRole.Value, MemberRole.Technician, role))
        {
            return new Forbidden(role == MemberRole.Owner ? "only an Owner can add an Owner" : "only Owners and Admins can add members");
        }

        var email = request.Email!.Trim();
        if (await users.FindByEmailAsync(email) is not null)
        {
            return new Conflict("email", "a member with this e-mail address already exists");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var member = new Member
        {
            Id = Guid.CreateVersion7(now),
            TenantId = caller.TenantId!.Value,
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = string.IsNullOrWhiteSpace(request.DisplayName) ? email : request.DisplayName.Trim(),
            Role = role,
            CreatedAt = now,
        };

        await using var transaction = await db.BeginWriteTransactionAsync(ct);
        var created = await users.CreateAsync(member, request.Password!);
        if (!created.Succeeded)
        {
            return IdentityErrors.ToFailure(created);
        }

        audit.Record("member.created", "member", member.Id.ToString(), $"{member.Email} as {member.Role}");
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return ListMembers.ToView(member, clock.GetUtcNow());
    }
}

public sealed record ChangeMemberRoleRequest(Guid MemberId, MemberRole? Role);

/// <summary>Changes a member's role; making a member Inactive ends their sessions.</summary>
public sealed class ChangeMemberRole(VouchDbContext db, UserManager<Member> users, Caller caller, AuditLog audit, TimeProvider clock, IMemberSessions sessions)
{
    public async Task<Outcome<MemberView>> HandleAsync(ChangeMemberRoleRequest request, CancellationToken ct)
    {
        if (request.Role is not { } role)
        {
            return Invalid.Field("role", "is required: Owner, Admin, Technician or Inactive");
        }

        var member = await db.Members.SingleOrDefaultAsync(m => m.Id == request.MemberId, ct);
        if (member is null)
        {
            return new NotFound("member");
        }

        var actorRole = MemberRules.ActorRole(caller);
        if (actorRole is null || !Permissions.CanChangeRole(actorRole.Value, member.Role, role))
        {
            return new Forbidden("only an Owner can grant or remove the Owner role, and only Owners and Admins can change roles");
        }

        if (member.Role == role)
        {
            return ListMembers.ToView(member, clock.GetUtcNow());
        }

        if (member.Role == MemberRole.Owner && await db.Members.CountAsync(m => m.Role == MemberRole.Owner, ct) == 1)
        {
            return new Conflict("role", "the last Owner cannot be demoted; make another member Owner first");
        }

        var previous = member.Role;
        member.Role = role;
        // A new security stamp invalidates the member's cookies at the next validation, so a demotion takes effect.
        await using var transaction = await db.BeginWriteTransactionAsync(ct);
        await users.UpdateSecurityStampAsync(member);
        audit.Record("member.role_changed", "member", member.Id.ToString(), $"{member.Email}: {previous} -> {role}");
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        if (!Permissions.CanSignIn(role))
        {
            sessions.EndLiveConnections(member.Id);
        }

        return ListMembers.ToView(member, clock.GetUtcNow());
    }
}

internal static class MemberRules
{
    /// <summary>The role the caller acts with; a write-scoped API key acts as an Admin.</summary>
    public static MemberRole? ActorRole(Caller caller) =>
        caller.Role ?? (caller.Scope == ApiKeyScope.Write ? MemberRole.Admin : null);
}
