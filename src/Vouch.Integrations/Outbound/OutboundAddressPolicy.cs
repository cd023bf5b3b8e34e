using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vouch.Core;
using Vouch.Core.Ports;
using IPNetwork = System.Net.IPNetwork;

namespace Vouch.Integrations.Outbound;

/// <summary>
/// The one outbound-address policy of every connection made to an address a tenant configured: resolve the name, refuse
/// the connection if any of its addresses is internal, and connect to exactly the address that was checked, so a name that
/// resolves to a public address when checked and to an internal one a moment later (DNS rebinding) gains nothing.
/// </summary>
/// <remarks>
/// Internal means loopback, private (RFC 1918, IPv6 unique local <c>fc00::/7</c>), carrier-grade NAT (<c>100.64.0.0/10</c>),
/// link-local (where cloud metadata services such as <c>169.254.169.254</c> live), <c>0.0.0.0/8</c>, multicast, broadcast,
/// documentation, benchmarking and other reserved ranges, and every IPv6 address outside global unicast; an IPv4 address
/// written as IPv6 (<c>::ffff:10.0.0.1</c>) is judged as IPv4. The operator may allow names, addresses and networks
/// (<see cref="OutboundAddressOptions.Allow"/>) for development. Refusals are logged for the operator with the resolved
/// addresses; the tenant's message names only the host it configured.
/// </remarks>
public sealed class OutboundAddressPolicy : IOutboundAddressPolicy
{
    public const string Refusal = "is an internal address (loopback, private, link-local, multicast or reserved), which Vouch does not connect to";

    private static readonly IPNetwork[] InternalV4 =
    [
        .. new[]
        {
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24",
            "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
        }.Select(n => IPNetwork.Parse(n)),
    ];

    // Only global unicast is public; within it Teredo and 6to4 can carry an internal IPv4 address, and documentation is never real.
    private static readonly IPNetwork GlobalV6 = IPNetwork.Parse("2000::/3");

    private static readonly IPNetwork[] InternalV6 = [.. new[] { "2001::/32", "2001:db8::/32", "2002::/16" }.Select(n => IPNetwork.Parse(n))];

    private readonly List<IPNetwork> _allowedNetworks;
    private readonly HashSet<string> _allowedNames;
    private readonly ILogger<OutboundAddressPolicy> _logger;

    public OutboundAddressPolicy(IOptions<OutboundAddressOptions> options, ILogger<OutboundAddressPolicy> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var allowed = Parse(options.Value.Allow)
            ?? throw new InvalidOperationException(InvalidAllowList);
        (_allowedNetworks, _allowedNames, _logger) = (allowed.Networks, allowed.Names, logger);
    }

    public const string InvalidAllowList =
        $"{OutboundAddressOptions.Section}:Allow must list host names, IP addresses or CIDR networks separated by commas, e.g. 127.0.0.1, ::1; a network of every address is refused";

    /// <summary>The names and networks of an allow list; null if an entry is none of them or is a network of every address.</summary>
    public static (List<IPNetwork> Networks, HashSet<string> Names)? Parse(string? value)
    {
        var networks = new List<IPNetwork>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in (value ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IpNetworks.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (Uri.CheckHostName(entry) == UriHostNameType.Dns && !entry.All(c => char.IsAsciiDigit(c) || c is '.' or '/'))
            {
                names.Add(Normalize(entry));
            }
            else
            {
                return null;
            }
        }

        return (networks, names);
    }

    /// <summary>Whether <paramref name="address"/> is internal, whatever the operator allows.</summary>
    public static bool IsInternal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var judged = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return judged.AddressFamily == AddressFamily.InterNetwork
            ? InternalV4.Any(n => n.Contains(judged))
            : !GlobalV6.Contains(judged) || InternalV6.Any(n => n.Contains(judged));
    }

    public bool IsAllowed(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var judged = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return !IsInternal(judged) || _allowedNetworks.Any(n => n.Contains(judged));
    }

    public string? RefusalOf(string host)
    {
        var name = Normalize(host);
        if (_allowedNames.Contains(name))
        {
            return null;
        }

        if (IPAddress.TryParse(name, out var literal))
        {
            return IsAllowed(literal) ? null : Refusal;
        }

        // Names under localhost resolve to loopback by definition (RFC 6761), whatever a DNS server says.
        var loopbackName = name == "localhost" || name.EndsWith(".localhost", StringComparison.Ordinal);
        return loopbackName && !IsAllowed(IPAddress.Loopback) ? Refusal : null;
    }

    /// <summary>The addresses of <paramref name="host"/>, every one of them allowed; throws <see cref="OutboundAddressRefusedException"/> otherwise.</summary>
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(host);
        var name = Normalize(host);
        if (RefusalOf(name) is not null)
        {
            _logger.LogWarning("Refused a connection to {Host}: an internal address not allowed by {Section}:Allow", host, OutboundAddressOptions.Section);
            throw new OutboundAddressRefusedException(host);
        }

        var addresses = IPAddress.TryParse(name, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(name, ct);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        // One internal address refuses the name: a tenant's relay has no business resolving into the server's network.
        if (!_allowedNames.Contains(name) && addresses.Where(a => !IsAllowed(a)).ToList() is { Count: > 0 } refused)
        {
            _logger.LogWarning("Refused a connection to {Host}: it resolves to {Addresses}, internal and not allowed by {Section}:Allow",
                host, string.Join(", ", refused), OutboundAddressOptions.Section);
            throw new OutboundAddressRefusedException(host);
        }

        return addresses;
    }

    /// <summary>A TCP connection to <paramref name="host"/> through an address this policy checked, tried in the order DNS gave them.</summary>
    public async Task<Socket> ConnectAsync(string host, int port, CancellationToken ct)
    {
        SocketException? last = null;
        foreach (var address in await ResolveAsync(host, ct))
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), ct);
                return socket;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }

    /// <summary>
    /// A handler for <see cref="HttpClient"/>s that reach tenant-configured addresses: every connection goes through
    /// <see cref="ConnectAsync"/>, and no proxy is used (a proxy would connect wherever the name pointed).
    /// </summary>
    public SocketsHttpHandler CreateHttpHandler() => new()
    {
        UseProxy = false,
        ConnectCallback = async (context, ct) => new NetworkStream(await ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, ct), ownsSocket: true),
    };

    private static string Normalize(string host) => host.Trim().Trim('[', ']').TrimEnd('.').ToLowerInvariant();
}
