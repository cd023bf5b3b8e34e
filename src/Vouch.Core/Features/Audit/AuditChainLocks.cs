using System.Collections.Concurrent;

namespace Vouch.Core.Features.Audit;

/// <summary>Serialises appends to one tenant's chain inside this process; PostgreSQL adds an advisory lock across nodes.</summary>
public sealed class AuditChainLocks
{
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _locks = new();

    public async Task<IDisposable> AcquireAsync(Guid tenantId, CancellationToken ct)
    {
        var gate = _locks.GetOrAdd(tenantId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        return new Release(gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
