using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Vouch.Server.Tests.Infrastructure;

namespace Vouch.Server.Tests.Hosting;

/// <summary>Every answer carries the browser-side rules; the public link pages the strictest of them.</summary>
public sealed partial class SecurityHeadersTests(SqliteVouch factory) : IClassFixture<SqliteVouch>
{
    [Theory]
    [InlineData("/login")]
    [InlineData("/contacts")]
    [InlineData("/api/v1/contacts")]
    [InlineData("/healthz")]
    [InlineData("/no-such-page")]
    public async Task EveryAnswer_ForbidsInlineScriptFramingAndSniffing(string path)
    {
        var response = await factory.ApiClient(null).GetAsync(path);

        var policy = Directives(response);
        Assert.Equal("'self'", policy["script-src"]);
        Assert.Equal("'none'", policy["frame-ancestors"]);
        Assert.Equal("'none'", policy["object-src"]);
        Assert.DoesNotContain("unsafe", string.Join(';', policy.Values), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Theory]
    [InlineData("/v/")]
    [InlineData("/s/")]
    public async Task LinkPages_GetTheStrictestPolicy_AndOnlyTheirOwnStyleBlockIsAllowed(string prefix)
    {
        var response = await factory.ApiClient(null).GetAsync(prefix + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        var html = await response.Content.ReadAsStringAsync();

        var policy = Directives(response);
        Assert.Equal("'none'", policy["default-src"]);
        Assert.Equal("'self'", policy["script-src"]);
        var nonce = StyleNonce().Match(html).Groups[1].Value;
        Assert.NotEmpty(nonce);
        Assert.Equal($"'self' 'nonce-{nonce}'", policy["style-src"]);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        var again = Directives(await factory.ApiClient(null).GetAsync(prefix + "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"));
        Assert.NotEqual(policy["style-src"], again["style-src"]); // a fresh nonce every time
    }

    [Fact]
    public async Task Hsts_OnlyOverHttps()
    {
        var secure = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://vouch.example"), AllowAutoRedirect = false });
        var plain = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://vouch.example"), AllowAutoRedirect = false });

        var overHttps = await secure.GetAsync("/healthz");
        var overHttp = await plain.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, overHttps.StatusCode);
        Assert.StartsWith("max-age=31536000", overHttps.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
        Assert.False(overHttp.Headers.Contains("Strict-Transport-Security"));
    }

    private static Dictionary<string, string> Directives(HttpResponseMessage response) =>
        response.Headers.GetValues("Content-Security-Policy").Single()
            .Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(d => d.Split(' ', 2))
            .ToDictionary(d => d[0], d => d.Length > 1 ? d[1] : "");

    [GeneratedRegex("<style nonce=\"([^\"]+)\">")]
    private static partial Regex StyleNonce();
}
