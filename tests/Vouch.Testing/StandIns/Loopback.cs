using System.Net;
using System.Net.Sockets;

namespace Vouch.Testing.StandIns;

/// <summary>Addresses for stand-ins. Tests talk to loopback only; anything else is a bug and stops the test.</summary>
public static class Loopback
{
    public const string Host = "127.0.0.1";

    /// <summary>A port that was free a moment ago; the stand-in that takes it reports a clash when it starts.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A port with nobody listening: bound once and released, so connections are refused.</summary>
    public static int ClosedPort() => FreePort();

    public static Uri Require(Uri address)
    {
        if (!IsLoopback(address.Host))
        {
            throw new InvalidOperationException($"Tests may only reach loopback addresses, not {address}.");
        }

        return address;
    }

    public static string Require(string host) =>
        IsLoopback(host) ? host : throw new InvalidOperationException($"Tests may only reach loopback addresses, not {host}.");

    private static bool IsLoopback(string host) => IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
}

/// <summary>The configuration that lets Vouch reach stand-ins on loopback, which production refuses.</summary>
public static class LoopbackStandIns
{
    public const string AllowKey = "Vouch:OutboundAddresses:Allow";

    public const string Allow = "127.0.0.0/8, ::1";
}
