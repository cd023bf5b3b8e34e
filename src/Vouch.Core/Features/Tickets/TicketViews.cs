using Microsoft.EntityFrameworkCore;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Tickets;

public sealed record TicketView(
    Guid Id,
    int Number,
    string Reference,
    Guid CompanyId,
    string CompanyName,
    Guid? ContactId,
    string? ContactName,
    string Summary,
    string? Description,
    string Status,
    bool IsClosed,
    TicketPriority Priority,
    Guid? AssigneeId,
    string? AssigneeName,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? ClosedAt,
    DateTime? FlaggedAt,
    string? FlagReason);

public sealed record TicketNoteView(Guid Id, string Body, bool IsInternal, string AuthorName, NoteAuthorKind AuthorKind, Guid? AuthorId, DateTime CreatedAt);

/// <summary>A ticket with its notes, oldest note first.</summary>
public sealed record TicketDetailView(TicketView Ticket, IReadOnlyList<TicketNoteView> Notes);

/// <summary>Reads tickets with the names of their company, contact and assignee.</summary>
internal static class TicketQueries
{
    public static IQueryable<TicketRow> Rows(VouchDbContext db, IQueryable<Ticket> tickets) =>
        from t in tickets
        join company in db.Companies on t.CompanyId equals company.Id
        from contact in db.Contacts.Where(c => c.Id == t.ContactId).DefaultIfEmpty()
        from member in db.Members.Where(m => m.Id == t.AssigneeId).DefaultIfEmpty()
        select new TicketRow
        {
            Ticket = t,
            CompanyName = company.Name,
            ContactFirstName = contact == null ? null : contact.FirstName,
            ContactLastName = contact == null ? null : contact.LastName,
            AssigneeName = member == null ? null : member.DisplayName,
            AssigneeEmail = member == null ? null : member.Email,
        };

    public static async Task<TicketView?> ViewAsync(VouchDbContext db, Guid id, CancellationToken ct)
    {
        var row = await Rows(db, db.Tickets.AsNoTracking().Where(t => t.Id == id)).SingleOrDefaultAsync(ct);
        return row?.ToView();
    }

    public static TicketNoteView ToView(TicketNote n) => new(n.Id, n.Body, n.IsInternal, n.AuthorName, n.AuthorKind, n.AuthorId, n.CreatedAt);
}

internal sealed class TicketRow
{
    public required Ticket Ticket { get; init; }

    public required string CompanyName { get; init; }

    public string? ContactFirstName { get; init; }

    public string? ContactLastName { get; init; }

    public string? AssigneeName { get; init; }

    public string? AssigneeEmail { get; init; }

    public TicketView ToView()
    {
        var t = Ticket;
        var contact = t.ContactId is null ? null : $"{ContactFirstName} {ContactLastName}".Trim();
        var assignee = t.AssigneeId is null ? null : string.IsNullOrWhiteSpace(AssigneeName) ? AssigneeEmail : AssigneeName;
        return new TicketView(t.Id, t.Number, TicketReference.Format(t.Number), t.CompanyId, CompanyName, t.ContactId, contact, t.Summary, t.Description,
            t.Status, t.IsClosed, t.Priority, t.AssigneeId, assignee, t.CreatedAt, t.UpdatedAt, t.ClosedAt,
            t.FlaggedAt, t.FlagReason);
    }
}

/// <summary>The checks every way into the ticket store shares.</summary>
internal static class TicketRules
{
    public static void Summary(string? summary, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(summary) || summary.Trim().Length > Ticket.MaxSummaryLength)
        {
            errors.Add("summary", $"must be between 1 and {Ticket.MaxSummaryLength} characters");
        }
    }

    public static void Description(string? description, FieldErrors errors)
    {
        if (description?.Trim().Length > Ticket.MaxDescriptionLength)
        {
            errors.Add("description", $"must be at most {Ticket.MaxDescriptionLength} characters");
        }
    }

    public static void NoteBody(string? body, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(body) || body.Trim().Length > TicketNote.MaxBodyLength)
        {
            errors.Add("body", $"must be between 1 and {TicketNote.MaxBodyLength} characters");
        }
    }

    public static TicketStatusDefinition? Status(TicketSettings settings, string? status, FieldErrors errors)
    {
        var found = settings.Find(status);
        if (found is null)
        {
            errors.Add("status", "must be one of " + string.Join(", ", settings.Statuses.Select(s => s.Name)));
        }

        return found;
    }

    /// <summary>Only active members of the tenant take tickets (the query filter keeps other tenants' members out).</summary>
    public static async Task AssigneeAsync(VouchDbContext db, Guid memberId, FieldErrors errors, CancellationToken ct)
    {
        if (!await db.Members.AnyAsync(m => m.Id == memberId && m.Role != MemberRole.Inactive, ct))
        {
            errors.Add("assigneeId", "no such active member");
        }
    }

    /// <summary>The tenant's ticket settings as stored, or the defaults when it has no row yet (nothing is written).</summary>
    public static async Task<TicketSettings> SettingsAsync(VouchDbContext db, Caller caller, CancellationToken ct) =>
        await db.TicketSettings.AsNoTracking().SingleOrDefaultAsync(ct) ?? new TicketSettings(caller.TenantId!.Value);
}

/// <summary>Hands out each tenant's ticket numbers: 1, 2, 3 … with no gaps and no repeats, on SQLite and PostgreSQL.</summary>
internal static class TicketNumbers
{
    /// <summary>
    /// Makes the tenant's settings row when it has none. Runs before any transaction: on PostgreSQL a failed insert (another
    /// request made the row first) would abort the transaction around it.
    /// </summary>
    public static async Task EnsureSettingsRowAsync(VouchDbContext db, Guid tenantId, CancellationToken ct)
    {
        if (await db.TicketSettings.AnyAsync(ct))
        {
            return;
        }

        var row = new TicketSettings(tenantId);
        db.TicketSettings.Add(row);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another request made it first; its row serves.
        }
        finally
        {
            db.Entry(row).State = EntityState.Detached;
        }
    }

    /// <summary>
    /// Takes the next number inside the current transaction with an increment in the database, never read-then-write: on
    /// PostgreSQL a second creator's increment waits for the first one's commit and then counts on from it; on SQLite the
    /// write slot already serialises them. A rollback gives the number back.
    /// </summary>
    public static async Task<int> NextAsync(VouchDbContext db, CancellationToken ct)
    {
        using var slot = await db.WriteSlotAsync(ct);
        var moved = await db.TicketSettings.ExecuteUpdateAsync(s => s.SetProperty(x => x.LastNumber, x => x.LastNumber + 1), ct);
        if (moved != 1)
        {
            throw new InvalidOperationException("The tenant has no ticket settings row.");
        }

        return await db.TicketSettings.Select(x => x.LastNumber).SingleAsync(ct);
    }
}
