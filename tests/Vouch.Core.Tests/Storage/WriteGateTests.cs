using Vouch.Core.Storage;

namespace Vouch.Core.Tests.Storage;

public sealed class WriteGateTests
{
    [Fact]
    public async Task Exit_HandsTheGateToUrgentWaitersFirst_ThenInOrder()
    {
        var gate = new WriteGate();
        await gate.EnterAsync(urgent: false, CancellationToken.None);
        var first = gate.EnterAsync(urgent: false, CancellationToken.None);
        var second = gate.EnterAsync(urgent: false, CancellationToken.None);
        var urgent = gate.EnterAsync(urgent: true, CancellationToken.None);

        gate.Exit();
        await urgent;
        Assert.False(first.IsCompleted);
        gate.Exit();
        await first;
        Assert.False(second.IsCompleted);
        gate.Exit();
        await second;
        gate.Exit();

        await gate.EnterAsync(urgent: false, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task CancelledWaiter_IsSkipped_AndTheNextOneGetsTheGate()
    {
        var gate = new WriteGate();
        await gate.EnterAsync(urgent: false, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var abandoned = gate.EnterAsync(urgent: false, cancel.Token);
        var next = gate.EnterAsync(urgent: false, CancellationToken.None);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        gate.Exit();

        await next.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
