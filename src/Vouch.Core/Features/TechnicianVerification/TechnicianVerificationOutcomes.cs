using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Vouch.Core.Features.Delivery;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Features.Tickets;
using Vouch.Core.Features.Verification;
using Vouch.Core.Ports;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.TechnicianVerification;

/// <summary>
/// Records how a technician verification ended where people look: a note on its ticket (through the help-desk seam), and
/// for a rejection a flag on the ticket and an e-mail to the tenant's Owners and Admins. Everything goes into the caller's
/// unit of work.
/// </summary>
public sealed class TechnicianVerificationOutcomes(VouchDbContext db, ITicketDesk desk, MessageQueue queue)
{
    public const string RejectedFlag = "The contact rejected a caller claiming to be your technician";

    public async Task RecordAsync(TechnicianVerification verification, TenantProfile profile, CancellationToken ct)
    {
        var rejected = verification.Status == TechnicianVerificationStatus.Rejected;
        if (verification.TicketReference is null && !rejected)
        {
            // Nowhere to write: the console and the audit log already show the outcome.
            return;
        }

        var contact = await ContactNameAsync(verification.ContactId, ct);
        if (verification.TicketReference is { } reference)
        {
            // A ticket deleted meanwhile gets no note; the audit log keeps the outcome.
            await desk.AddNoteAsync(reference, Describe(verification, contact), isInternal: true, NoteAuthor.System, ct);
            if (rejected)
            {
                await desk.FlagAsync(reference, RejectedFlag, ct);
            }
        }

        if (rejected)
        {
            await AlertAdminsAsync(verification, contact, profile, ct);
        }
    }

    /// <summary>A note for the ticket when the request is claimed: who asked, from which number, who took it.</summary>
    public async Task<string> ClaimNoteAsync(TechnicianVerification v, CancellationToken ct) =>
        $"Technician verification: {await ContactNameAsync(v.ContactId, ct)} texted #verify from {v.ContactNumber} at {v.CreatedAt:yyyy-MM-dd HH:mm} UTC. " +
        $"Claimed by {v.ClaimedByName} at {v.ClaimedAt:HH:mm} UTC; waiting for the contact's #confirm until {v.ExpiresAt:HH:mm} UTC.";

    /// <summary>For the expiry sweep: records each tenant's outcomes in a scope of that tenant, saved on its own.</summary>
    public static Task RecordAllAsync(IServiceScopeFactory scopes, IEnumerable<TechnicianVerification> ended, CancellationToken ct) =>
        TenantScopes.ForEachTenantAsync(scopes, ended.Where(v => v.TicketReference is not null), v => v.TenantId, async (services, tenantId, verifications) =>
        {
            var profile = await services.GetRequiredService<TenantProfiles>().GetAsync(services.GetRequiredService<VouchDbContext>(), tenantId, ct);
            var outcomes = services.GetRequiredService<TechnicianVerificationOutcomes>();
            foreach (var verification in verifications)
            {
                await outcomes.RecordAsync(verification, profile, ct);
            }
        }, ct);

    public static string Describe(TechnicianVerification v, string contact)
    {
        var outcome = v.Status switch
        {
            TechnicianVerificationStatus.Confirmed => $"CONFIRMED: {contact} texted #confirm from {v.ContactNumber} at {v.CompletedAt:HH:mm} UTC",
            TechnicianVerificationStatus.Rejected => $"REJECTED: {contact} texted #reject from {v.ContactNumber} at {v.CompletedAt:HH:mm} UTC; the caller was not our technician",
            TechnicianVerificationStatus.Expired => $"EXPIRED at {v.ExpiresAt:HH:mm} UTC without an answer from {contact} ({v.ContactNumber})",
            TechnicianVerificationStatus.Cancelled => $"CANCELLED by {v.CompletedBy} at {v.CompletedAt:HH:mm} UTC",
            _ => "PENDING",
        };
        var claim = v.IsClaimed ? $"Claimed by {v.ClaimedByName} at {v.ClaimedAt:HH:mm} UTC." : "No technician had claimed it.";
        return $"Technician verification {outcome}. Requested by #verify at {v.CreatedAt:yyyy-MM-dd HH:mm} UTC. {claim}";
    }

    private async Task AlertAdminsAsync(TechnicianVerification v, string contact, TenantProfile profile, CancellationToken ct)
    {
        var admins = await db.Members.AsNoTracking()
            .Where(m => (m.Role == MemberRole.Owner || m.Role == MemberRole.Admin) && m.Email != null)
            .Select(m => m.Email!).ToListAsync(ct);
        var subject = $"Vouch alert: {contact} rejected a caller claiming to be your technician";
        var body = $"{contact} texted #reject from {v.ContactNumber} at {v.CompletedAt:yyyy-MM-dd HH:mm} UTC: someone who called them claiming to be " +
            $"a {profile.MspName} technician could not read the verification code. Treat it as a social-engineering attempt." +
            (v.TicketReference is { } t ? $" Ticket {t} is flagged." : " No ticket was attached.");
        foreach (var admin in admins)
        {
            queue.Enqueue(v.TenantId, null, new EmailMessage(admin, subject, body, null), profile.Delivery);
        }
    }

    private async Task<string> ContactNameAsync(Guid contactId, CancellationToken ct)
    {
        var name = await db.Contacts.AsNoTracking().Where(c => c.Id == contactId).Select(c => c.FirstName + " " + c.LastName).SingleOrDefaultAsync(ct);
        return string.IsNullOrWhiteSpace(name) ? "the contact" : name.Trim();
    }
}
