using Vouch.Core.Features.Tenancy;

namespace Vouch.Core.Features.Audit;

/// <summary>One security-relevant event. Entries are append-only and chained by hash per tenant.</summary>
public sealed class AuditEntry : ITenantOwned
{
    private AuditEntry()
    {
    }

    public AuditEntry(Guid id, Guid tenantId, DateTime occurredAt, string action, ActorKind actorKind, string? actorId, string? actorName,
        string? targetType, string? targetId, string? detail, string? sourceAddress)
    {
        Id = id;
        TenantId = tenantId;
        OccurredAt = AuditChain.Truncate(occurredAt);
        Action = action;
        ActorKind = actorKind;
        ActorId = actorId;
        ActorName = actorName;
        TargetType = targetType;
        TargetId = targetId;
        Detail = detail;
        SourceAddress = sourceAddress;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; set; }

    /// <summary>1, 2, 3 … per tenant, with no gaps; null until the entry is sealed into the chain (see <see cref="SealAuditEntries"/>).</summary>
    public long? Sequence { get; internal set; }

    public DateTime OccurredAt { get; private set; }

    /// <summary>A dotted name such as <c>member.signed_in</c> or <c>api_key.revoked</c>.</summary>
    public string Action { get; private set; } = "";

    public ActorKind ActorKind { get; private set; }

    public string? ActorId { get; private set; }

    public string? ActorName { get; private set; }

    public string? TargetType { get; private set; }

    public string? TargetId { get; private set; }

    public string? Detail { get; private set; }

    public string? SourceAddress { get; private set; }

    public string? PreviousHash { get; internal set; }

    public string? Hash { get; internal set; }
}
