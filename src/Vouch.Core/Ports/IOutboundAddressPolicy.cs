namespace Vouch.Core.Ports;

/// <summary>
/// The operator's rule for the addresses Vouch connects to on a tenant's behalf (SMTP relays now; PSA addresses, webhooks
/// and storage endpoints as they become tenant settings): never loopback, private, link-local, multicast, metadata or
/// other internal addresses, unless the operator's configuration allows them by name.
/// </summary>
/// <remarks>
/// This is the early check, made when a tenant saves an address, without a DNS lookup. Every connection checks again
/// after resolving the name and connects only to the address it checked, so a name that later resolves elsewhere
/// (DNS rebinding) gains nothing.
/// </remarks>
public interface IOutboundAddressPolicy
{
    /// <summary>Why Vouch will not connect to <paramref name="host"/> (a name or a literal address), or null when it may try.</summary>
    string? RefusalOf(string host);
}
