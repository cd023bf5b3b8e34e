using System.Net;
using Vouch.Server.Tests.Infrastructure;

namespace Vouch.Server.Tests.Features.Tenancy;

/// <summary>
/// An address that sprays API keys is stopped: its unknown keys count against it, and once they are used up it is answered
/// 429 with Retry-After, even with a valid key, until the window ends. Its own server, so the barred address (the test
/// server reports none, which counts as one address) does not hold back other tests.
/// </summary>
public sealed class ApiKeyLimitTests(ApiKeyLimitTests.Vouch factory) : IClassFixture<ApiKeyLimitTests.Vouch>
{
    [Fact]
    public async Task UnknownKeys_UpToTheLimit_Answer401_ThenTheAddressIsRefusedWith429EvenWithAValidKey()
    {
        var tenant = await factory.CreateTenantAsync("Key limit");
        var guesser = factory.ApiClient("vch_" + new string('A', 43));

        // A valid key's traffic never counts, however busy.
        for (var i = 0; i < Vouch.UnknownKeys * 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await tenant.Api.GetAsync("/api/v1/contacts")).StatusCode);
        }

        for (var i = 0; i < Vouch.UnknownKeys; i++)
        {
            await (await guesser.GetAsync("/api/v1/contacts")).ProblemAsync(HttpStatusCode.Unauthorized);
        }

        var refused = await guesser.GetAsync("/api/v1/contacts");
        var validFromTheSameAddress = await tenant.Api.GetAsync("/api/v1/contacts");

        await refused.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.InRange(refused.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        await validFromTheSameAddress.ProblemAsync(HttpStatusCode.TooManyRequests);
    }

    public sealed class Vouch() : VouchFactory(TestDatabase.Sqlite, new Dictionary<string, string>
    {
        ["Vouch:RateLimits:UnknownApiKeysPerAddressPerMinute"] = UnknownKeys.ToString(System.Globalization.CultureInfo.InvariantCulture),
    })
    {
        public const int UnknownKeys = 3;
    }
}
