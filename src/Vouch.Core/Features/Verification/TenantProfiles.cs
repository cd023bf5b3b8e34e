using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Vouch.Core.Features.Delivery;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Verification;

/// <summary>What every send needs to know about its tenant: name, phone region, verification policy and delivery providers.</summary>
public sealed record TenantProfile(string MspName, string Region, VerificationSettings Verification, DeliverySettings Delivery);

/// <summary>
/// Caches each tenant's profile because every verification needs it. A settings change is seen at once on the node that
/// makes it and within <see cref="Lifetime"/> on the others.
/// </summary>
public sealed class TenantProfiles(IMemoryCache cache)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    public async Task<TenantProfile> GetAsync(VouchDbContext db, Guid tenantId, CancellationToken ct)
    {
        if (cache.TryGetValue(Key(tenantId), out TenantProfile? profile) && profile is not null)
        {
            return profile;
        }

        var tenant = await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => new { t.Name, t.DefaultRegion }).SingleAsync(ct);
        var verification = await db.VerificationSettings.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(s => s.TenantId == tenantId, ct)
            ?? new VerificationSettings(tenantId);
        var delivery = await db.DeliverySettings.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(s => s.TenantId == tenantId, ct)
            ?? new DeliverySettings(tenantId);
        profile = new TenantProfile(tenant.Name, tenant.DefaultRegion, verification, delivery);
        cache.Set(Key(tenantId), profile, Lifetime);
        return profile;
    }

    public void Forget(Guid tenantId) => cache.Remove(Key(tenantId));

    private static string Key(Guid tenantId) => "tenant-profile:" + tenantId;
}
