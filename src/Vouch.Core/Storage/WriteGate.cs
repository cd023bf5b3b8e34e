namespace Vouch.Core.Storage;

/// <summary>
/// One writer at a time, served in order, except that urgent writers go before everyone already waiting. The delivery
/// worker is urgent: behind each of its writes a person on the phone waits for a code, and each request queued ahead of
/// it would otherwise delay every message in its batch.
/// </summary>
public sealed class WriteGate
{
    private readonly Lock _lock = new();
    private readonly Queue<TaskCompletionSource> _urgent = new();
    private readonly Queue<TaskCompletionSource> _waiting = new();
    private bool _held;

    public Task EnterAsync(bool urgent, CancellationToken ct)
    {
        TaskCompletionSource turn;
        lock (_lock)
        {
            if (!_held)
            {
                _held = true;
                return Task.CompletedTask;
            }

            turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            (urgent ? _urgent : _waiting).Enqueue(turn);
        }

        return ct.CanBeCanceled ? WaitAsync(turn, ct) : turn.Task;
    }

    /// <summary>Blocks the calling thread for a turn; only for the rare synchronous writer.</summary>
    public void Enter() => EnterAsync(urgent: false, CancellationToken.None).GetAwaiter().GetResult();

    public void Exit()
    {
        lock (_lock)
        {
            // A waiter whose cancellation won the race has its task completed already; skip it.
            while (_urgent.Count > 0 || _waiting.Count > 0)
            {
                var next = _urgent.Count > 0 ? _urgent.Dequeue() : _waiting.Dequeue();
                if (next.TrySetResult())
                {
                    return;
                }
            }

            _held = false;
        }
    }

    private async Task WaitAsync(TaskCompletionSource turn, CancellationToken ct)
    {
        await using (ct.Register(() => turn.TrySetCanceled(ct)))
        {
            await turn.Task;
        }
    }
}
