using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Features.Tickets;
using Vouch.Core.Ports;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.SecureSend;

/// <summary>
/// A new secret: either <paramref name="Envelope"/>, encrypted by the client (end to end: the server never sees the key),
/// or <paramref name="Text"/>, which the server encrypts under a fresh key that it puts in the returned link and forgets.
/// </summary>
public sealed record CreateSecretRequest(
    string? Text,
    string? Envelope,
    int? LifetimeMinutes,
    bool? SingleUse,
    Guid? ContactId,
    string? Label,
    string? TicketReference = null,
    string? Passphrase = null);

/// <summary>A secret's metadata and state; never its content.</summary>
public sealed record SecretView(
    Guid Id,
    SecretState State,
    bool SingleUse,
    DateTime CreatedAt,
    DateTime ExpiresAt,
    Guid? ContactId,
    string? Label,
    string? TicketReference,
    string CreatedBy,
    int Reveals,
    DateTime? LastRevealedAt,
    DateTime? EndedAt);

/// <summary>The answer to a create: the link is shown this once (with the key in its fragment when the server encrypted).</summary>
public sealed record CreatedSecret(SecretView Secret, string Link);

public static class SecretTokens
{
    /// <summary>256 random bits, URL-safe: the link's path names the secret without revealing anything.</summary>
    public static string New() => SecretEnvelope.Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static SecretView View(Secret s) => new(s.Id, s.State, s.SingleUse, s.CreatedAt, s.ExpiresAt, s.ContactId, s.Label, s.TicketReference, s.CreatedByName,
        s.Reveals, s.LastRevealedAt, s.EndedAt);
}

public sealed class CreateSecret(VouchDbContext db, Caller caller, AuditLog audit, TimeProvider clock, IPublicAddress publicAddress, ITicketDesk desk)
{
    public const int MinLifetimeMinutes = 5;
    public const int MaxLifetimeMinutes = 7 * 24 * 60;

    public async Task<Outcome<CreatedSecret>> HandleAsync(CreateSecretRequest request, CancellationToken ct)
    {
        var prepared = await PrepareAsync(request, ct);
        if (prepared.Succeeded)
        {
            await db.SaveChangesAsync(ct);
        }

        return prepared;
    }

