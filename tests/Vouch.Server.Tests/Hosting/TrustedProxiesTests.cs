using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Vouch.Core.Features.Tenancy;
using Vouch.Server.Hosting;
using Vouch.Server.Tests.Browser;
using Vouch.Server.Tests.Infrastructure;

namespace Vouch.Server.Tests.Hosting;

/// <summary>
/// Per-address limits behind a proxy, over real HTTP on loopback: with the proxy trusted, each client's forwarded address
/// is limited on its own; without, a forged X-Forwarded-For changes nothing.
/// </summary>
public sealed class TrustedProxiesTests
{
    private const string Unknown = "vch_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    [Fact]
    public async Task TrustedProxy_LimitsEachForwardedClientOnItsOwn()
    {
        await using var vouch = new KestrelVouch(Settings(("Vouch:TrustedProxies", "10.0.0.0/8, 127.0.0.1")));
        var (http, key) = await StartAsync(vouch);

        // The guesser puts a forged address first; the proxy (loopback here) appended the real one, which is what counts.
        var first = await GetAsync(http, Unknown, "198.51.100.4, 203.0.113.9");
        var second = await GetAsync(http, Unknown, "198.51.100.4, 203.0.113.9");
        var guesserAgain = await GetAsync(http, key, "203.0.113.9");
        var otherClient = await GetAsync(http, key, "198.51.100.4");

        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, guesserAgain.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherClient.StatusCode);
    }

    // Nothing configured, and a network that does not hold the proxy actually in front (loopback is not trusted by default).
    [Theory]
    [InlineData("")]
    [InlineData("10.0.0.0/8")]
    public async Task UntrustedSender_ForwardedAddressesAreIgnored_SoForgingOneEvadesNothing(string trusted)
    {
        await using var vouch = new KestrelVouch(Settings(("Vouch:TrustedProxies", trusted)));
        var (http, key) = await StartAsync(vouch);

        var first = await GetAsync(http, Unknown, "203.0.113.9");
        var second = await GetAsync(http, Unknown, "203.0.113.10");
        var forged = await GetAsync(http, key, "198.51.100.4");

        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, forged.StatusCode); // all three came from 127.0.0.1
    }

    [Theory]
    [InlineData("10.0.0.0/8, 192.168.1.5", 2)]
    [InlineData("::1 127.0.0.1; 2001:db8::/48", 3)]
    [InlineData("", 0)]
    [InlineData(null, 0)]
    [InlineData("proxy.example.com", null)]
    [InlineData("10.1", null)] // IPAddress reads it as 10.0.0.1: refused rather than guessed
    [InlineData("0.0.0.0/0", null)] // every address: any client could name its own
    [InlineData("::/0", null)]
    [InlineData("10.0.0.0/33", null)]
    public void Parse_AcceptsAddressesAndNetworks_RefusesTheRest(string? value, int? count) => Assert.Equal(count, TrustedProxies.Parse(value)?.Count);

    [Theory]
    [InlineData("203.0.113.9", "203.0.113.9")]
    [InlineData("::ffff:203.0.113.9", "203.0.113.9")] // IPv4 arriving as IPv6 counts as itself
    [InlineData("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:bbbb:cccc:dddd:2", "2001:db8:1:2::/64")] // the same /64: one subscriber
    [InlineData("2001:db8:1:3::1", "2001:db8:1:3::/64")]
    [InlineData(null, "unknown")]
    public void LimitKey_CountsIPv6ByItsSlash64(string? address, string key) =>
        Assert.Equal(key, ClientAddress.LimitKey(address is null ? null : IPAddress.Parse(address)));

    [Fact]
    public async Task Start_WithAnEntryThatIsNoAddress_FailsWithTheKeyInTheMessage()
    {
        await using var factory = new BadProxiesVouch();

        var error = Assert.Throws<OptionsValidationException>(() => factory.Services);

        Assert.Contains("Vouch:TrustedProxies must list IP addresses or networks", error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Settings(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string> { ["Vouch:RateLimits:UnknownApiKeysPerAddressPerMinute"] = "2" };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    private static async Task<(HttpClient Http, string Key)> StartAsync(KestrelVouch vouch)
    {
        var http = new HttpClient { BaseAddress = new Uri(vouch.Start()) };
        await using var scope = vouch.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<CreateTenant>()
            .HandleAsync(new CreateTenantRequest("Proxied MSP", "owner@proxied.test", "Owner", KestrelVouch.Password, "US", IssueApiKey: true), CancellationToken.None);
        Assert.True(created.Succeeded, created.Failure?.ToString());
        return (http, created.Value!.ApiKey!);
    }

    private static Task<HttpResponseMessage> GetAsync(HttpClient http, string key, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/contacts");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return http.SendAsync(request);
    }

    private sealed class BadProxiesVouch() : VouchFactory(TestDatabase.Sqlite, new Dictionary<string, string> { ["Vouch:TrustedProxies"] = "10.0.0.0/8, proxy.example.com" });
}
