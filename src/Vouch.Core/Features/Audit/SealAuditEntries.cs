using Microsoft.EntityFrameworkCore;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Audit;

/// <summary>
/// Links committed audit entries into their tenant's chain. A change saves its entries unsealed, in its own transaction, so
/// no write waits for another tenant's or even its own tenant's chain; this pass then links each tenant's unsealed
/// entries, oldest first, after the tenant's head and moves the head, one transaction per tenant and batch. The head moves
/// only if it is still the one read in that transaction: two nodes sealing at once never fork a chain (the loser's batch
/// rolls back and is sealed again after the winner's).
/// </summary>
public sealed class SealAuditEntries(VouchDbContext db)
{
    public const int BatchSize = 1000;

    /// <summary>Seals every tenant's unsealed entries; returns how many it sealed.</summary>
    public async Task<int> HandleAsync(CancellationToken ct)
    {
        var tenants = await db.AuditEntries.IgnoreQueryFilters().AsNoTracking().Where(a => a.Sequence == null)
            .Select(a => a.TenantId).Distinct().ToListAsync(ct);
        var count = 0;
        foreach (var tenantId in tenants)
        {
            // Until a batch is not full (what was committed by then is sealed); a batch lost to another sealer is read again.
            for (var lost = 0; lost < 10;)
            {
                var batch = await SealBatchAsync(tenantId, ct);
                if (batch is null)
                {
                    lost++;
                    continue;
                }

                count += batch.Value;
                if (batch < BatchSize)
                {
                    break;
                }
            }
        }

        return count;
    }

    // Returns how many entries it sealed, or null when another sealer moved the head first.
    private async Task<int?> SealBatchAsync(Guid tenantId, CancellationToken ct)
    {
        try
        {
            await using var transaction = await db.BeginWriteTransactionAsync(ct);
            // The head first, then the entries: an entry another sealer sealed after this read came with a head move, which
            // makes the conditional update below find nothing.
            var head = await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId)
                .Select(t => new { t.AuditHeadSequence, t.AuditHeadHash }).SingleAsync(ct);
            var entries = await db.AuditEntries.IgnoreQueryFilters().Where(a => a.TenantId == tenantId && a.Sequence == null)
                .OrderBy(a => a.OccurredAt).ThenBy(a => a.Id).Take(BatchSize).ToListAsync(ct);
            if (entries.Count == 0)
            {
                return 0;
            }

            var (sequence, hash) = (head.AuditHeadSequence, head.AuditHeadHash);
            foreach (var entry in entries)
            {
                (sequence, hash) = AuditChain.Link(entry, sequence, hash);
            }

            // On PostgreSQL this also locks the tenant row until commit: a second sealer waits here, then finds the head moved.
            var moved = await db.Tenants.Where(t => t.Id == tenantId && t.AuditHeadSequence == head.AuditHeadSequence)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.AuditHeadSequence, sequence).SetProperty(t => t.AuditHeadHash, hash), ct);
            if (moved == 0)
            {
                return null; // another sealer moved the head meanwhile
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return entries.Count;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}
