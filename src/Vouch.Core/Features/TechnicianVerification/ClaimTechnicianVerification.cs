using Microsoft.EntityFrameworkCore;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Features.Tickets;
using Vouch.Core.Features.Verification;
using Vouch.Core.Ports;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.TechnicianVerification;

/// <summary>Which ticket to attach to: Vouch's ticket id, or a help-desk reference ("1042"), or neither to open a new ticket.</summary>
public sealed record ClaimTechnicianVerificationRequest(Guid? TicketId, string? TicketReference);

/// <summary>
/// A technician takes a pending request and attaches it to a ticket; from then on only they are shown the code. Two
/// technicians claiming at once: the second save fails on the concurrency token and is told who has it.
/// </summary>
public sealed class ClaimTechnicianVerification(
    VouchDbContext db,
    Caller caller,
    AuditLog audit,
    TimeProvider clock,
    ITicketDesk desk,
    TechnicianVerificationOutcomes outcomes,
    TechnicianVerificationReader reader,
    ITechnicianVerificationNotifier notifier)
{
    public async Task<Outcome<TechnicianVerificationView>> HandleAsync(Guid id, ClaimTechnicianVerificationRequest? request, CancellationToken ct)
    {
        var verification = await db.TechnicianVerifications.SingleOrDefaultAsync(v => v.Id == id, ct);
        if (verification is null)
        {
            return new NotFound("technician verification");
        }

        if (WhyNotClaimable(verification) is { } reason)
        {
            return new Conflict("id", reason);
        }

        var ticket = await TicketAsync(verification, request ?? new(null, null), ct);
        if (!ticket.Succeeded)
        {
            return ticket.Failure!;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (verification.Claim(caller, ticket.Value!, now) is { } refused)
        {
            return new Conflict("id", $"the request cannot be claimed: {refused}");
        }

        await desk.AddNoteAsync(ticket.Value!, await outcomes.ClaimNoteAsync(verification, ct), isInternal: true, NoteAuthor.Of(caller), ct);
        audit.Record("technician_verification.claimed", "technician_verification", id.ToString(), $"attached to ticket {ticket.Value}");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            var now2 = await db.TechnicianVerifications.AsNoTracking().SingleAsync(v => v.Id == id, ct);
            return new Conflict("id", WhyNotClaimable(now2) ?? "the request changed meanwhile; try again");
        }

        notifier.Notify(new TechnicianVerificationChanged(verification.TenantId, id, verification.Status));
        return (await reader.ViewAsync(id, ct))!;
    }

    private string? WhyNotClaimable(TechnicianVerification v) =>
        v.WhyNotOpen(clock.GetUtcNow().UtcDateTime) is { } closed ? $"the request {closed}"
        : v.IsClaimed ? (v.IsClaimedBy(caller) ? "you have already claimed it" : $"{v.ClaimedByName} has already claimed it")
        : null;

    private async Task<Outcome<string>> TicketAsync(TechnicianVerification v, ClaimTechnicianVerificationRequest request, CancellationToken ct)
    {
        if (request.TicketId is { } ticketId)
        {
            var number = await db.Tickets.Where(t => t.Id == ticketId).Select(t => (int?)t.Number).SingleOrDefaultAsync(ct);
            return number is { } n ? TicketReference.Format(n) : Invalid.Field("ticketId", "no such ticket");
        }

        if (!string.IsNullOrWhiteSpace(request.TicketReference))
        {
            return await desk.FindAsync(request.TicketReference.Trim(), ct) is { } found
                ? found.Reference
                : Invalid.Field("ticketReference", $"no ticket {request.TicketReference.Trim()}");
        }

        if (v.CompanyId is not { } companyId)
        {
            return Invalid.Field("ticketId", "is required: the contact belongs to no company, so a new ticket cannot be opened for it");
        }

        var contact = await db.Contacts.AsNoTracking().Where(c => c.Id == v.ContactId).Select(c => c.FirstName + " " + c.LastName).SingleAsync(ct);
        var created = await desk.FindOrCreateAsync(null, new NewDeskTicket(companyId, v.ContactId,
            $"Caller check: {contact.Trim()} asked to verify a technician", $"Technician verification requested by #verify from {v.ContactNumber}."), ct);
        return created.Succeeded ? created.Value!.Reference : created.Failure!;
    }
}

/// <summary>Withdraws a pending request: by its claimant, by anyone while it is unclaimed, or by an Owner or Admin.</summary>
public sealed class CancelTechnicianVerification(
    VouchDbContext db,
    Caller caller,
    AuditLog audit,
    TimeProvider clock,
    TenantProfiles profiles,
    TechnicianVerificationOutcomes outcomes,
    TechnicianVerificationReader reader,
    ITechnicianVerificationNotifier notifier)
{
    public async Task<Outcome<TechnicianVerificationView>> HandleAsync(Guid id, CancellationToken ct)
    {
        var verification = await db.TechnicianVerifications.SingleOrDefaultAsync(v => v.Id == id, ct);
        if (verification is null)
        {
            return new NotFound("technician verification");
        }

        if (verification.IsClaimed && !verification.IsClaimedBy(caller) && !caller.CanConfigure)
        {
            return new Forbidden($"{verification.ClaimedByName} has claimed this request; only they or an Admin can cancel it");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (!verification.Cancel(caller.ActorName ?? "", now))
        {
            return new Conflict("id", $"the request {verification.WhyNotOpen(now)}");
        }

        audit.Record("technician_verification.cancelled", "technician_verification", id.ToString(),
            verification.TicketReference is { } t ? $"ticket {t}" : null);
        await outcomes.RecordAsync(verification, await profiles.GetAsync(db, verification.TenantId, ct), ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new Conflict("id", "the request changed meanwhile (answered or expired); reload it");
        }

        notifier.Notify(new TechnicianVerificationChanged(verification.TenantId, id, verification.Status));
        return (await reader.ViewAsync(id, ct))!;
    }
}
