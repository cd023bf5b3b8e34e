using Microsoft.EntityFrameworkCore;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Tickets;

/// <summary>A note; internal (for the MSP only) unless <paramref name="IsInternal"/> is false.</summary>
public sealed record AddTicketNoteRequest(string? Body, bool? IsInternal);

/// <summary>Adds a note written by the caller to a ticket.</summary>
public sealed class AddTicketNote(VouchDbContext db, Caller caller, TimeProvider clock, AuditLog audit)
{
    public async Task<Outcome<TicketNoteView>> HandleAsync(Guid ticketId, AddTicketNoteRequest request, CancellationToken ct)
    {
        var ticket = await db.Tickets.SingleOrDefaultAsync(t => t.Id == ticketId, ct);
        if (ticket is null)
        {
            return new NotFound("ticket");
        }

        var errors = new FieldErrors();
        TicketRules.NoteBody(request.Body, errors);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var note = Add(db, audit, ticket, request.Body!, request.IsInternal ?? true, NoteAuthor.Of(caller), clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return TicketQueries.ToView(note);
    }

    /// <summary>Adds the note and its audit entry to the unit of work without saving.</summary>
    internal static TicketNote Add(VouchDbContext db, AuditLog audit, Ticket ticket, string body, bool isInternal, NoteAuthor author, DateTime now)
    {
        var note = ticket.AddNote(body, isInternal, author, now);
        db.TicketNotes.Add(note);
        audit.Record("ticket.note_added", "ticket", ticket.Id.ToString(),
            $"{TicketReference.Display(ticket.Number)}: {(isInternal ? "internal" : "public")} note by {author.Name}");
        return note;
    }
}
