namespace Vouch.Integrations.Outbound;

/// <summary>A connection the outbound-address policy refused; the message is fit for a tenant (it names no resolved address).</summary>
public sealed class OutboundAddressRefusedException(string host)
    : Exception($"{host} {OutboundAddressPolicy.Refusal}")
{
    public string Host { get; } = host;
}
