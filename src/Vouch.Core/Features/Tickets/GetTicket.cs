using Microsoft.EntityFrameworkCore;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Tickets;

/// <summary>A ticket with its notes.</summary>
public sealed class GetTicket(VouchDbContext db)
{
    public async Task<Outcome<TicketDetailView>> HandleAsync(Guid id, CancellationToken ct)
    {
        var ticket = await TicketQueries.ViewAsync(db, id, ct);
        if (ticket is null)
        {
            return new NotFound("ticket");
        }

        return new TicketDetailView(ticket, await ListTicketNotes.ReadAsync(db, id, ct));
    }
}

/// <summary>A ticket's notes, oldest first, as the conversation happened.</summary>
public sealed class ListTicketNotes(VouchDbContext db)
{
    public async Task<Outcome<List<TicketNoteView>>> HandleAsync(Guid ticketId, CancellationToken ct)
    {
        if (!await db.Tickets.AnyAsync(t => t.Id == ticketId, ct))
        {
            return new NotFound("ticket");
        }

        return await ReadAsync(db, ticketId, ct);
    }

    internal static async Task<List<TicketNoteView>> ReadAsync(VouchDbContext db, Guid ticketId, CancellationToken ct)
    {
        var notes = await db.TicketNotes.AsNoTracking().Where(n => n.TicketId == ticketId)
            .OrderBy(n => n.CreatedAt).ThenBy(n => n.Id).ToListAsync(ct);
        return notes.Select(TicketQueries.ToView).ToList();
    }
}
