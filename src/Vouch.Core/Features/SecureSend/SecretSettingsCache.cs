using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.SecureSend;

/// <summary>
/// Each tenant's secret-link settings, read by every create, open and reveal. A change is seen at once on the node that
/// makes it and within <see cref="Lifetime"/> on the others. The settings handed out are shared: read them, never change them.
/// </summary>
public sealed class SecretSettingsCache(IMemoryCache cache)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    public async Task<SecretSettings> GetAsync(VouchDbContext db, Guid tenantId, CancellationToken ct)
    {
        if (cache.TryGetValue(Key(tenantId), out SecretSettings? settings) && settings is not null)
        {
            return settings;
        }

        // Defaults apply when the tenant has no row.
        settings = await db.SecretSettings.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(s => s.TenantId == tenantId, ct) ?? new SecretSettings(tenantId);
        cache.Set(Key(tenantId), settings, Lifetime);
        return settings;
    }

    public void Forget(Guid tenantId) => cache.Remove(Key(tenantId));

    private static string Key(Guid tenantId) => "secret-settings:" + tenantId;
}
