using Microsoft.EntityFrameworkCore;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Delivery;
using Vouch.Core.Features.InboundSms;
using Vouch.Core.Features.Verification;
using Vouch.Core.Ports;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.TechnicianVerification;

/// <summary>
/// Acts on a contact's #verify, #confirm and #reject texts. Every refusal is recorded on the inbound text with its reason and
/// sends nothing, so the sender of a refused #verify cannot tell an unknown number from a known one.
/// </summary>
public sealed class TechnicianVerificationTexts(
    VouchDbContext db,
    AuditLog audit,
    TimeProvider clock,
    VerificationKeyring keyring,
    ISecretProtector protector,
    VerificationLimits limits,
    SmsReplies replies,
    TechnicianVerificationOutcomes outcomes)
{
    // Every #verify and #confirm runs these; compiled once (see PerModel). The tenant filter limits each to the context's tenant.
    // A #verify asks who sent it and how many requests that contact has open in one query.
    private static readonly PerModel<Func<VouchDbContext, string, DateTime, IAsyncEnumerable<SenderContact>>> ContactsByPhone = new(() => EF.CompileAsyncQuery(
        (VouchDbContext db, string e164, DateTime now) => (
                from phone in db.ContactPhones
                where phone.E164 == e164
                join c in db.Contacts on phone.ContactId equals c.Id
                select new SenderContact
                {
                    Id = c.Id,
                    CompanyId = c.CompanyId,
                    Pending = db.TechnicianVerifications.Count(v => v.ContactId == c.Id && v.Status == TechnicianVerificationStatus.Pending && v.ExpiresAt > now),
                })
            .Distinct().OrderBy(c => c.Id).Take(2)));

    private static readonly PerModel<Func<VouchDbContext, string, DateTime, CancellationToken, Task<TechnicianVerification?>>> LatestPending = new(() => EF.CompileAsyncQuery(
        (VouchDbContext db, string e164, DateTime now, CancellationToken ct) => db.TechnicianVerifications
            .Where(v => v.ContactNumber == e164 && v.Status == TechnicianVerificationStatus.Pending && v.ExpiresAt > now)
            .OrderByDescending(v => v.CreatedAt).FirstOrDefault()));

    // Set by member (not a constructor) so the query can order by its members after DISTINCT.
    private sealed class SenderContact
    {
        public Guid Id { get; init; }

        public Guid? CompanyId { get; init; }

        public int Pending { get; init; }
    }

    /// <summary>#verify: a fresh code to the contact and to the console, when the sender is one known contact of this tenant.</summary>
    public async Task<TechnicianVerificationChanged?> StartAsync(InboundText text, CancellationToken ct)
    {
        var tenantId = text.Number.TenantId;
        var refusal = !text.From.StartsWith('+') ? "the sender is not a phone number"
            : text.OptedOut ? "the number has opted out (STOP)"
            : limits.TryVerifyText(tenantId, text.From);
        if (refusal is not null)
        {
            return Refuse(text, refusal);
        }

        // Another tenant's contact is simply unknown here: the query filter sees only this tenant's directory.
        var now = clock.GetUtcNow();
        var contacts = await ContactsByPhone.For(db)(db, text.From, now.UtcDateTime).ToListAsync(ct);
        if (contacts.Count != 1)
        {
            return Refuse(text, contacts.Count == 0 ? "unknown number" : "the number belongs to several contacts, so the sender is unclear");
        }

        var contact = contacts[0];
        if (contact.Pending >= TechnicianVerification.MaxPendingPerContact)
        {
            return Refuse(text, $"the contact already has {contact.Pending} pending requests");
        }

        var settings = text.Profile.Verification;
        var id = Guid.CreateVersion7(now);
        var code = VerificationSecrets.NewCode();
        var verification = new TechnicianVerification(id, tenantId, contact.Id, contact.CompanyId, text.From, text.Number.Id,
            (await keyring.GetAsync(ct)).HashCode(id, code), protector.Protect(code), now.UtcDateTime, settings.TechnicianLifetime);
        db.TechnicianVerifications.Add(verification);
        replies.Send(text, SmsTexts.Code(text.Profile.MspName, code, settings.TechnicianLifetimeMinutes));
        text.Message.Handled("technician verification requested: code sent", id);
        audit.Record("technician_verification.requested", "technician_verification", id.ToString(),
            $"#verify from {text.From} (contact {contact.Id}) to {text.Number.E164}, {Received(text)}; code sent, expires {verification.ExpiresAt:HH:mm} UTC");
        return new TechnicianVerificationChanged(tenantId, id, verification.Status);
    }

    /// <summary>#confirm or #reject: answers the sender's most recent pending request.</summary>
    public async Task<TechnicianVerificationChanged?> AnswerAsync(InboundText text, bool confirm, CancellationToken ct)
    {
        var keyword = confirm ? "#confirm" : "#reject";
        var now = clock.GetUtcNow().UtcDateTime;
        var verification = text.From.StartsWith('+')
            ? await LatestPending.For(db)(db, text.From, now, ct)
            : null;
        if (verification is null)
        {
            text.Message.Handled($"{keyword} without a pending request: nothing done");
            return null;
        }

        _ = confirm ? verification.Confirm(now) : verification.Reject(now);
        replies.Send(text, confirm ? SmsTexts.Confirmed(text.Profile.MspName) : SmsTexts.Rejected(text.Profile.MspName));
        text.Message.Handled(confirm ? "confirmed the technician" : "rejected the caller: admins alerted", verification.Id);
        audit.Record(confirm ? "technician_verification.confirmed" : "technician_verification.rejected", "technician_verification",
            verification.Id.ToString(), $"{keyword} from {text.From}, {Received(text)}" + (verification.TicketReference is { } t ? $", ticket {t}" : ", not claimed"));
        await outcomes.RecordAsync(verification, text.Profile, ct);
        return new TechnicianVerificationChanged(verification.TenantId, verification.Id, verification.Status, Alert: !confirm);
    }

    private static string Received(InboundText text) => $"text {text.Message.Id} ({text.Message.Provider} {text.Message.ProviderMessageId})";

    private TechnicianVerificationChanged? Refuse(InboundText text, string reason)
    {
        text.Message.Handled($"no code sent: {reason}");
        return null;
    }
}
