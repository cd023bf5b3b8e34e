using Vouch.Core.Features.Tenancy;

namespace Vouch.Core.Features.Tickets;

/// <summary>A status a ticket can be in, and whether it counts as closed.</summary>
public sealed record TicketStatusDefinition(string Name, bool IsClosed);

/// <summary>
/// A tenant's ticket statuses and the last ticket number it handed out. One row per tenant, made on the first use.
/// The number lives here, not on the tenant row: the audit chain locks the tenant row while it appends, and a ticket's
/// number is taken before its audit entry, so sharing that row would let two writers wait on each other.
/// </summary>
public sealed class TicketSettings : ITenantOwned
{
    public const int MaxStatuses = 20;
    public const int MaxStatusNameLength = 50;

    private TicketSettings()
    {
    }

    public TicketSettings(Guid tenantId)
    {
        TenantId = tenantId;
        Statuses = Defaults();
    }

    public Guid TenantId { get; set; }

    /// <summary>In display order; new tickets start in the first open one.</summary>
    /// <remarks>Empty until set: EF Core fills the list it finds on a loaded row, so defaults here would be read back in front of the stored ones.</remarks>
    public List<TicketStatusDefinition> Statuses { get; set; } = [];

    /// <summary>The number of the newest ticket; moved only by an atomic increment (see <see cref="TicketNumbers"/>).</summary>
    public int LastNumber { get; private set; }

    public static List<TicketStatusDefinition> Defaults() =>
    [
        new("New", false),
        new("In progress", false),
        new("Waiting", false),
        new("Resolved", true),
        new("Closed", true),
    ];

    /// <summary>The status named <paramref name="name"/>, ignoring case and surrounding spaces.</summary>
    public TicketStatusDefinition? Find(string? name) =>
        name is null ? null : Statuses.FirstOrDefault(s => string.Equals(s.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));

    public TicketStatusDefinition FirstOpen => Statuses.First(s => !s.IsClosed);

    public TicketStatusDefinition? FirstClosed => Statuses.FirstOrDefault(s => s.IsClosed);
}
