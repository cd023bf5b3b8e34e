using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Tenancy;

/// <summary>
/// Each tenant's default phone region, cached because every phone search and contact write needs it. A change is seen at
/// once on the node that makes it and within <see cref="Lifetime"/> on the others.
/// </summary>
public sealed class TenantRegions(IMemoryCache cache)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    public async Task<string> GetAsync(VouchDbContext db, Guid tenantId, CancellationToken ct)
    {
        if (cache.TryGetValue(Key(tenantId), out string? region) && region is not null)
        {
            return region;
        }

        region = await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => t.DefaultRegion).SingleAsync(ct);
        cache.Set(Key(tenantId), region, Lifetime);
        return region;
    }

    public void Forget(Guid tenantId) => cache.Remove(Key(tenantId));

    private static string Key(Guid tenantId) => "tenant-region:" + tenantId;
}
