using Microsoft.EntityFrameworkCore;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Delivery;
using Vouch.Core.Features.Directory;
using Vouch.Core.Features.InboundSms;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Ports;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Verification;

public sealed record StartVerificationRequest(Guid? ContactId, VerificationChannel? Channel, string? Destination, string? TicketReference, string? Note);

/// <summary>
/// Sends a contact a code or a link over one of the contact's own numbers or addresses. The message is queued in the same
/// transaction as the verification and delivered by the worker; a pending verification on the same channel is superseded.
/// </summary>
public sealed class StartVerification(
    VouchDbContext db,
    Caller caller,
    AuditLog audit,
    TimeProvider clock,
    TenantProfiles profiles,
    VerificationKeyring keyring,
    VerificationLimits limits,
    MessageQueue queue,
    DeliverySignal signal,
    IPublicAddress publicAddress,
    IVerificationNotifier notifier,
    VerificationTicketNotes ticketNotes)
{
    public const int MaxNoteLength = 500;
    public const int MaxTicketReferenceLength = 100;

    // Every send runs these; compiled once (see PerModel). The tenant filter keeps another tenant's contact out.
    private static readonly PerModel<Func<VouchDbContext, Guid, CancellationToken, Task<Contact?>>> ContactWithDestinations = new(() => EF.CompileAsyncQuery(
        (VouchDbContext db, Guid id, CancellationToken ct) => db.Contacts.AsNoTracking().Include(c => c.Emails).Include(c => c.Phones).SingleOrDefault(c => c.Id == id)));

    private static readonly PerModel<Func<VouchDbContext, Guid, VerificationChannel, IAsyncEnumerable<ContactVerification>>> Pending = new(() => EF.CompileAsyncQuery(
        (VouchDbContext db, Guid contactId, VerificationChannel channel) => db.Verifications
            .Where(v => v.ContactId == contactId && v.Channel == channel && v.Status == VerificationStatus.Pending)));

    public async Task<Outcome<VerificationView>> HandleAsync(StartVerificationRequest request, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (request.ContactId is null)
        {
            errors.Add("contactId", "is required");
        }

        if (request.Channel is null)
        {
            errors.Add("channel", "is required: sms_code, sms_link, email_code or email_link");
        }

        if (string.IsNullOrWhiteSpace(request.Destination))
        {
            errors.Add("destination", "is required: one of the contact's phone numbers or e-mail addresses");
        }

        var note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim();
        if (note?.Length > MaxNoteLength)
        {
            errors.Add("note", $"must be at most {MaxNoteLength} characters");
        }

        var ticket = string.IsNullOrWhiteSpace(request.TicketReference) ? null : request.TicketReference.Trim();
        if (ticket?.Length > MaxTicketReferenceLength)
        {
            errors.Add("ticketReference", $"must be at most {MaxTicketReferenceLength} characters");
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var tenantId = caller.TenantId!.Value;
        var channel = request.Channel!.Value;
        var contact = await ContactWithDestinations.For(db)(db, request.ContactId!.Value, ct);
        if (contact is null)
        {
            return new NotFound("contact");
        }

        var profile = await profiles.GetAsync(db, tenantId, ct);
        var (destination, isDefault, problem) = ContactDestinations.Match(contact, channel.UsesSms(), request.Destination!, profile.Region);
        if (problem is not null)
        {
            return Invalid.Field("destination", problem);
        }

        // The worker would refuse the text anyway; saying so now lets the technician choose another channel at once.
        if (channel.UsesSms() && await SmsOptOut.IsOptedOutAsync(db, destination!, ct))
        {
            return Invalid.Field("destination", "has opted out of texts (replied STOP); use another channel");
        }

        if (ticket is not null)
        {
            ticket = await ticketNotes.ResolveAsync(ticket, ct);
            if (ticket is null)
            {
                return Invalid.Field("ticketReference", $"no ticket {request.TicketReference!.Trim()}: give the number of an existing ticket, e.g. 1042");
            }
        }

        var settings = profile.Verification;
        var recentChange = VerificationSettings.RecentChange(settings.RecentDestinationDays, contact.DestinationChangedAt(destination!), clock.GetUtcNow().UtcDateTime);
        if (recentChange is { } changedAt)
        {
            var what = channel.UsesSms() ? "number" : "address";
            if (settings.RecentDestinationNeedsAdmin && !caller.CanConfigure)
            {
                return new Forbidden($"this {what} was added to the contact on {changedAt:yyyy-MM-dd HH:mm} UTC; your policy lets only an Owner or Admin send a verification to it");
            }

            if (note is null)
            {
                return Invalid.Field("note", $"is required: this {what} was added to the contact on {changedAt:yyyy-MM-dd HH:mm} UTC; say who confirmed it belongs to the contact (e.g. \"confirmed with their manager on the office line\")");
            }
        }

        if (!isDefault && settings.RequireNoteForNonDefaultDestination && note is null)
        {
            return Invalid.Field("note", "is required by your policy when the destination is not the contact's default (say who approved it, e.g. \"Manager approval\")");
        }

        if (limits.TrySend(tenantId, caller.ActorId?.ToString() ?? caller.ActorName ?? "", destination!) is { } refused)
        {
            return new TooManyRequests(refused.Reason, refused.RetryAfter);
        }

        var now = clock.GetUtcNow();
        var changes = new List<ContactVerification>();
        var pending = await Pending.For(db)(db, contact.Id, channel).ToListAsync(ct);
        foreach (var old in pending.Where(old => old.Supersede(now.UtcDateTime)))
        {
            audit.Record("verification.superseded", "verification", old.Id.ToString(), $"replaced by a new {channel.Name()} verification");
            changes.Add(old);
        }

        var id = Guid.CreateVersion7(now);
        string? code = null, link = null;
        string secretHash;
        if (channel.UsesLink())
        {
            var token = VerificationSecrets.NewLinkToken();
            link = $"{publicAddress.BaseUrl}/v/{token}";
            secretHash = VerificationSecrets.HashLinkToken(token);
        }
        else
        {
            code = VerificationSecrets.NewCode();
            secretHash = (await keyring.GetAsync(ct)).HashCode(id, code);
        }

        var verification = new ContactVerification(id, tenantId, contact.Id, channel, destination!, ticket, note,
            caller.Kind, caller.ActorId, caller.ActorName ?? "", now.UtcDateTime, settings.Lifetime,
            Math.Clamp(settings.MaxAttempts, 1, VerificationSettings.MaxAttemptsCeiling), secretHash);
        db.Verifications.Add(verification);

        var values = new TemplateValues(code, link, settings.LifetimeMinutes, contact.FirstName, profile.MspName);
        var fallbacks = new List<TemplateFallback>();
        if (channel.UsesSms())
        {
            queue.Enqueue(tenantId, id, await VerificationTemplates.SmsAsync(channel, settings.Templates, destination!, values, fallbacks), profile.Delivery);
        }
        else
        {
            queue.Enqueue(tenantId, id, await VerificationTemplates.EmailAsync(channel, settings.Templates, settings.Branding, destination!, values, fallbacks), profile.Delivery);
        }

        VerificationTemplates.Audit(audit, fallbacks, "verification_settings", $"verification {id}");

        audit.Record("verification.sent", "verification", id.ToString(),
            $"{channel.Name()} to {verification.DestinationMasked} for contact {contact.Id}"
            + (recentChange is { } added ? $" (added to the contact {added:yyyy-MM-dd HH:mm} UTC)" : "")
            + (ticket is null ? "" : $", ticket {ticket}") + (note is null ? "" : $", note: {note}"));
        await db.SaveChangesAsync(ct);
        signal.Wake();
        changes.Add(verification);
        notifier.Notify(changes.Select(v => v.ChangedAt(now.UtcDateTime)).ToList());
        return verification.ToView();
    }
}
