namespace Vouch.Core.Features.Delivery;

/// <summary>How the delivery worker paces calls to providers, bound from <c>Vouch:Delivery</c>.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Vouch:Delivery";

    /// <summary>How long one send may take before it is abandoned and retried later (a transient failure).</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Sends in flight at once for one tenant, across its providers, on one node.</summary>
    public int MaxInFlightPerTenant { get; set; } = 32;

    /// <summary>Sends in flight at once for one tenant through one provider endpoint (an SMTP relay, a Twilio account), on one node.</summary>
    public int MaxInFlightPerProvider { get; set; } = 16;

    /// <summary>Time-outs or transient failures in a row after which a tenant's provider endpoint is paused.</summary>
    public int PauseAfterFailures { get; set; } = 5;

    /// <summary>How long a paused endpoint is left alone before one message tries it again.</summary>
    public TimeSpan PauseFor { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a claimed message is held: at most one deadline waiting for a free slot, one for the send, and a margin
    /// to record it. A node that dies holding it loses it then, and another pass sends it again (delivery is at least once).
    /// </summary>
    public TimeSpan ClaimFor => (2 * SendTimeout) + TimeSpan.FromSeconds(30);
}
