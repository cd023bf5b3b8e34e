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

    [Fact]
    public void TrySend_OneActorInALoop_IsStoppedByItsOwnLimit_AndLeavesTheTenantsAllowanceToOthers()
    {
        using var limits = new VerificationLimits(new RateLimitOptions { SendsPerTenantPerMinute = 10, SendsPerMemberPerMinute = 3, SendsPerDestinationPerHour = 100 });
        var tenant = Guid.NewGuid();

        var loop = Enumerable.Range(0, 50).Select(i => limits.TrySend(tenant, "looping-key", $"+1415555{i:D4}")).ToList();
        var others = Enumerable.Range(0, 7).Select(i => limits.TrySend(tenant, $"tech-{i}", "+14155550100")).ToList();

        Assert.Equal(3, loop.Count(r => r is null));
        Assert.All(loop.Skip(3), r => Assert.Equal("too many verifications sent by you", r?.Reason));
        Assert.All(others, r => Assert.Null(r)); // 3 + 7 = the tenant's 10: the refused 47 spent none of it
        Assert.Equal("too many verifications sent by this tenant", limits.TrySend(tenant, "tech-8", "+14155550101")?.Reason);
    }

    [Fact]
    public void TrySend_RefusedByTheDestination_SpendsNeitherTheActorsNorTheTenantsPermits()
    {
        using var limits = new VerificationLimits(new RateLimitOptions { SendsPerTenantPerMinute = 4, SendsPerMemberPerMinute = 3, SendsPerDestinationPerHour = 1 });
        var tenant = Guid.NewGuid();

        Assert.Null(limits.TrySend(tenant, "tech", "+14155550100"));
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("too many verifications sent to this destination", limits.TrySend(tenant, "tech", "+14155550100")?.Reason);
        }

        Assert.Null(limits.TrySend(tenant, "tech", "+14155550101"));
        Assert.Null(limits.TrySend(tenant, "tech", "+14155550102"));
        Assert.Equal("too many verifications sent by you", limits.TrySend(tenant, "tech", "+14155550103")?.Reason);
        Assert.Null(limits.TrySend(tenant, "other", "+14155550104"));
    }
}
