using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Audit;

/// <param name="MaxAge">
/// When set, entries recorded longer ago than this are left unsealed (and reported by <see cref="VerifyAuditChain"/>):
/// <c>audit verify</c> seals only what a running sealer has not had time to seal yet.
/// </param>
public sealed record SealAuditRequest(TimeSpan? MaxAge = null)
{
    public static readonly SealAuditRequest Everything = new();
}

/// <summary>How many entries a pass sealed, and the tenants whose chain it would not extend, with the reason.</summary>
public sealed record SealAuditResult(int Sealed, IReadOnlyList<SealRefusal> Refused);

public sealed record SealRefusal(Guid TenantId, string Reason);

/// <summary>
/// Links committed audit entries into their tenant's chain. A change saves its entries unsealed, in its own transaction, so
/// no write waits for another tenant's or even its own tenant's chain; this pass then links each tenant's unsealed
/// entries, oldest first, after the tenant's head and moves the head, one transaction per tenant and batch. The head moves
/// only if it is still the one read in that transaction: two nodes sealing at once never fork a chain (the loser's batch
/// rolls back and is sealed again after the winner's).
/// </summary>
/// <remarks>
/// Sealing must not launder a forgery: whoever can write the database could edit a sealed entry, clear its seal and wind the
/// head back, and a sealer that linked whatever it found would hash the forgery for them. So a pass extends a chain only
/// from a head that matches the newest sealed entry and that is not behind a head this process has seen, and it seals no
/// entry recorded before the newest sealed one (beyond <see cref="LateCommitAllowance"/>): such an entry was sealed once
/// already, or was held back, and stays unsealed for <c>audit verify</c> to report.
/// </remarks>
public sealed class SealAuditEntries(VouchDbContext db, TimeProvider clock, AuditHeadWatermarks watermarks)
{
    public const int BatchSize = 1000;

    /// <summary>
    /// An entry's instant is taken when it is recorded and its transaction commits a little later, possibly after entries
    /// recorded after it were sealed; an entry up to this much older than the newest sealed one is still sealed.
    /// </summary>
    public static readonly TimeSpan LateCommitAllowance = TimeSpan.FromSeconds(30);

    public async Task<SealAuditResult> HandleAsync(SealAuditRequest request, CancellationToken ct)
    {
        DateTime? recordedSince = request.MaxAge is { } maxAge ? clock.GetUtcNow().UtcDateTime - maxAge : null;
        var tenants = await db.AuditEntries.IgnoreQueryFilters().AsNoTracking().Where(a => a.Sequence == null)
            .Select(a => a.TenantId).Distinct().ToListAsync(ct);
        var count = 0;
        var refused = new List<SealRefusal>();
        foreach (var tenantId in tenants)
        {
            // Until a batch is not full (what was committed by then is sealed); a batch lost to another sealer is read again.
            for (var lost = 0; lost < 10;)
            {
                var batch = await SealBatchAsync(tenantId, recordedSince, ct);
                count += batch.Sealed ?? 0;
                if (batch.Refusal is { } reason)
                {
                    refused.Add(new SealRefusal(tenantId, reason));
                    break;
                }

                if (batch.Sealed is not { } sealedCount)
                {
                    lost++;
                    continue;
                }

                if (sealedCount < BatchSize)
                {
                    break;
                }
            }
        }

        return new SealAuditResult(count, refused);
    }

    // Sealed is null when another sealer moved the head first; Refusal says why this chain may not be extended.
    private async Task<(int? Sealed, string? Refusal)> SealBatchAsync(Guid tenantId, DateTime? recordedSince, CancellationToken ct)
    {
        try
        {
            await using var transaction = await db.BeginWriteTransactionAsync(ct);
            // The watermark before the head: it is raised only after a commit, so a head read after it is never behind it
            // unless the head was moved back.
            var seen = watermarks.Get(tenantId);
            // The head first, then the entries: an entry another sealer sealed after this read came with a head move, which
            // makes the conditional update below find nothing.
            var head = await ReadHeadAsync(tenantId, ct);
            if (head.Sequence < seen)
            {
                return (null, $"the recorded head is entry {head.Sequence} but this server has seen it at entry {seen}: the head was moved back");
            }

            var newest = await db.AuditEntries.IgnoreQueryFilters().AsNoTracking()
                .Where(a => a.TenantId == tenantId && a.Sequence != null)
                .OrderByDescending(a => a.Sequence)
                .Select(a => new { a.Sequence, a.Hash, a.OccurredAt })
                .FirstOrDefaultAsync(ct);
            if (newest is not null && (newest.Sequence > head.Sequence || (newest.Sequence == head.Sequence && newest.Hash != head.Hash)))
            {
                // Another sealer may have committed between the two reads; then the head has moved on too.
                return await ReadHeadAsync(tenantId, ct) != head
                    ? (null, null)
                    : (null, $"the recorded head is entry {head.Sequence} but the newest sealed entry is {newest.Sequence}: the head was moved back or changed");
            }

            var unsealed = db.AuditEntries.IgnoreQueryFilters().Where(a => a.TenantId == tenantId && a.Sequence == null);
            var notBefore = newest?.OccurredAt - LateCommitAllowance;
            var query = notBefore is { } floor ? unsealed.Where(a => a.OccurredAt >= floor) : unsealed;

            if (recordedSince is { } since)
            {
                query = query.Where(a => a.OccurredAt >= since);
            }

            var entries = await query.OrderBy(a => a.OccurredAt).ThenBy(a => a.Id).Take(BatchSize).ToListAsync(ct);
            var heldBack = entries.Count < BatchSize && notBefore is { } before && await unsealed.AnyAsync(a => a.OccurredAt < before, ct)
                ? $"entries recorded before the newest sealed entry (entry {newest!.Sequence}, {newest.OccurredAt:O}) are not sealed: they were sealed once and unsealed, or held back"
                : null;
            if (entries.Count == 0)
            {
                return (0, heldBack);
            }

            var (sequence, hash) = (head.Sequence, head.Hash);
            foreach (var entry in entries)
            {
                (sequence, hash) = AuditChain.Link(entry, sequence, hash);
            }

            // On PostgreSQL this also locks the tenant row until commit: a second sealer waits here, then finds the head moved.
            var moved = await db.Tenants.Where(t => t.Id == tenantId && t.AuditHeadSequence == head.Sequence)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.AuditHeadSequence, sequence).SetProperty(t => t.AuditHeadHash, hash), ct);
            if (moved == 0)
            {
                return (null, null); // another sealer moved the head meanwhile
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            watermarks.Raise(tenantId, sequence);
            return (entries.Count, heldBack);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    private Task<Head> ReadHeadAsync(Guid tenantId, CancellationToken ct) =>
        db.Tenants.AsNoTracking().Where(t => t.Id == tenantId)
            .Select(t => new Head(t.AuditHeadSequence, t.AuditHeadHash)).SingleAsync(ct);

    private sealed record Head(long Sequence, string Hash);
}

/// <summary>
/// The highest head this process has sealed each tenant's chain to. A head found behind it was moved back by someone
/// writing the database, not by a sealer (heads only move forward), so the sealer stops extending that chain until a
/// restart, which an administrator does after restoring a backup.
/// </summary>
public sealed class AuditHeadWatermarks
{
    private readonly ConcurrentDictionary<Guid, long> _heads = new();

    public long Get(Guid tenantId) => _heads.GetValueOrDefault(tenantId);

    public void Raise(Guid tenantId, long sequence) => _heads.AddOrUpdate(tenantId, sequence, (_, seen) => Math.Max(seen, sequence));
}
