using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.PhoneNumbers;

/// <summary>
/// Finds the tenant number an inbound text was sent to, across tenants, for the provider webhooks. Every webhook needs it,
/// so numbers are cached briefly: a change or removal is seen at once on the node that makes it and within
/// <see cref="Lifetime"/> on the others.
/// </summary>
public sealed class InboundNumbers(IMemoryCache cache)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    /// <summary>The number, or null when no tenant has it. Untracked: read it, never save it.</summary>
    public async Task<TenantPhoneNumber?> FindAsync(VouchDbContext db, string e164, CancellationToken ct)
    {
        if (cache.TryGetValue(Key(e164), out TenantPhoneNumber? number))
        {
            return number;
        }

        number = await db.PhoneNumbers.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(n => n.E164 == e164, ct);
        // Unknown numbers are remembered too, so a flood of forged posts to a made-up number stays off the database.
        cache.Set(Key(e164), number, Lifetime);
        return number;
    }

    public void Forget(string e164) => cache.Remove(Key(e164));

    private static string Key(string e164) => "inbound-number:" + e164;
}
