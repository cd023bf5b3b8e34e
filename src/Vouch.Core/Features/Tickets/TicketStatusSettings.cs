using Microsoft.EntityFrameworkCore;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Tickets;

public sealed record TicketSettingsView(IReadOnlyList<TicketStatusDefinition> Statuses);

public sealed record TicketStatusInput(string? Name, bool? IsClosed);

/// <summary>The whole list of statuses, in display order.</summary>
public sealed record TicketSettingsInput(List<TicketStatusInput>? Statuses);

public sealed class GetTicketSettings(VouchDbContext db, Caller caller)
{
    public async Task<TicketSettingsView> HandleAsync(CancellationToken ct) =>
        new((await TicketRules.SettingsAsync(db, caller, ct)).Statuses);
}

/// <summary>
/// Replaces the tenant's ticket statuses (Owners, Admins and write keys). The list needs at least one open and one closed
/// status; a status that tickets are in cannot be removed, renamed or switched between open and closed, because those
/// tickets would lose their meaning.
/// </summary>
public sealed class UpdateTicketSettings(VouchDbContext db, Caller caller, AuditLog audit)
{
    public async Task<Outcome<TicketSettingsView>> HandleAsync(TicketSettingsInput input, CancellationToken ct)
    {
        if (!caller.CanConfigure)
        {
            return new Forbidden("only Owners and Admins can change the ticket statuses");
        }

        var errors = new FieldErrors();
        var given = input.Statuses ?? [];
        if (given.Count is 0 or > TicketSettings.MaxStatuses)
        {
            errors.Add("statuses", $"must list between 1 and {TicketSettings.MaxStatuses} statuses");
        }

        var statuses = new List<TicketStatusDefinition>();
        for (var i = 0; i < given.Count; i++)
        {
            var name = given[i].Name?.Trim() ?? "";
            if (name.Length is 0 or > TicketSettings.MaxStatusNameLength)
            {
                errors.Add($"statuses[{i}].name", $"must be between 1 and {TicketSettings.MaxStatusNameLength} characters");
            }
            else if (statuses.Any(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                errors.Add($"statuses[{i}].name", "is listed twice");
            }
            else
            {
                statuses.Add(new TicketStatusDefinition(name, given[i].IsClosed ?? false));
            }
        }

        if (given.Count > 0 && !errors.Any && (statuses.All(s => s.IsClosed) || statuses.All(s => !s.IsClosed)))
        {
            errors.Add("statuses", "must include at least one open and one closed status");
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var tenantId = caller.TenantId!.Value;
        var settings = await db.TicketSettings.SingleOrDefaultAsync(ct);
        if (settings is null)
        {
            settings = new TicketSettings(tenantId);
            db.TicketSettings.Add(settings);
        }

        // Names compare exactly here: tickets store the name as it was, so even a change of case is a rename.
        var changed = settings.Statuses
            .Where(old => statuses.All(s => s.Name != old.Name || s.IsClosed != old.IsClosed))
            .Select(old => old.Name)
            .ToList();
        if (changed.Count > 0)
        {
            var inUse = await db.Tickets.Where(t => changed.Contains(t.Status)).Select(t => t.Status).Distinct().ToListAsync(ct);
            if (inUse.Count > 0)
            {
                return new Conflict("statuses", $"{string.Join(", ", inUse.Order(StringComparer.Ordinal))} is in use by tickets and cannot be removed, renamed or switched between open and closed");
            }
        }

        settings.Statuses = statuses;
        audit.Record("settings.tickets_changed", "tenant", tenantId.ToString(),
            "statuses: " + string.Join(", ", statuses.Select(s => s.IsClosed ? s.Name + " (closed)" : s.Name)));
        await db.SaveChangesAsync(ct);
        return new TicketSettingsView(settings.Statuses);
    }
}
