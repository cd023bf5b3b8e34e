using System.Collections.Concurrent;

namespace Vouch.Core.Features.Audit;

/// <summary>
/// Serialises appends to one tenant's chain inside this process and remembers each chain's head after a commit, so an
/// append need not read it first. The remembered head is only a guess: the head update is conditional on it, and a
/// chain moved by another node or process is re-read.
/// </summary>
public sealed class AuditChainLocks
{
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _locks = new();
    private readonly ConcurrentDictionary<Guid, (long Sequence, string Hash)> _heads = new();

    public bool TryGetHead(Guid tenantId, out (long Sequence, string Hash) head) => _heads.TryGetValue(tenantId, out head);

    public void RememberHead(Guid tenantId, long sequence, string hash) => _heads[tenantId] = (sequence, hash);

    public void ForgetHead(Guid tenantId) => _heads.TryRemove(tenantId, out _);

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
