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
/// provider has it, and nowhere else. With <paramref name="Files"/> nothing is sent yet: the browser uploads them and
/// then asks for the delivery (<see cref="DeliverSecret"/>), so the contact never gets a link that does not work yet.
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
    string? TicketReference = null,
    IReadOnlyList<SecretFileDeclaration>? Files = null,
    string? TicketCopy = null);

/// <summary>Texts or e-mails an existing secret's link: <paramref name="Link"/> is the whole link, key included, as its creator holds it.</summary>
public sealed record DeliverSecretRequest(string? Link, SecretDelivery? Delivery, string? Destination);

/// <summary>The secret, its link without the key (the browser adds it for copying), and where it was sent, masked.</summary>
public sealed record SentSecret(SecretView Secret, string Link, string? SentTo);

public sealed class SendSecret(VouchDbContext db, Caller caller, CreateSecret create, DeliverSecret deliver, TenantProfiles profiles, SecretSettingsCache settingsCache)
{
    public async Task<Outcome<SentSecret>> HandleAsync(SendSecretRequest request, CancellationToken ct)
    {
        var delivery = request.Delivery ?? SecretDelivery.Link;
        var contact = await DeliverSecret.LoadContactAsync(db, request.ContactId, ct);
        if (contact is null)
        {
            return new NotFound("contact");
        }

        var profile = await profiles.GetAsync(db, caller.TenantId!.Value, ct);
        var files = request.Files ?? [];
        string? destination = null;
        if (delivery != SecretDelivery.Link)
        {
            // With files the link goes out after the uploads (DeliverSecret): the key comes then, and the send counts then.
            var checkedDestination = deliver.Check(contact, delivery, request.Destination, files.Count == 0 ? request.Key : null, profile, sendingNow: files.Count == 0);
            if (!checkedDestination.Succeeded)
            {
                return checkedDestination.Failure!;
            }

            destination = checkedDestination.Value;
        }

        var settings = await settingsCache.GetAsync(db, caller.TenantId!.Value, ct);
        var created = await create.PrepareAsync(
            new CreateSecretRequest(null, request.Envelope, request.LifetimeMinutes, request.SingleUse, contact.Id, request.Label, request.TicketReference,
                Files: files, TicketCopy: request.TicketCopy), ct, settings);
        if (!created.Succeeded)
        {
            return created.Failure!;
        }

        var secret = created.Value!.Secret;
        var sentTo = destination is null || files.Count > 0
            ? null
            : await deliver.EnqueueAsync(secret, created.Value.Link + "#" + request.Key, contact, delivery, destination, settings, profile, ct);
        await db.SaveChangesAsync(ct);
        if (sentTo is not null)
        {
            deliver.Wake();
        }

        return new SentSecret(secret, created.Value.Link, sentTo);
    }
}

