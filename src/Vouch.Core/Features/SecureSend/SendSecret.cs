using Microsoft.EntityFrameworkCore;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Delivery;
using Vouch.Core.Features.Directory;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Features.Verification;
using Vouch.Core.Ports;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.SecureSend;

/// <summary>How the link reaches the contact: the technician copies it, or Vouch texts or e-mails it.</summary>
public enum SecretDelivery
{
    Link,
    Sms,
    Email,
}

/// <summary>
/// A secret the technician's browser encrypted for a contact. <paramref name="Key"/> (the link's fragment) is given only
/// when Vouch must text or e-mail the link: it goes into that message, which is stored encrypted and erased once the
/// provider has it, and nowhere else.
/// </summary>
public sealed record SendSecretRequest(
    Guid? ContactId,
    string? Envelope,
    string? Key,
    SecretDelivery? Delivery,
    string? Destination,
    int? LifetimeMinutes,
    bool? SingleUse,
    string? Label,
    string? TicketReference = null);

/// <summary>The secret, its link without the key (the browser adds it for copying), and where it was sent, masked.</summary>
public sealed record SentSecret(SecretView Secret, string Link, string? SentTo);

public sealed class SendSecret(
    VouchDbContext db,
    Caller caller,
    CreateSecret create,
    AuditLog audit,
    TenantProfiles profiles,
    VerificationLimits limits,
    MessageQueue queue,
    DeliverySignal signal,
    ITicketDesk desk)
{
    public const string DefaultSmsTemplate =
        "{{ msp_name }}: {{ contact_first_name }}, a secure message for you: {{ link }} (it expires in {{ expires_in_minutes }} minutes).";

    public const string DefaultEmailSubjectTemplate = "A secure message from {{ msp_name }}";

    public const string DefaultEmailTextTemplate =
        "Hello {{ contact_first_name }},\n\n{{ msp_name }} sent you a secure message. Open it here and press Reveal:\n\n{{ link }}\n\nThe link expires in {{ expires_in_minutes }} minutes. If you did not expect it, tell {{ msp_name }}.";

    public async Task<Outcome<SentSecret>> HandleAsync(SendSecretRequest request, CancellationToken ct)
    {
        var delivery = request.Delivery ?? SecretDelivery.Link;
        var contact = await db.Contacts.AsNoTracking().Include(c => c.Emails).Include(c => c.Phones).SingleOrDefaultAsync(c => c.Id == request.ContactId, ct);
        if (contact is null)
        {
            return new NotFound("contact");
        }

        var profile = await profiles.GetAsync(db, caller.TenantId!.Value, ct);
        string? destination = null;
        if (delivery != SecretDelivery.Link)
        {
            var errors = new FieldErrors();
            if (request.Key is not { Length: 43 } key || key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
            {
                errors.Add("key", "is required to text or e-mail the link: the 256-bit key, base64url");
            }

            (destination, _, var problem) = string.IsNullOrWhiteSpace(request.Destination)
                ? (null, false, "is required: one of the contact's numbers or addresses")
                : ContactDestinations.Match(contact, delivery == SecretDelivery.Sms, request.Destination, profile.Region);
            if (problem is not null)
            {
                errors.Add("destination", problem);
            }

            if (errors.Any)
            {
                return errors.ToFailure();
            }

            if (limits.TrySend(caller.TenantId!.Value, caller.ActorId?.ToString() ?? caller.ActorName ?? "", destination!) is { } refused)
            {
                return new TooManyRequests(refused.Reason, refused.RetryAfter);
            }
        }

        var settings = await GetSecretSettings.LoadAsync(db, caller, ct);
        var created = await create.PrepareAsync(
            new CreateSecretRequest(null, request.Envelope, request.LifetimeMinutes, request.SingleUse, contact.Id, request.Label, request.TicketReference), ct, settings);
        if (!created.Succeeded)
        {
            return created.Failure!;
        }

        var secret = created.Value!.Secret;
        string? sentTo = null;
        if (destination is not null)
        {
            var values = new TemplateValues(null, created.Value.Link + "#" + request.Key, (int)Math.Round((secret.ExpiresAt - secret.CreatedAt).TotalMinutes),
                contact.FirstName, profile.MspName);
            if (delivery == SecretDelivery.Sms)
            {
                queue.Enqueue(contact.TenantId, null, new SmsMessage(destination, VerificationTemplates.Text(settings.SmsTemplate ?? DefaultSmsTemplate, values)), profile.Delivery);
            }
            else
            {
                var subject = VerificationTemplates.Text(settings.EmailSubjectTemplate ?? DefaultEmailSubjectTemplate, values).ReplaceLineEndings(" ").Trim();
                queue.Enqueue(contact.TenantId, null, new EmailMessage(destination, subject, VerificationTemplates.Text(settings.EmailTextTemplate ?? DefaultEmailTextTemplate, values), null),
                    profile.Delivery);
            }

            sentTo = VerificationMasking.Mask(destination);
            var how = $"by {(delivery == SecretDelivery.Sms ? "SMS" : "e-mail")} to {sentTo}";
            audit.Record("secret.sent", "secret", secret.Id.ToString(), how);
            if (secret.TicketReference is { } ticket && settings.LogToTicket)
            {
                await desk.AddNoteAsync(ticket, $"Secure message sent {how}.", settings.TicketNotesInternal, Tickets.NoteAuthor.Of(caller), ct);
            }
        }

        await db.SaveChangesAsync(ct);
        if (destination is not null)
        {
            signal.Wake();
        }

        return new SentSecret(secret, created.Value.Link, sentTo);
    }
}
