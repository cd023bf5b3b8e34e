using Microsoft.EntityFrameworkCore;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Ports;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Tickets;

/// <summary>Vouch's own ticket store behind the help-desk port; references are ticket numbers (see <see cref="TicketReference"/>).</summary>
public sealed class OwnTicketDesk(VouchDbContext db, Caller caller, TimeProvider clock, AuditLog audit, CreateTicket create) : ITicketDesk
{
    public async Task<DeskTicket?> FindAsync(string reference, CancellationToken ct)
    {
        if (!TicketReference.TryParse(reference, out var number))
        {
            return null;
        }

        var ticket = await db.Tickets.AsNoTracking().SingleOrDefaultAsync(t => t.Number == number, ct);
        return ticket is null ? null : ToDesk(ticket);
    }

    public async Task<Outcome<DeskTicket>> FindOrCreateAsync(string? reference, NewDeskTicket ticket, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(reference))
        {
            return await FindAsync(reference, ct) is { } found ? found : new NotFound("ticket");
        }

        var created = await create.CreateAsync(
            new CreateTicketRequest(ticket.CompanyId, ticket.ContactId, ticket.Summary, ticket.Description, ticket.Priority, null, null), ct);
        return created.Succeeded ? ToDesk(created.Value!) : created.Failure!;
    }

    public async Task<Outcome<DeskTicket>> AddNoteAsync(string reference, string body, bool isInternal, NoteAuthor author, CancellationToken ct)
    {
        var ticket = await TrackedAsync(reference, ct);
        if (ticket is null)
        {
            return new NotFound("ticket");
        }

        var errors = new FieldErrors();
        TicketRules.NoteBody(body, errors);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        AddTicketNote.Add(db, audit, ticket, body, isInternal, author, clock.GetUtcNow().UtcDateTime);
        return ToDesk(ticket);
    }

    public async Task<Outcome<DeskTicket>> FlagAsync(string reference, string reason, CancellationToken ct)
    {
        var ticket = await TrackedAsync(reference, ct);
        if (ticket is null)
        {
            return new NotFound("ticket");
        }

        ticket.Flag(reason, clock.GetUtcNow().UtcDateTime);
        audit.Record("ticket.flagged", "ticket", ticket.Id.ToString(), $"{TicketReference.Display(ticket.Number)}: {reason}");
        return ToDesk(ticket);
    }

    public async Task<Outcome<DeskTicket>> SetStatusAsync(string reference, string status, CancellationToken ct)
    {
        var ticket = await TrackedAsync(reference, ct);
        if (ticket is null)
        {
            return new NotFound("ticket");
        }

        var errors = new FieldErrors();
        var target = TicketRules.Status(await TicketRules.SettingsAsync(db, caller, ct), status, errors);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var from = ticket.Status;
        if (ticket.MoveTo(target!, clock.GetUtcNow().UtcDateTime))
        {
            audit.Record("ticket.status_changed", "ticket", ticket.Id.ToString(), $"{TicketReference.Display(ticket.Number)}: {from} → {ticket.Status}");
        }

        return ToDesk(ticket);
    }

    // Tracked, so a note and a status change in one unit of work act on the same instance.
    private async Task<Ticket?> TrackedAsync(string reference, CancellationToken ct) =>
        TicketReference.TryParse(reference, out var number) ? await db.Tickets.SingleOrDefaultAsync(t => t.Number == number, ct) : null;

    private static DeskTicket ToDesk(Ticket t) => new(TicketReference.Format(t.Number), t.Summary, t.Status, t.IsClosed, t.Id);
}
