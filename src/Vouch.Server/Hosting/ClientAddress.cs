using System.Net;
using System.Net.Sockets;

namespace Vouch.Server.Hosting;

/// <summary>The client's address as the per-address limits (sign-in, link pages, unknown API keys) count it.</summary>
public static class ClientAddress
{
    /// <summary>
    /// The key per-address limits count under: an IPv4 address as it is (also when it arrives written as IPv6), an IPv6
    /// address by its /64 network, which one subscriber usually holds whole and could otherwise rotate through.
    /// </summary>
    public static string LimitKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
