namespace Vouch.Integrations.Outbound;

/// <summary>The <c>Vouch:OutboundAddresses</c> section: the operator's exceptions to the outbound-address policy.</summary>
public sealed class OutboundAddressOptions
{
    public const string Section = "Vouch:OutboundAddresses";

    /// <summary>
    /// Host names, addresses and CIDR networks Vouch may connect to on a tenant's behalf although they are internal,
    /// separated by commas: for development stand-ins on this machine (<c>127.0.0.1, ::1</c>) or a relay on the
    /// operator's own network. Empty (the default) allows only public addresses.
    /// </summary>
    public string? Allow { get; set; }
}