    /// <summary>
    /// Checks the request and adds the secret and its audit entry to the unit of work, without saving; a caller that has
    /// read the tenant's <paramref name="settings"/> already passes them.
    /// </summary>
    public async Task<Outcome<CreatedSecret>> PrepareAsync(CreateSecretRequest request, CancellationToken ct, SecretSettings? settings = null)
    {
        var errors = new FieldErrors();
        if ((request.Text is null) == (request.Envelope is null))
        {
            errors.Add("text", "give either text (the server encrypts it) or envelope (encrypted by you), not both");
        }
        else if (request.Text is { } text && (text.Length == 0 || Encoding.UTF8.GetByteCount(text) > SecretEnvelope.MaxContentBytes))
        {
            errors.Add("text", $"must be between 1 and {SecretEnvelope.MaxContentBytes} bytes");
        }
        else if (request.Envelope is not null && SecretEnvelope.Problem(request.Envelope) is { } problem)
        {
            errors.Add("envelope", problem);
        }

        settings ??= await GetSecretSettings.LoadAsync(db, caller, ct);
        var locked = settings.LockedForTechnicians && !caller.CanConfigure;
        var lifetime = request.LifetimeMinutes ?? settings.TextLifetimeMinutes;
        var singleUse = request.SingleUse ?? settings.SingleUse;
        if (lifetime is < MinLifetimeMinutes or > MaxLifetimeMinutes)
        {
            errors.Add("lifetimeMinutes", $"must be between {MinLifetimeMinutes} and {MaxLifetimeMinutes} (7 days)");
        }
        else if (locked && lifetime != settings.TextLifetimeMinutes)
        {
            errors.Add("lifetimeMinutes", $"is set by your admins to {settings.TextLifetimeMinutes} minutes");
        }

        if (locked && singleUse != settings.SingleUse)
        {
            errors.Add("singleUse", $"is set by your admins ({(settings.SingleUse ? "single use" : "reusable until it expires")})");
        }

        string? ticket = null;
        if (!string.IsNullOrWhiteSpace(request.TicketReference))
        {
            ticket = (await desk.FindAsync(request.TicketReference.Trim(), ct))?.Reference;
            if (ticket is null)
            {
                errors.Add("ticketReference", $"no ticket {request.TicketReference.Trim()}");
            }
        }

        var label = string.IsNullOrWhiteSpace(request.Label) ? null : request.Label.Trim();
        if (label?.Length > Secret.MaxLabelLength)
        {
            errors.Add("label", $"must be at most {Secret.MaxLabelLength} characters");
        }

        if (request.Passphrase is { } passphrase && (request.Text is null || passphrase.Length is < 4 or > 200))
        {
            errors.Add("passphrase", request.Text is null ? "only with text: in an envelope you encrypt, derive the key from the passphrase yourself" : "must be 4 to 200 characters");
        }

        if (request.ContactId is { } contactId && !await db.Contacts.AnyAsync(c => c.Id == contactId, ct))
        {
            errors.Add("contactId", "no such contact");
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var (envelope, key) = request.Text is { } plaintext ? SecretEnvelope.Seal(plaintext, request.Passphrase) : (request.Envelope!, null);
        var now = clock.GetUtcNow();
        var token = SecretTokens.New();
        var secret = new Secret(Guid.CreateVersion7(now), caller.TenantId!.Value, SecretTokens.Hash(token), envelope, singleUse,
            now.UtcDateTime, TimeSpan.FromMinutes(lifetime), request.ContactId, label, caller.Kind, caller.ActorId, caller.ActorName ?? "", ticket);
        db.Secrets.Add(secret);
        audit.Record("secret.created", "secret", secret.Id.ToString(),
            $"{(key is null ? "encrypted by the sender" : "encrypted by the server")}{(envelope.Contains("\"pw\"", StringComparison.Ordinal) ? " with a passphrase" : "")}, {(secret.SingleUse ? "single use" : "reusable")}, expires {secret.ExpiresAt:yyyy-MM-dd HH:mm} UTC"
            + (secret.ContactId is { } c ? $", for contact {c}" : "") + (label is null ? "" : $", {label}") + (ticket is null ? "" : $", ticket {ticket}"));
        if (ticket is not null && settings.LogToTicket)
        {
            await desk.AddNoteAsync(ticket, $"Secure message created by {secret.CreatedByName}" + (label is null ? "" : $" ({label})") +
                $": {(singleUse ? "single use" : "reusable")}, expires {secret.ExpiresAt:yyyy-MM-dd HH:mm} UTC.", settings.TicketNotesInternal, NoteAuthor.Of(caller), ct);
        }

        var link = $"{publicAddress.BaseUrl}/s/{token}" + (key is null ? "" : "#" + key);
        return new CreatedSecret(SecretTokens.View(secret), link);
    }
}

public sealed class GetSecret(VouchDbContext db)
{
    public async Task<Outcome<SecretView>> HandleAsync(Guid id, CancellationToken ct) =>
        await db.Secrets.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct) is { } secret ? SecretTokens.View(secret) : new NotFound("secret");
}

/// <summary>Ends a secret before anyone reveals it: its ciphertext is erased at once.</summary>
public sealed class RevokeSecret(VouchDbContext db, AuditLog audit, TimeProvider clock)
{
    public async Task<Outcome<SecretView>> HandleAsync(Guid id, CancellationToken ct)
    {
        var secret = await db.Secrets.SingleOrDefaultAsync(s => s.Id == id, ct);
        if (secret is null)
        {
            return new NotFound("secret");
        }

        if (!secret.Revoke(clock.GetUtcNow().UtcDateTime))
        {
            return new Conflict("id", $"the secret is already {secret.State.ToString().ToLowerInvariant()}");
        }

        audit.Record("secret.revoked", "secret", id.ToString());
        await db.SaveChangesAsync(ct);
        return SecretTokens.View(secret);
    }
}
