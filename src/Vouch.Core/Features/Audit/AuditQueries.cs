using Microsoft.EntityFrameworkCore;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Audit;

/// <summary>An entry as listed; <c>Sequence</c> and <c>Hash</c> are null for the moment between its save and its sealing.</summary>
public sealed record AuditEntryView(Guid Id, long? Sequence, DateTime OccurredAt, string Action, ActorKind ActorKind, string? ActorId,
    string? ActorName, string? TargetType, string? TargetId, string? Detail, string? SourceAddress, string? Hash);

public sealed record ListAuditRequest(string? Action, string? ActorId, string? TargetId, DateTime? From, DateTime? To, PageRequest Page);

/// <summary>The tenant's audit log, newest first. An action ending in '.' or '*' matches a prefix (e.g. <c>member.</c>).</summary>
public sealed class ListAudit(VouchDbContext db)
{
    public async Task<Page<AuditEntryView>> HandleAsync(ListAuditRequest request, CancellationToken ct)
    {
        var query = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(request.Action))
        {
            var action = request.Action.Trim();
            if (action.EndsWith('*') || action.EndsWith('.'))
            {
                var prefix = action.TrimEnd('*');
                query = query.Where(a => a.Action.StartsWith(prefix));
            }
            else
            {
                query = query.Where(a => a.Action == action);
            }
        }

        if (!string.IsNullOrWhiteSpace(request.ActorId))
        {
            query = query.Where(a => a.ActorId == request.ActorId);
        }

        if (!string.IsNullOrWhiteSpace(request.TargetId))
        {
            query = query.Where(a => a.TargetId == request.TargetId);
        }

        if (request.From is { } from)
        {
            query = query.Where(a => a.OccurredAt >= from);
        }

        if (request.To is { } to)
        {
            query = query.Where(a => a.OccurredAt < to);
        }

        // Newest first: entries not sealed yet (the last second or so), then the chain from its head back.
        var rows = await query.OrderBy(a => a.Sequence != null).ThenByDescending(a => a.Sequence).ThenByDescending(a => a.OccurredAt).ThenByDescending(a => a.Id)
            .Skip(request.Page.Skip).Take(request.Page.Size + 1)
            .Select(a => new AuditEntryView(a.Id, a.Sequence, a.OccurredAt, a.Action, a.ActorKind, a.ActorId, a.ActorName, a.TargetType,
                a.TargetId, a.Detail, a.SourceAddress, a.Hash))
            .ToListAsync(ct);
        return request.Page.ToPage(rows);
    }
}

/// <summary>A tenant's chain as checked: <paramref name="Break"/> is its first broken link, <paramref name="Unsealed"/> the entries left out of it for too long.</summary>
public sealed record TenantChainResult(Guid TenantId, string TenantName, long Entries, ChainBreak? Break, StaleEntries? Unsealed = null)
{
    public bool IsIntact => Break is null && Unsealed is null;
}

/// <summary>Entries recorded longer ago than <see cref="VerifyAuditChain.SealedWithin"/> that are still not in the chain.</summary>
public sealed record StaleEntries(long Count, Guid OldestId, DateTime OldestAt);

/// <summary>
/// Recomputes every tenant's chain (or the caller's, in a tenant scope) and reports the first broken entry of each, and the
/// entries still unsealed well after a sealer would have sealed them. Only sealed entries are in a chain, so an entry that
/// stays unsealed is unprotected: it was unsealed after the fact (to have it sealed again as a forgery), or held back by the
/// sealer for being older than the chain's head, or no server ran to seal it.
/// </summary>
public sealed class VerifyAuditChain(VouchDbContext db, Caller caller, TimeProvider clock)
{
    /// <summary>A running server seals an entry within about a second; one unsealed for longer than this is reported.</summary>
    public static readonly TimeSpan SealedWithin = TimeSpan.FromSeconds(10);

    public async Task<IReadOnlyList<TenantChainResult>> HandleAsync(CancellationToken ct)
    {
        var results = new List<TenantChainResult>();
        var staleBefore = clock.GetUtcNow().UtcDateTime - SealedWithin;
        var tenants = await db.Tenants.AsNoTracking()
            .Where(t => caller.TenantId == null || t.Id == caller.TenantId)
            .OrderBy(t => t.Name).ToListAsync(ct);
        foreach (var tenant in tenants)
        {
            var entries = await db.AuditEntries.IgnoreQueryFilters().AsNoTracking()
                .Where(a => a.TenantId == tenant.Id && a.Sequence != null)
                .OrderBy(a => a.Sequence)
                .ToListAsync(ct);
            var stale = db.AuditEntries.IgnoreQueryFilters().AsNoTracking()
                .Where(a => a.TenantId == tenant.Id && a.Sequence == null && a.OccurredAt < staleBefore);
            var oldest = await stale.OrderBy(a => a.OccurredAt).ThenBy(a => a.Id).Select(a => new { a.Id, a.OccurredAt }).FirstOrDefaultAsync(ct);
            var unsealed = oldest is null ? null : new StaleEntries(await stale.LongCountAsync(ct), oldest.Id, oldest.OccurredAt);
            results.Add(new TenantChainResult(tenant.Id, tenant.Name, entries.Count,
                AuditChain.Verify(entries, tenant.AuditHeadSequence, tenant.AuditHeadHash), unsealed));
        }

        return results;
    }
}

public sealed record ExportedAuditEntry(Guid Id, long? Sequence, DateTime OccurredAt, string Action, ActorKind ActorKind, string? ActorId,
    string? ActorName, string? TargetType, string? TargetId, string? Detail, string? SourceAddress, string? PreviousHash, string? Hash);

/// <summary>
/// The tenant's whole log, oldest first, with both hashes of every entry, streamed: an outside copy that can be checked
/// against the chain later. Entries not sealed yet come last, without hashes.
/// </summary>
public sealed class ExportAudit(VouchDbContext db)
{
    public IAsyncEnumerable<ExportedAuditEntry> HandleAsync() =>
        db.AuditEntries.AsNoTracking().OrderBy(a => a.Sequence == null).ThenBy(a => a.Sequence).ThenBy(a => a.OccurredAt).ThenBy(a => a.Id)
            .Select(a => new ExportedAuditEntry(a.Id, a.Sequence, a.OccurredAt, a.Action, a.ActorKind, a.ActorId, a.ActorName, a.TargetType,
                a.TargetId, a.Detail, a.SourceAddress, a.PreviousHash, a.Hash))
            .AsAsyncEnumerable();
}
