using Microsoft.EntityFrameworkCore;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Directory;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Tenancy;

public sealed record TenantView(Guid Id, string Name, string DefaultRegion, DateTime CreatedAt);

public sealed record UpdateTenantRequest(string? Name, string? DefaultRegion);

/// <summary>Reads the caller's tenant.</summary>
public sealed class GetTenant(VouchDbContext db, Caller caller)
{
    public async Task<TenantView> HandleAsync(CancellationToken ct) =>
        await db.Tenants.AsNoTracking().Where(t => t.Id == caller.TenantId)
            .Select(t => new TenantView(t.Id, t.Name, t.DefaultRegion, t.CreatedAt))
            .SingleAsync(ct);
}

/// <summary>Renames the tenant or changes its default phone region (configuration: Owners and Admins).</summary>
public sealed class UpdateTenant(VouchDbContext db, Caller caller, AuditLog audit, TenantRegions regions, Verification.TenantProfiles profiles)
{
    public async Task<Outcome<TenantView>> HandleAsync(UpdateTenantRequest request, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (request.Name is not null && (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > 200))
        {
            errors.Add("name", "must be between 1 and 200 characters");
        }

        if (request.DefaultRegion is not null && !PhoneNumberParser.IsKnownRegion(request.DefaultRegion))
        {
            errors.Add("defaultRegion", "must be a two-letter region code such as US or GB");
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        if (!caller.CanConfigure)
        {
            return new Forbidden("only Owners, Admins and write keys can change tenant settings");
        }

        // Lock the tenant row before anything else: its audit entry's foreign key share-locks the row, and two changes that
        // both held that lock and then updated the row's unique name would deadlock on PostgreSQL. (SQLite has one writer.)
        await using var transaction = await db.BeginWriteTransactionAsync(ct);
        await db.Tenants.Where(t => t.Id == caller.TenantId).ExecuteUpdateAsync(s => s.SetProperty(t => t.DefaultRegion, t => t.DefaultRegion), ct);
        var tenant = await db.Tenants.SingleAsync(t => t.Id == caller.TenantId, ct);
        if (request.Name is not null)
        {
            var normalized = Tenant.Normalize(request.Name);
            if (normalized != tenant.NameNormalized && await db.Tenants.IgnoreQueryFilters().AnyAsync(t => t.NameNormalized == normalized, ct))
            {
                return new Conflict("name", "another tenant already has this name");
            }

            tenant.Rename(request.Name);
        }

        if (request.DefaultRegion is not null)
        {
            tenant.SetDefaultRegion(request.DefaultRegion.ToUpperInvariant());
        }

        audit.Record("tenant.updated", "tenant", tenant.Id.ToString(), $"name={tenant.Name}; region={tenant.DefaultRegion}");
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        regions.Forget(tenant.Id);
        profiles.Forget(tenant.Id); // the name is in every message and on the link pages
        return new TenantView(tenant.Id, tenant.Name, tenant.DefaultRegion, tenant.CreatedAt);
    }
}
