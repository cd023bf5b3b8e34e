using Microsoft.EntityFrameworkCore;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Tickets;

/// <summary>
/// Filters for the ticket list; all optional and combined. <paramref name="State"/> is "open" or "closed";
/// <paramref name="Search"/> matches words of the summary, or the ticket itself when it is a reference such as "#1042".
/// </summary>
public sealed record ListTicketsRequest(
    string? Status,
    string? State,
    Guid? CompanyId,
    Guid? ContactId,
    Guid? AssigneeId,
    string? Search,
    PageRequest Page);

/// <summary>Tickets newest first.</summary>
public sealed class ListTickets(VouchDbContext db, Caller caller)
{
    public async Task<Outcome<Page<TicketView>>> HandleAsync(ListTicketsRequest request, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var query = db.Tickets.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(request.Status))
        {
            // Matched against the tenant's statuses so "resolved" finds "Resolved"; a retired name simply finds nothing.
            var settings = await TicketRules.SettingsAsync(db, caller, ct);
            var status = settings.Find(request.Status)?.Name ?? request.Status.Trim();
            query = query.Where(t => t.Status == status);
        }

        switch (request.State?.Trim().ToLowerInvariant())
        {
            case null or "":
                break;
            case "open":
                query = query.Where(t => t.ClosedAt == null);
                break;
            case "closed":
                query = query.Where(t => t.ClosedAt != null);
                break;
            default:
                errors.Add("state", "must be open or closed");
                break;
        }

        if (request.Search?.Length > Ticket.MaxSummaryLength)
        {
            errors.Add("search", $"must be at most {Ticket.MaxSummaryLength} characters");
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        if (request.CompanyId is { } companyId)
        {
            query = query.Where(t => t.CompanyId == companyId);
        }

        if (request.ContactId is { } contactId)
        {
            query = query.Where(t => t.ContactId == contactId);
        }

        if (request.AssigneeId is { } assigneeId)
        {
            query = query.Where(t => t.AssigneeId == assigneeId);
        }

        if (TicketReference.TryParse(request.Search, out var number))
        {
            var text = Ticket.NormalizeSummary(request.Search!);
            query = query.Where(t => t.Number == number || t.SummaryNormalized.Contains(text));
        }
        else if (!string.IsNullOrWhiteSpace(request.Search))
        {
            var text = Ticket.NormalizeSummary(request.Search);
            query = query.Where(t => t.SummaryNormalized.Contains(text));
        }

        var rows = await TicketQueries.Rows(db, query)
            .OrderByDescending(r => r.Ticket.Number)
            .Skip(request.Page.Skip).Take(request.Page.Size + 1).ToListAsync(ct);
        return request.Page.ToPage(rows.Select(r => r.ToView()).ToList());
    }
}
