using Vouch.Core.Features.Tenancy;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Audit;

/// <summary>Adds audit entries to the unit of work; they are chained and saved with the change that caused them.</summary>
public sealed class AuditLog(VouchDbContext db, Caller caller, TimeProvider clock)
{
    public void Record(string action, string? targetType = null, string? targetId = null, string? detail = null) =>
        RecordFor(caller.TenantId ?? throw new InvalidOperationException("An audit entry needs a tenant."), action, targetType, targetId, detail);

    /// <summary>Records for a given tenant: system work that spans tenants (the delivery worker, expiry sweeps).</summary>
    public void RecordFor(Guid tenant, string action, string? targetType = null, string? targetId = null, string? detail = null)
    {
        db.AuditEntries.Add(new AuditEntry(
            Guid.CreateVersion7(clock.GetUtcNow()),
            tenant,
            clock.GetUtcNow().UtcDateTime,
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
