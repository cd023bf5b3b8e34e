namespace Vouch.Core.Features.Audit;

/// <summary>
/// Wakes the audit sealers of this process when entries were saved. Every waiting sealer wakes (a test process may host
/// several servers); a sealer takes <see cref="Next"/> before its pass, so a pulse during the pass is not missed.
/// </summary>
public static class AuditSealSignal
{
    private static TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next pulse.</summary>
    public static Task Next => Volatile.Read(ref _next).Task;

    public static void Pulse() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
