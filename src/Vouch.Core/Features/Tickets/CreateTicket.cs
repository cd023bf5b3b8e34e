using Microsoft.EntityFrameworkCore;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Tickets;

/// <summary>A new ticket; status defaults to the tenant's first open status and priority to Normal.</summary>
public sealed record CreateTicketRequest(Guid? CompanyId, Guid? ContactId, string? Summary, string? Description, TicketPriority? Priority, string? Status, Guid? AssigneeId);

/// <summary>Opens a ticket for a company (and optionally one of its contacts) under the tenant's next number.</summary>
public sealed class CreateTicket(VouchDbContext db, Caller caller, TimeProvider clock, AuditLog audit)
{
    public async Task<Outcome<TicketView>> HandleAsync(CreateTicketRequest request, CancellationToken ct)
    {
        var created = await CreateAsync(request, ct);
        return created.Succeeded ? (await TicketQueries.ViewAsync(db, created.Value!.Id, ct))! : created.Failure!;
    }

    /// <summary>Validates, numbers and saves the ticket with its audit entry; also the way <see cref="OwnTicketDesk"/> opens tickets.</summary>
    internal async Task<Outcome<Ticket>> CreateAsync(CreateTicketRequest request, CancellationToken ct)
    {
        var tenantId = caller.TenantId!.Value;
        var settings = await TicketRules.SettingsAsync(db, caller, ct);
        var errors = new FieldErrors();
        TicketRules.Summary(request.Summary, errors);
        TicketRules.Description(request.Description, errors);
        var status = request.Status is null ? settings.FirstOpen : TicketRules.Status(settings, request.Status, errors);
        if (request.Priority is { } priority && !Enum.IsDefined(priority))
        {
            errors.Add("priority", "must be low, normal, high or urgent");
        }

        if (request.CompanyId is not { } companyId)
        {
            errors.Add("companyId", "is required");
        }
        else if (!await db.Companies.AnyAsync(c => c.Id == companyId, ct))
        {
            errors.Add("companyId", "no such company");
        }
        else if (request.ContactId is { } contactId)
        {
            var contact = await db.Contacts.Where(c => c.Id == contactId).Select(c => new { c.CompanyId }).SingleOrDefaultAsync(ct);
            if (contact is null)
            {
                errors.Add("contactId", "no such contact");
            }
            else if (contact.CompanyId is { } other && other != companyId)
            {
                errors.Add("contactId", "belongs to another company");
            }
        }

        if (request.AssigneeId is { } assigneeId)
        {
            await TicketRules.AssigneeAsync(db, assigneeId, errors, ct);
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        await TicketNumbers.EnsureSettingsRowAsync(db, tenantId, ct);
        await using var transaction = db.Database.CurrentTransaction is null ? await db.BeginWriteTransactionAsync(ct) : null;
        var number = await TicketNumbers.NextAsync(db, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var ticket = new Ticket(Guid.CreateVersion7(now), tenantId, number, request.CompanyId!.Value, request.ContactId, now);
        ticket.Describe(request.Summary!, request.Description, now);
        ticket.Prioritise(request.Priority ?? TicketPriority.Normal, now);
        ticket.Assign(request.AssigneeId, now);
        ticket.MoveTo(status!, now);
        db.Tickets.Add(ticket);
        audit.Record("ticket.created", "ticket", ticket.Id.ToString(), $"{TicketReference.Display(number)} {ticket.Summary}; status {ticket.Status}");
        await db.SaveChangesAsync(ct);
        if (transaction is not null)
        {
            await transaction.CommitAsync(ct);
        }

        return ticket;
    }
}
