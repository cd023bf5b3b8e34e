using Vouch.Core.Features.Tenancy;

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
}
