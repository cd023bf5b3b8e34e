using Microsoft.Extensions.Options;
using Vouch.Core.Ports;

namespace Vouch.Core.Features.Delivery;

/// <summary>Whether a send may start now.</summary>
public enum Admission
{
    /// <summary>Go ahead; call <see cref="DeliveryLanes.Complete"/> when the send is over.</summary>
    Admitted,

    /// <summary>The tenant or its endpoint has all its sends in flight: try again shortly.</summary>
    Busy,

    /// <summary>The endpoint is paused after repeated failures: try again when the pause ends.</summary>
    Paused,
}

/// <summary>A tenant's provider endpoint paused after failing several times in a row, as shown to that tenant's administrators.</summary>
public sealed record DeliveryPause(Medium Medium, string Endpoint, DateTime Until, int Failures, string LastError)
{
    public string Message =>
        $"{(Medium == Medium.Email ? "E-mail" : "SMS")} delivery through {Endpoint} paused until {Until:HH:mm} UTC: {LastError.TrimEnd('.')}, {Failures} times in a row";
}

/// <summary>
/// The lanes sends travel in on this node: at most so many in flight per tenant and per tenant's provider endpoint, so a
/// slow or hung provider holds only its own tenant's slots; and a breaker per tenant and endpoint that pauses an endpoint
/// after repeated time-outs or transient failures, so its messages wait instead of each holding a slot for the whole
/// deadline. The state is per node and in memory: a restarted node tries a paused endpoint again at once.
/// </summary>
public sealed class DeliveryLanes(IOptions<DeliveryOptions> options)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, int> _perTenant = [];
    private readonly Dictionary<(Guid, string), Lane> _lanes = [];
    private readonly DeliveryOptions _options = options.Value;

    /// <summary>
    /// Takes a slot for one send to <paramref name="endpoint"/> for <paramref name="tenantId"/>, waiting for one while the
    /// tenant's or the endpoint's are all taken, until <paramref name="wait"/> ends (then <see cref="Admission.Busy"/>).
    /// </summary>
    public async Task<(Admission Admission, DateTime PausedUntil)> AdmitAsync(Guid tenantId, Medium medium, string endpoint, DateTime now, CancellationToken wait)
    {
        Waiter waiter;
        lock (_lock)
        {
            var admission = TryAdmit(tenantId, medium, endpoint, now, out var pausedUntil);
            if (admission != Admission.Busy)
            {
                return (admission, pausedUntil);
            }

            waiter = new Waiter();
            LaneOf(tenantId, endpoint, medium).Waiters.Enqueue(waiter);
        }

        // Oldest first: a slot given back goes to the waiter queued longest (see Hand).
        await using var _ = wait.Register(() =>
        {
            lock (_lock)
            {
                waiter.Slot.TrySetResult((Admission.Busy, default));
            }
        });
        return await waiter.Slot.Task;
    }

    /// <summary>Takes a slot at once if one is free.</summary>
    public Admission TryAdmit(Guid tenantId, Medium medium, string endpoint, DateTime now, out DateTime pausedUntil)
    {
        pausedUntil = default;
        lock (_lock)
        {
            var lane = LaneOf(tenantId, endpoint, medium);
            if (lane.PausedUntil is { } until)
            {
                // After the pause one trial send goes through (half-open); the rest wait for its outcome.
                if (now < until || lane.Trial)
                {
                    pausedUntil = now < until ? until : now + TimeSpan.FromSeconds(1);
                    return Admission.Paused;
                }
            }

            if (lane.InFlight >= _options.MaxInFlightPerProvider || _perTenant.GetValueOrDefault(tenantId) >= _options.MaxInFlightPerTenant
                || lane.Waiters.Any(w => !w.Slot.Task.IsCompleted))
            {
                Forget(tenantId, endpoint, lane);
                return Admission.Busy;
            }

            Take(tenantId, lane);
            return Admission.Admitted;
        }
    }

    /// <summary>Gives the slot back and counts the outcome towards the endpoint's breaker.</summary>
    public void Complete(Guid tenantId, string endpoint, DeliveryResult? result, DateTime now)
    {
        lock (_lock)
        {
            var lane = _lanes[(tenantId, endpoint)];
            lane.InFlight--;
            if (--_perTenant[tenantId] == 0)
            {
                _perTenant.Remove(tenantId);
            }

            var trial = lane.Trial;
            lane.Trial = false;
            switch (result)
            {
                // A rate limit is the provider answering, and Retry-After already spaces the retries: it is no outage.
                case DeliveryResult.RetryLater { RetryAfter: null } transient:
                    lane.Failures++;
                    lane.LastError = transient.Reason;
                    if (trial || lane.Failures >= _options.PauseAfterFailures)
                    {
                        lane.PausedUntil = now + _options.PauseFor;
                    }

                    break;
                case null:
                    // Abandoned (the node is stopping): says nothing about the endpoint.
                    break;
                default:
                    lane.Failures = 0;
                    lane.PausedUntil = null;
                    lane.LastError = null;
                    break;
            }

            Hand(tenantId, now);
            Forget(tenantId, endpoint, lane);
        }
    }

    /// <summary>The tenant's paused endpoints, including one whose pause is over but has not yet succeeded again.</summary>
    public IReadOnlyList<DeliveryPause> PausesOf(Guid tenantId)
    {
        lock (_lock)
        {
            return _lanes.Where(l => l.Key.Item1 == tenantId && l.Value.PausedUntil is not null)
                .Select(l => new DeliveryPause(l.Value.Medium, l.Key.Item2, l.Value.PausedUntil!.Value, l.Value.Failures, l.Value.LastError ?? ""))
                .OrderBy(p => p.Endpoint, StringComparer.Ordinal)
                .ToList();
        }
    }

    private Lane LaneOf(Guid tenantId, string endpoint, Medium medium)
    {
        if (!_lanes.TryGetValue((tenantId, endpoint), out var lane))
        {
            lane = new Lane(medium);
            _lanes[(tenantId, endpoint)] = lane;
        }

        return lane;
    }

    private void Take(Guid tenantId, Lane lane)
    {
        lane.Trial = lane.PausedUntil is not null;
        lane.InFlight++;
        _perTenant[tenantId] = _perTenant.GetValueOrDefault(tenantId) + 1;
    }

    // Gives the tenant's free slots to its waiting sends, oldest first per endpoint; a paused endpoint's waiters learn it.
    private void Hand(Guid tenantId, DateTime now)
    {
        foreach (var (key, lane) in _lanes.Where(l => l.Key.Item1 == tenantId && l.Value.Waiters.Count > 0).ToList())
        {
            while (lane.Waiters.TryPeek(out var next))
            {
                if (next.Slot.Task.IsCompleted)
                {
                    lane.Waiters.Dequeue(); // gave up waiting
                    continue;
                }

                if (lane.PausedUntil is { } until && (now < until || lane.Trial))
                {
                    lane.Waiters.Dequeue();
                    next.Slot.TrySetResult((Admission.Paused, now < until ? until : now + TimeSpan.FromSeconds(1)));
                    continue;
                }

                if (lane.InFlight >= _options.MaxInFlightPerProvider || _perTenant.GetValueOrDefault(tenantId) >= _options.MaxInFlightPerTenant)
                {
                    break;
                }

                lane.Waiters.Dequeue();
                Take(tenantId, lane);
                next.Slot.TrySetResult((Admission.Admitted, default));
            }

            Forget(key.Item1, key.Item2, lane);
        }
    }

    // A lane with nothing in flight and nothing to remember is dropped, so the table holds only live endpoints.
    private void Forget(Guid tenantId, string endpoint, Lane lane)
    {
        if (lane is { InFlight: 0, Failures: 0, Waiters.Count: 0 })
        {
            _lanes.Remove((tenantId, endpoint));
        }
    }

    private sealed class Waiter
    {
        public TaskCompletionSource<(Admission, DateTime)> Slot { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Lane(Medium medium)
    {
        public Medium Medium { get; } = medium;

        public int InFlight { get; set; }

        public int Failures { get; set; }

        public string? LastError { get; set; }

        public DateTime? PausedUntil { get; set; }

        public Queue<Waiter> Waiters { get; } = new();

        /// <summary>The one send let through after a pause, whose outcome closes or reopens the breaker.</summary>
        public bool Trial { get; set; }
    }
}
