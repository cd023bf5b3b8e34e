using Vouch.Core.Features.Tenancy;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Audit;

/// <summary>Adds audit entries to the unit of work; they are chained and saved with the change that caused them.</summary>
public sealed class AuditLog(VouchDbContext db, Caller caller, TimeProvider clock, AuditInstants instants)
{
    public void Record(string action, string? targetType = null, string? targetId = null, string? detail = null) =>
        RecordFor(caller.TenantId ?? throw new InvalidOperationException("An audit entry needs a tenant."), action, targetType, targetId, detail);

    /// <summary>Records for a given tenant: system work that spans tenants (the delivery worker, expiry sweeps).</summary>
    public void RecordFor(Guid tenant, string action, string? targetType = null, string? targetId = null, string? detail = null)
    {
        var occurredAt = instants.Next(clock.GetUtcNow().UtcDateTime);
        db.AuditEntries.Add(new AuditEntry(
            Guid.CreateVersion7(new DateTimeOffset(occurredAt)),
            tenant,
            occurredAt,
            action,
            caller.Kind,
            caller.ActorId?.ToString(),
            caller.ActorName,
            targetType,
            targetId,
            detail,
            caller.SourceAddress));
    }
}

/// <summary>
/// Gives each audit entry of this server a later instant than the one before it: entries are sealed into the chain in the
/// order of their instants, so the chain keeps the order the changes were made in, even when the clock has not moved since
/// the last entry (then the next microsecond, the precision kept).
/// </summary>
public sealed class AuditInstants
{
    private long _lastTicks;

    public DateTime Next(DateTime now)
    {
        var ticks = AuditChain.Truncate(now).Ticks;
        long last, next;
        do
        {
            last = Volatile.Read(ref _lastTicks);
            next = Math.Max(ticks, last + 10);
        }
        while (Interlocked.CompareExchange(ref _lastTicks, next, last) != last);
        return new DateTime(next, DateTimeKind.Utc);
    }
}
