using Microsoft.EntityFrameworkCore;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.InboundSms;

/// <summary>
/// A number that texted STOP to one of the tenant's numbers. Vouch sends it nothing more (the STOP confirmation aside)
/// until it texts START.
/// </summary>
public sealed class SmsOptOut : ITenantOwned
{
    private SmsOptOut()
    {
    }

    public SmsOptOut(Guid tenantId, string number, DateTime now)
    {
        TenantId = tenantId;
        Number = number;
        OptedOutAt = now;
    }

    public Guid TenantId { get; set; }

    /// <summary>The opted-out number, E.164.</summary>
    public string Number { get; private set; } = "";

    public DateTime OptedOutAt { get; private set; }

    // Asked on every text received and every text verification sent; compiled once (see PerModel).
    private static readonly PerModel<Func<VouchDbContext, string, CancellationToken, Task<bool>>> Exists = new(() => EF.CompileAsyncQuery(
        (VouchDbContext db, string number, CancellationToken ct) => db.SmsOptOuts.Any(o => o.Number == number)));

    /// <summary>Whether <paramref name="number"/> (E.164) texted STOP to the context's tenant.</summary>
    public static Task<bool> IsOptedOutAsync(VouchDbContext db, string number, CancellationToken ct) => Exists.For(db)(db, number, ct);
}
