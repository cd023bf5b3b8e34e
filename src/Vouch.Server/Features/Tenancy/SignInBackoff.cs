using System.Collections.Concurrent;

namespace Vouch.Server.Features.Tenancy;

/// <summary>
/// Slows password guessing against one member from one source address, instead of locking the account: a lock that any
/// stranger can trigger with five wrong passwords lets them keep any technician out at will. After
/// <see cref="FreeFailures"/> wrong passwords from one address, that address waits before its next try for this member —
/// 30 seconds, doubling with each further failure up to 15 minutes; a try while waiting is refused unread — while the member signs in from anywhere else as usual.
/// A success from the address clears its count. Per node, like every limit.
/// </summary>
public sealed class SignInBackoff(TimeProvider clock)
{
    public const int FreeFailures = 5;
    private static readonly TimeSpan First = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Longest = TimeSpan.FromMinutes(15);

    // Forgotten an hour after the last failure, so a long-lived node does not keep every address it ever saw.
    private static readonly TimeSpan Memory = TimeSpan.FromHours(1);
    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<(Guid Member, string Source), Failures> _failures = new();

    /// <summary>How long this address must still wait before trying this member's password again; null when it may.</summary>
    public TimeSpan? Wait(Guid memberId, string source)
    {
        if (!_failures.TryGetValue((memberId, source), out var failures))
        {
            return null;
        }

        var left = failures.WaitUntil - clock.GetUtcNow();
        return left > TimeSpan.Zero ? left : null;
    }

    public void Failed(Guid memberId, string source)
    {
        var now = clock.GetUtcNow();
        _failures.AddOrUpdate(
            (memberId, source),
            _ => new Failures(1, now, DateTimeOffset.MinValue),
            (_, old) =>
            {
                var count = now - old.LastAt > Memory ? 1 : old.Count + 1;
                var wait = count < FreeFailures ? TimeSpan.Zero
                    : TimeSpan.FromTicks(Math.Min(Longest.Ticks, First.Ticks << Math.Min(count - FreeFailures, 10)));
                return new Failures(count, now, now + wait);
            });
        if (_failures.Count > PruneAbove)
        {
            foreach (var (key, value) in _failures)
            {
                if (now - value.LastAt > Memory)
                {
                    _failures.TryRemove(key, out _);
                }
            }
        }
    }

    public void Succeeded(Guid memberId, string source) => _failures.TryRemove((memberId, source), out _);

    private sealed record Failures(int Count, DateTimeOffset LastAt, DateTimeOffset WaitUntil);
}
