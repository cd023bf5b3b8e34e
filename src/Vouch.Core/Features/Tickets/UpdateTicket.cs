using Microsoft.EntityFrameworkCore;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Tickets;

/// <summary>
/// A change to a ticket; absent (null) fields keep their value. An empty description clears it; <paramref name="Unassign"/>
/// removes the assignee (a JSON null cannot be told from an absent field).
/// </summary>
public sealed record UpdateTicketRequest(string? Summary, string? Description, string? Status, TicketPriority? Priority, Guid? AssigneeId, bool? Unassign);

/// <summary>Changes a ticket's summary, description, status, priority or assignee.</summary>
public sealed class UpdateTicket(VouchDbContext db, Caller caller, TimeProvider clock, AuditLog audit)
{
    public async Task<Outcome<TicketView>> HandleAsync(Guid id, UpdateTicketRequest request, CancellationToken ct)
    {
        var ticket = await db.Tickets.SingleOrDefaultAsync(t => t.Id == id, ct);
        if (ticket is null)
        {
            return new NotFound("ticket");
        }

        var errors = new FieldErrors();
        if (request.Summary is not null)
        {
            TicketRules.Summary(request.Summary, errors);
        }

        TicketRules.Description(request.Description, errors);
        TicketStatusDefinition? status = null;
        if (request.Status is not null)
        {
            status = TicketRules.Status(await TicketRules.SettingsAsync(db, caller, ct), request.Status, errors);
        }

        if (request.Priority is { } priority && !Enum.IsDefined(priority))
        {
            errors.Add("priority", "must be low, normal, high or urgent");
        }

        if (request.AssigneeId is { } assigneeId)
        {
            if (request.Unassign == true)
            {
                errors.Add("unassign", "cannot be combined with assigneeId");
            }
            else
            {
                await TicketRules.AssigneeAsync(db, assigneeId, errors, ct);
            }
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (request.Summary is not null || request.Description is not null)
        {
            ticket.Describe(request.Summary ?? ticket.Summary, request.Description ?? ticket.Description, now);
        }

        if (request.Priority is { } newPriority && newPriority != ticket.Priority)
        {
            ticket.Prioritise(newPriority, now);
        }

        if (request.AssigneeId is not null || request.Unassign == true)
        {
            ticket.Assign(request.AssigneeId, now);
        }

        var from = ticket.Status;
        if (status is not null && ticket.MoveTo(status, now))
        {
            audit.Record("ticket.status_changed", "ticket", ticket.Id.ToString(), $"{TicketReference.Display(ticket.Number)}: {from} → {ticket.Status}");
        }

        await db.SaveChangesAsync(ct);
        return (await TicketQueries.ViewAsync(db, ticket.Id, ct))!;
    }
}
