using Microsoft.Extensions.Options;
using Vouch.Core.Features.Delivery;
using Vouch.Core.Ports;

namespace Vouch.Core.Tests.Features.Delivery;

public sealed class DeliveryLanesTests
{
    private static readonly DateTime Now = new(2026, 12, 2, 10, 0, 0, DateTimeKind.Utc);
    private static readonly Guid TenantA = Guid.CreateVersion7();
    private static readonly Guid TenantB = Guid.CreateVersion7();
    private static readonly DeliveryResult TimedOut = new DeliveryResult.RetryLater("No answer from relay.a:25 within 15 s");

    [Fact]
    public void TryAdmit_HungEndpointHoldsItsSlots_OnlyItsOwnTenantAndEndpointWait()
    {
        var lanes = new DeliveryLanes(Options.Create(new DeliveryOptions { MaxInFlightPerProvider = 2, MaxInFlightPerTenant = 3 }));

        Assert.Equal([Admission.Admitted, Admission.Admitted, Admission.Busy], Enumerable.Range(0, 3).Select(_ => Admit(lanes, TenantA, "relay.a:25")));
        Assert.Equal(Admission.Admitted, Admit(lanes, TenantA, "Twilio account AC1"));
        Assert.Equal(Admission.Busy, Admit(lanes, TenantA, "Twilio account AC1")); // the tenant's 3 slots are taken
        Assert.Equal([Admission.Admitted, Admission.Admitted], Enumerable.Range(0, 2).Select(_ => Admit(lanes, TenantB, "relay.a:25")));

        lanes.Complete(TenantA, "relay.a:25", new DeliveryResult.Delivered("id"), Now);
        Assert.Equal(Admission.Admitted, Admit(lanes, TenantA, "relay.a:25"));
    }

    [Fact]
    public void Complete_FailuresInARow_PauseTheEndpointWithTheReason_UntilATrialAfterThePauseSucceeds()
    {
        var lanes = new DeliveryLanes(Options.Create(new DeliveryOptions { PauseAfterFailures = 3, PauseFor = TimeSpan.FromMinutes(2) }));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(Admission.Admitted, Admit(lanes, TenantA, "relay.a:25"));
            Assert.Empty(lanes.PausesOf(TenantA));
            lanes.Complete(TenantA, "relay.a:25", TimedOut, Now);
        }

        var pause = Assert.Single(lanes.PausesOf(TenantA));
        Assert.Equal(new DeliveryPause(Medium.Email, "relay.a:25", Now.AddMinutes(2), 3, "No answer from relay.a:25 within 15 s"), pause);
        Assert.Equal("E-mail delivery through relay.a:25 paused until 10:02 UTC: No answer from relay.a:25 within 15 s, 3 times in a row", pause.Message);
        Assert.Empty(lanes.PausesOf(TenantB));
        Assert.Equal(Admission.Admitted, Admit(lanes, TenantB, "relay.a:25"));
        Assert.Equal(Admission.Paused, lanes.TryAdmit(TenantA, Medium.Email, "relay.a:25", Now.AddMinutes(1), out var until));
        Assert.Equal(Now.AddMinutes(2), until);

        // Half-open: one trial after the pause, the others wait for it; a failed trial pauses again at once.
        Assert.Equal(Admission.Admitted, lanes.TryAdmit(TenantA, Medium.Email, "relay.a:25", Now.AddMinutes(2), out _));
        Assert.Equal(Admission.Paused, lanes.TryAdmit(TenantA, Medium.Email, "relay.a:25", Now.AddMinutes(2), out _));
        lanes.Complete(TenantA, "relay.a:25", TimedOut, Now.AddMinutes(2));
        Assert.Equal(Now.AddMinutes(4), Assert.Single(lanes.PausesOf(TenantA)).Until);

        Assert.Equal(Admission.Admitted, lanes.TryAdmit(TenantA, Medium.Email, "relay.a:25", Now.AddMinutes(4), out _));
        lanes.Complete(TenantA, "relay.a:25", new DeliveryResult.Delivered("id"), Now.AddMinutes(4));
        Assert.Empty(lanes.PausesOf(TenantA));
        Assert.Equal(Admission.Admitted, lanes.TryAdmit(TenantA, Medium.Email, "relay.a:25", Now.AddMinutes(4), out _));
    }

    [Fact]
    public void Complete_RateLimitsAndPermanentFailures_DoNotPause()
    {
        var lanes = new DeliveryLanes(Options.Create(new DeliveryOptions { PauseAfterFailures = 1 }));
        Admit(lanes, TenantA, "Twilio account AC1");
        lanes.Complete(TenantA, "Twilio account AC1", new DeliveryResult.RetryLater("429", TimeSpan.FromSeconds(30)), Now);
        Admit(lanes, TenantA, "Twilio account AC1");
        lanes.Complete(TenantA, "Twilio account AC1", new DeliveryResult.Failed("the number is not valid"), Now);

        Assert.Empty(lanes.PausesOf(TenantA));
    }

    private static Admission Admit(DeliveryLanes lanes, Guid tenant, string endpoint) =>
        lanes.TryAdmit(tenant, endpoint.StartsWith("Twilio", StringComparison.Ordinal) ? Medium.Sms : Medium.Email, endpoint, Now, out _);
}
