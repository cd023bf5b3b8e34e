using System.Net;

namespace Vouch.Core;

/// <summary>
/// Reads one entry of an operator's list of addresses and networks (trusted proxies, allowed outbound addresses): an
/// IP address or a CIDR network. An IPv4 address not written in full (<c>10.1</c>, which the runtime reads as
/// 10.0.0.1) and a network of every address (<c>0.0.0.0/0</c>, <c>::/0</c>) are not accepted: on such lists both are
/// mistakes that open everything.
/// </summary>
public static class IpNetworks
{
    public static bool TryParse(string entry, out IPNetwork network)
    {
        network = default;
        var address = entry.Split('/')[0];
        if (!address.Contains(':', StringComparison.Ordinal) && address.Count(c => c == '.') != 3)
        {
            return false;
        }

        if (IPNetwork.TryParse(entry, out var parsed))
        {
            network = parsed;
        }
        else if (IPAddress.TryParse(entry, out var single))
        {
            network = new IPNetwork(single, single.GetAddressBytes().Length * 8);
        }
        else
        {
            return false;
        }

        return network.PrefixLength > 0;
    }
}
