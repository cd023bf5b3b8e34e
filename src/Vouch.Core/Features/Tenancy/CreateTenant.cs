using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Directory;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Tenancy;

public sealed record CreateTenantRequest(
    string TenantName,
    string OwnerEmail,
    string OwnerName,
    string OwnerPassword,
    string DefaultRegion = "US",
    bool IssueApiKey = false);

public sealed record CreatedTenant(Guid TenantId, Guid OwnerId, string? ApiKey);

/// <summary>Creates an MSP with its first Owner (first-run setup and the <c>init</c> verb), all or nothing.</summary>
public sealed class CreateTenant(VouchDbContext db, UserManager<Member> users, Caller caller, AuditLog audit, TimeProvider clock)
{
    public async Task<Outcome<CreatedTenant>> HandleAsync(CreateTenantRequest request, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(request.TenantName) || request.TenantName.Trim().Length > 200)
        {
            errors.Add("tenant", "must be between 1 and 200 characters");
        }

        if (EmailAddress.Validate(request.OwnerEmail) is { } emailError)
        {
            errors.Add("email", emailError);
        }

        if (!PhoneNumberParser.IsKnownRegion(request.DefaultRegion ?? ""))
        {
            errors.Add("defaultRegion", "must be a two-letter region code such as US or GB");
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        caller.ActAsSystemForAllTenants();
        var normalized = Tenant.Normalize(request.TenantName);
        if (await db.Tenants.AnyAsync(t => t.NameNormalized == normalized, ct))
        {
            return new Conflict("tenant", $"a tenant named '{request.TenantName.Trim()}' already exists");
        }

        if (await users.FindByEmailAsync(request.OwnerEmail.Trim()) is not null)
        {
            return new Conflict("email", "a member with this e-mail address already exists");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.BeginWriteTransactionAsync(ct);
        var tenant = new Tenant(Guid.CreateVersion7(now), request.TenantName, request.DefaultRegion!.ToUpperInvariant(), now);
        db.Tenants.Add(tenant);
        await db.SaveChangesAsync(ct);

        var owner = new Member
        {
            Id = Guid.CreateVersion7(now),
            TenantId = tenant.Id,
            UserName = request.OwnerEmail.Trim(),
            Email = request.OwnerEmail.Trim(),
            EmailConfirmed = true,
            DisplayName = string.IsNullOrWhiteSpace(request.OwnerName) ? request.OwnerEmail.Trim() : request.OwnerName.Trim(),
            Role = MemberRole.Owner,
            CreatedAt = now,
        };
        var created = await users.CreateAsync(owner, request.OwnerPassword);
        if (!created.Succeeded)
        {
            return IdentityErrors.ToFailure(created);
        }

        caller.ActAsSystem(tenant.Id);
        audit.Record("tenant.created", "tenant", tenant.Id.ToString(), tenant.Name);
        audit.Record("member.created", "member", owner.Id.ToString(), $"{owner.Email} as {owner.Role}");
        string? plaintextKey = null;
        if (request.IssueApiKey)
        {
            var (key, plaintext) = ApiKey.Issue(tenant.Id, "initial key", ApiKeyScope.Write, owner.Id, now);
            db.ApiKeys.Add(key);
            audit.Record("api_key.created", "api_key", key.Id.ToString(), $"{key.Name} ({key.Scope})");
            plaintextKey = plaintext;
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new CreatedTenant(tenant.Id, owner.Id, plaintextKey);
    }
}
