using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Vouch.Integrations.Outbound;
using Vouch.Integrations.Tests.StandIns;
using Vouch.Testing.StandIns;

namespace Vouch.Integrations.Tests.Outbound;

/// <summary>The outbound-address policy: what it refuses by default, what the operator may allow, and that connections obey it.</summary>
public sealed class OutboundAddressPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.0.9")]
    [InlineData("0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("10.20.30.40")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.254")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.254")]
    [InlineData("169.254.169.254")]
    [InlineData("169.254.0.1")]
    [InlineData("224.0.0.251")]
    [InlineData("239.255.255.250")]
    [InlineData("255.255.255.255")]
    [InlineData("240.0.0.1")]
    [InlineData("198.18.0.1")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("fd00::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("fc00::1")]
    [InlineData("fe80::1")]
    [InlineData("ff02::1")]
    [InlineData("64:ff9b::a00:1")]
    [InlineData("2001:db8::1")]
    [InlineData("2002:a00:1::1")]
    public void IsInternal_InternalRanges_AreInternal(string address) => Assert.True(OutboundAddressPolicy.IsInternal(IPAddress.Parse(address)));

    [Theory]
    [InlineData("52.96.0.1")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("::ffff:52.96.0.1")]
    [InlineData("2603:1036::1")]
    public void IsInternal_PublicAddresses_AreNot(string address) => Assert.False(OutboundAddressPolicy.IsInternal(IPAddress.Parse(address)));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("LOCALHOST.")]
    [InlineData("relay.localhost")]
    [InlineData("10.0.0.5")]
    [InlineData("192.168.0.10")]
    [InlineData("169.254.169.254")]
    [InlineData("[::1]")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("fd12:3456::1")]
    [InlineData("2130706433")]
    [InlineData("0x7f000001")]
    [InlineData("127.1")]
    [InlineData("0177.0.0.1")]
    public void RefusalOf_ByDefault_RefusesInternalHosts(string host) => Assert.NotNull(Policy(null).RefusalOf(host));

    [Theory]
    [InlineData("smtp.office365.com")]
    [InlineData("52.96.0.1")]
    public void RefusalOf_PublicHosts_AreLeftToTheConnection(string host) => Assert.Null(Policy(null).RefusalOf(host));

    [Fact]
    public void RefusalOf_OperatorAllowsNetworkAndName_AllowsOnlyThose()
    {
        var policy = Policy("127.0.0.0/8, relay.lab.internal");

        Assert.Null(policy.RefusalOf("127.0.0.1"));
        Assert.Null(policy.RefusalOf("localhost"));
        Assert.Null(policy.RefusalOf("relay.lab.internal"));
        Assert.NotNull(policy.RefusalOf("::1"));
        Assert.NotNull(policy.RefusalOf("10.0.0.1"));
    }

    // A name is judged by what it resolves to, not by how it is written: localhost passes no literal check.
    [Fact]
    public async Task ResolveAsync_ByDefault_NameResolvingToLoopbackIsRefused()
    {
        var policy = Policy(null);

        var refused = await Assert.ThrowsAsync<OutboundAddressRefusedException>(() => policy.ResolveAsync("localhost", CancellationToken.None));

        Assert.Equal("localhost", refused.Host);
        Assert.DoesNotContain("127.0.0.1", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_ByDefault_LoopbackListenerIsNeverReached()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        await Assert.ThrowsAsync<OutboundAddressRefusedException>(() => Policy(null).ConnectAsync(Loopback.Host, port, CancellationToken.None));

        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task ConnectAsync_LoopbackAllowed_ConnectsToTheCheckedAddress()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();

        using var socket = await Policy(LoopbackStandIns.Allow).ConnectAsync(Loopback.Host, ((IPEndPoint)listener.LocalEndpoint).Port, CancellationToken.None);

        Assert.True(socket.Connected);
        Assert.Equal(IPAddress.Loopback, ((IPEndPoint)socket.RemoteEndPoint!).Address);
    }

    [Fact]
    public async Task CreateHttpHandler_ByDefault_RefusesLoopback_AllowedReachesIt()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var url = new Uri($"http://{Loopback.Host}:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        var answering = AnswerOnceAsync(listener);
        using var refusing = new HttpClient(Policy(null).CreateHttpHandler());
        using var allowed = new HttpClient(Policy(LoopbackStandIns.Allow).CreateHttpHandler());

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => refusing.GetAsync(url));
        Assert.IsType<OutboundAddressRefusedException>(refused.InnerException);
        Assert.False(listener.Pending());
        using var answer = await allowed.GetAsync(url);

        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        await answering;
    }

    private static OutboundAddressPolicy Policy(string? allow)
    {
        var services = Providers.Build(new Dictionary<string, string?> { [LoopbackStandIns.AllowKey] = allow });
        return services.GetRequiredService<OutboundAddressPolicy>();
    }

    private static async Task AnswerOnceAsync(TcpListener listener)
    {
        using var client = await listener.AcceptTcpClientAsync();
        await using var stream = client.GetStream();
        var buffer = new byte[4096];
        _ = await stream.ReadAsync(buffer);
        await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
    }
}
