using Vouch.Core.Features.Verification;

namespace Vouch.Core.Tests.Features.Verification;

public sealed class VerificationLimitsTests
{
    [Fact]
    public void UnknownApiKeys_BarOnlyTheAddressThatPresentedThem_AndOnlyOnceItsAllowanceIsUsed()
    {
        using var limits = new VerificationLimits(new RateLimitOptions { UnknownApiKeysPerAddressPerMinute = 2 });

        var beforeAny = limits.ApiKeyBarred("203.0.113.7");
        var firstUsedItUp = limits.CountUnknownApiKey("203.0.113.7");
        var afterOne = limits.ApiKeyBarred("203.0.113.7");
        var secondUsedItUp = limits.CountUnknownApiKey("203.0.113.7");
        var afterTwo = limits.ApiKeyBarred("203.0.113.7");
        var otherAddress = limits.ApiKeyBarred("198.51.100.4");

        Assert.Null(beforeAny);
        Assert.False(firstUsedItUp);
        Assert.Null(afterOne); // asking does not take from the allowance
        Assert.True(secondUsedItUp);
        Assert.InRange(afterTwo ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        Assert.Null(otherAddress);
    }
}
