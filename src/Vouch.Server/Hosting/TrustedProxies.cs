using IPNetwork = System.Net.IPNetwork;
using Microsoft.AspNetCore.HttpOverrides;
using Vouch.Core;

namespace Vouch.Server.Hosting;

/// <summary>
/// The reverse proxies and load balancers whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> Vouch believes
/// (<c>Vouch:TrustedProxies</c>). Every per-address limit and every audited source address is the client's address only if
/// this lists the proxies in front: otherwise all clients share the proxy's address, and one of them spraying API keys or
/// link requests would hold back all the others. With nothing listed the headers are ignored, so a client cannot forge its
/// address.
/// </summary>
public static class TrustedProxies
{
    public const string Key = "Vouch:TrustedProxies";

    /// <summary>
    /// The networks in a comma- or space-separated list of addresses and CIDR networks; null if an entry is neither, is an
    /// IPv4 address not written in full (<c>10.1</c>), or is a network of every address (<c>0.0.0.0/0</c>, which would let
    /// any client name its own address).
    /// </summary>
    public static List<IPNetwork>? Parse(string? value)
    {
        var networks = new List<IPNetwork>();
        foreach (var entry in (value ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!IpNetworks.TryParse(entry, out var network))
            {
                return null;
            }

            networks.Add(network);
        }

        return networks;
    }

    /// <summary>First in the pipeline, before anything reads the client's address; nothing when no proxy is trusted.</summary>
    public static void UseTrustedProxies(this WebApplication app, string? value)
    {
        var networks = Parse(value) ?? [];
        if (networks.Count == 0)
        {
            return;
        }

        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            // Every hop from the right is taken while it comes from a trusted proxy; the first other address is the client.
            ForwardLimit = null,
        };
        options.KnownProxies.Clear(); // by default loopback is trusted; only what is configured is
        options.KnownIPNetworks.Clear();
        foreach (var network in networks)
        {
            options.KnownIPNetworks.Add(network);
        }

        app.UseForwardedHeaders(options);
    }
}