/// <summary>
/// Sends a secret's link to one of its contact's own numbers or addresses, never a typed one: on its own for a secret
/// whose files are now uploaded (or one created through the API), and as the second half of <see cref="SendSecret"/>.
/// </summary>
public sealed class DeliverSecret(
    VouchDbContext db,
    Caller caller,
    AuditLog audit,
    TenantProfiles profiles,
    VerificationLimits limits,
    MessageQueue queue,
    DeliverySignal signal,
    IPublicAddress publicAddress,
    ITicketDesk desk,
    TimeProvider clock,
    SecretSettingsCache settingsCache)
{
    public const string DefaultSmsTemplate =
        "{{ msp_name }}: {{ contact_first_name }}, a secure message for you: {{ link }} (it expires in {{ expires_in_minutes }} minutes).";

    public const string DefaultEmailSubjectTemplate = "A secure message from {{ msp_name }}";

    public const string DefaultEmailTextTemplate =
        "Hello {{ contact_first_name }},\n\n{{ msp_name }} sent you a secure message. Open it here and press Reveal:\n\n{{ link }}\n\nThe link expires in {{ expires_in_minutes }} minutes. If you did not expect it, tell {{ msp_name }}.";

    public async Task<Outcome<SentSecret>> HandleAsync(Guid secretId, DeliverSecretRequest request, CancellationToken ct)
    {
        var secret = await db.Secrets.AsNoTracking().SingleOrDefaultAsync(s => s.Id == secretId, ct);
        if (secret is null)
        {
            return new NotFound("secret");
        }

        var errors = new FieldErrors();
        var (token, key) = SplitLink(request.Link);
        if (token is null || key is null || !string.Equals(SecretTokens.Hash(token), secret.TokenHash, StringComparison.Ordinal))
        {
            errors.Add("link", "must be this secret's whole link, with its key after the #, as it was returned when the secret was created");
        }

        if (secret.ContactId is null)
        {
            errors.Add("id", "the secret names no contact to send it to");
        }

        if (request.Delivery is null or SecretDelivery.Link)
        {
            errors.Add("delivery", "must be sms or email");
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        if (!secret.IsAvailableAt(clock.GetUtcNow().UtcDateTime))
        {
            return new Conflict("id", secret.FilesPending > 0
                ? $"{secret.FilesPending} of its files are not uploaded yet"
                : $"the secret is {(secret.State == SecretState.Active ? "expired" : secret.State.ToString().ToLowerInvariant())}");
        }

        var contact = await LoadContactAsync(db, secret.ContactId, ct);
        if (contact is null)
        {
            return new NotFound("contact");
        }

        var profile = await profiles.GetAsync(db, caller.TenantId!.Value, ct);
        var destination = Check(contact, request.Delivery!.Value, request.Destination, key, profile, sendingNow: true);
        if (!destination.Succeeded)
        {
            return destination.Failure!;
        }

        var view = SecretTokens.View(secret, await db.SecretFiles.AsNoTracking().Where(f => f.SecretId == secretId).ToListAsync(ct));
        var link = $"{publicAddress.BaseUrl}/s/{token}";
        var settings = await settingsCache.GetAsync(db, caller.TenantId!.Value, ct);
        var sentTo = await EnqueueAsync(view, link + "#" + key, contact, request.Delivery.Value, destination.Value!, settings, profile, ct);
        await db.SaveChangesAsync(ct);
        Wake();
        return new SentSecret(view, link, sentTo);
    }

    internal static Task<Contact?> LoadContactAsync(VouchDbContext db, Guid? contactId, CancellationToken ct) =>
        db.Contacts.AsNoTracking().Include(c => c.Emails).Include(c => c.Phones).SingleOrDefaultAsync(c => c.Id == contactId, ct);

    /// <summary>
    /// The destination as stored on the contact, or why not. With <paramref name="sendingNow"/> the link goes out now: the
    /// key is required and the send counts against the rate limits; otherwise only the destination is checked.
    /// </summary>
    internal Outcome<string> Check(Contact contact, SecretDelivery delivery, string? given, string? key, TenantProfile profile, bool sendingNow)
    {
        var errors = new FieldErrors();
        if (sendingNow && !IsKey(key))
        {
            errors.Add("key", "is required to text or e-mail the link: the 256-bit key, base64url");
        }

        var (destination, _, problem) = string.IsNullOrWhiteSpace(given)
            ? (null, false, "is required: one of the contact's numbers or addresses")
            : ContactDestinations.Match(contact, delivery == SecretDelivery.Sms, given, profile.Region);
        if (problem is not null)
        {
            errors.Add("destination", problem);
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        if (sendingNow && limits.TrySend(caller.TenantId!.Value, caller.ActorId?.ToString() ?? caller.ActorName ?? "", destination!) is { } refused)
        {
            return new TooManyRequests(refused.Reason, refused.RetryAfter);
        }

        return destination!;
    }

    /// <summary>Queues the message with the link, logs it and notes the ticket; the caller saves. Returns the masked destination.</summary>
    internal async Task<string> EnqueueAsync(SecretView secret, string link, Contact contact, SecretDelivery delivery, string destination, SecretSettings settings,
        TenantProfile profile, CancellationToken ct)
    {
        var values = new TemplateValues(null, link, (int)Math.Round((secret.ExpiresAt - secret.CreatedAt).TotalMinutes), contact.FirstName, profile.MspName);
        var fallbacks = new List<TemplateFallback>();
        if (delivery == SecretDelivery.Sms)
        {
            queue.Enqueue(contact.TenantId, null,
                new SmsMessage(destination, await VerificationTemplates.MessageAsync(settings.SmsTemplate, DefaultSmsTemplate, "smsTemplate", TemplateMedium.Sms, values, fallbacks)),
                profile.Delivery);
        }
        else
        {
            var subject = await VerificationTemplates.MessageAsync(settings.EmailSubjectTemplate, DefaultEmailSubjectTemplate, "emailSubjectTemplate", TemplateMedium.EmailSubject, values,
                fallbacks, carriesSecret: false);
            var text = await VerificationTemplates.MessageAsync(settings.EmailTextTemplate, DefaultEmailTextTemplate, "emailTextTemplate", TemplateMedium.EmailText, values, fallbacks);
            queue.Enqueue(contact.TenantId, null, new EmailMessage(destination, VerificationTemplates.Subject(subject), text, null), profile.Delivery);
        }

        VerificationTemplates.Audit(audit, fallbacks, "secret_settings", $"secret {secret.Id}");
        var sentTo = VerificationMasking.Mask(destination);
        var how = $"by {(delivery == SecretDelivery.Sms ? "SMS" : "e-mail")} to {sentTo}";
        audit.Record("secret.sent", "secret", secret.Id.ToString(), how);
        if (secret.TicketReference is { } ticket && settings.LogToTicket)
        {
            await desk.AddNoteAsync(ticket, $"Secure message sent {how}.", settings.TicketNotesInternal, Tickets.NoteAuthor.Of(caller), ct);
        }

        return sentTo;
    }

    internal void Wake() => signal.Wake();

    private static bool IsKey(string? key) => key is { Length: 43 } && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>The token of the link's path and the key of its fragment, from any base address (the creator's copy may be from another host name).</summary>
    private static (string? Token, string? Key) SplitLink(string? link)
    {
        var at = link is null || link.Length > 500 ? -1 : link.IndexOf("/s/", StringComparison.Ordinal);
        if (at < 0)
        {
            return (null, null);
        }

        var rest = link![(at + 3)..];
        var hash = rest.IndexOf('#', StringComparison.Ordinal);
        return hash <= 0 ? (null, null) : (rest[..hash], IsKey(rest[(hash + 1)..]) ? rest[(hash + 1)..] : null);
    }
}
