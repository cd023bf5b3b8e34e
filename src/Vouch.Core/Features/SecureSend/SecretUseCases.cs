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
    string? Passphrase = null,
    IReadOnlyList<SecretFileDeclaration>? Files = null,
    string? TicketCopy = null);

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
    DateTime? EndedAt,
    IReadOnlyList<SecretFileView> Files);

/// <summary>The answer to a create: the link is shown this once (with the key in its fragment when the server encrypted).</summary>
public sealed record CreatedSecret(SecretView Secret, string Link);

public static class SecretTokens
{
    /// <summary>256 random bits, URL-safe: the link's path names the secret without revealing anything.</summary>
    public static string New() => SecretEnvelope.Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static SecretView View(Secret s, IEnumerable<SecretFile> files) => new(s.Id, s.State, s.SingleUse, s.CreatedAt, s.ExpiresAt, s.ContactId, s.Label,
        s.TicketReference, s.CreatedByName, s.Reveals, s.LastRevealedAt, s.EndedAt,
        files.OrderBy(f => f.Position).Select(f => new SecretFileView(f.Id, f.Length, f.UploadedAt is not null)).ToList());
}

public sealed class CreateSecret(
    VouchDbContext db,
    Caller caller,
    AuditLog audit,
    TimeProvider clock,
    IPublicAddress publicAddress,
    ITicketDesk desk,
    IFileStorage storage,
    SecretSettingsCache settingsCache)
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
        else if (request.Envelope is not null && request.Files is not { Count: > 0 } && SecretEnvelope.IsEmpty(request.Envelope))
        {
            errors.Add("envelope", "holds nothing: send a secret, files, or both");
        }

        settings ??= await settingsCache.GetAsync(db, caller.TenantId!.Value, ct);
        var files = request.Files ?? [];
        var region = files.Count > 0 ? CheckFiles(request, files, settings, errors) : null;
        var locked = settings.LockedForTechnicians && !caller.CanConfigure;
        var defaultLifetime = files.Count > 0 ? settings.FileLifetimeMinutes : settings.TextLifetimeMinutes;
        var lifetime = request.LifetimeMinutes ?? defaultLifetime;
        var singleUse = request.SingleUse ?? settings.SingleUse;
        if (lifetime is < MinLifetimeMinutes or > MaxLifetimeMinutes)
        {
            errors.Add("lifetimeMinutes", $"must be between {MinLifetimeMinutes} and {MaxLifetimeMinutes} (7 days)");
        }
        else if (locked && lifetime != defaultLifetime)
        {
            errors.Add("lifetimeMinutes", $"is set by your admins to {defaultLifetime} minutes");
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

        var ticketCopy = request.TicketCopy;
        if (request.TicketCopy is { } copy && (!settings.CopySecretToTicket || ticket is null || copy.Length > SecretEnvelope.MaxContentBytes))
        {
            errors.Add("ticketCopy", !settings.CopySecretToTicket ? "your admins have not turned on copying secrets into ticket notes"
                : ticket is null ? "needs a ticket reference" : $"must be at most {SecretEnvelope.MaxContentBytes} characters");
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
        var stored = files.Select((f, i) => new SecretFile(Guid.CreateVersion7(now), secret.TenantId, secret.Id, i, f.Name!, f.Length!.Value)).ToList();
        if (stored.Count > 0)
        {
            secret.ExpectFiles(stored.Count, region!);
            db.SecretFiles.AddRange(stored);
        }

        audit.Record("secret.created", "secret", secret.Id.ToString(),
            $"{(key is null ? "encrypted by the sender" : "encrypted by the server")}{(envelope.Contains("\"pw\"", StringComparison.Ordinal) ? " with a passphrase" : "")}, {(secret.SingleUse ? "single use" : "reusable")}, expires {secret.ExpiresAt:yyyy-MM-dd HH:mm} UTC"
            + (stored.Count > 0 ? $", {stored.Count} file{(stored.Count == 1 ? "" : "s")} ({stored.Sum(f => f.Length) / 1024} KiB encrypted, region {region})" : "")
            + (secret.ContactId is { } c ? $", for contact {c}" : "") + (label is null ? "" : $", {label}") + (ticket is null ? "" : $", ticket {ticket}"));
        if (ticket is not null && settings.LogToTicket)
        {
            await desk.AddNoteAsync(ticket, $"Secure message created by {secret.CreatedByName}" + (label is null ? "" : $" ({label})") +
                $": {(singleUse ? "single use" : "reusable")}, expires {secret.ExpiresAt:yyyy-MM-dd HH:mm} UTC.", settings.TicketNotesInternal, NoteAuthor.Of(caller), ct);
        }

        if (ticket is not null && ticketCopy is not null)
        {
            // Always internal, whatever the notes setting: the note holds the secret itself.
            await desk.AddNoteAsync(ticket, $"Secret sent to the contact{(label is null ? "" : $" ({label})")}:\n{ticketCopy}", true, NoteAuthor.Of(caller), ct);
        }

        var link = $"{publicAddress.BaseUrl}/s/{token}" + (key is null ? "" : "#" + key);
        return new CreatedSecret(SecretTokens.View(secret, stored), link);
    }

    /// <summary>Checks the declared files against the tenant's rules; the region they go to, or null with errors added.</summary>
    private string? CheckFiles(CreateSecretRequest request, IReadOnlyList<SecretFileDeclaration> files, SecretSettings settings, FieldErrors errors)
    {
        if (!settings.FilesEnabled)
        {
            errors.Add("files", "file sending is turned off by your admins");
            return null;
        }

        if (request.Text is not null)
        {
            errors.Add("files", "files come only with an envelope you encrypted (the server never sees file content); encrypt them as SecretFileCipher describes");
            return null;
        }

        if (files.Count > settings.MaxFilesPerSecret)
        {
            errors.Add("files", $"at most {settings.MaxFilesPerSecret} files per secret");
        }

        var maxLength = SecretFileCipher.MaxCiphertextLength((long)settings.MaxFileMegabytes * 1024 * 1024);
        for (var i = 0; i < files.Count; i++)
        {
            if (files[i].Length is not { } length || length < SecretFileCipher.HeaderBytes + SecretFileCipher.TagBytes || length > maxLength)
            {
                errors.Add($"files[{i}].length", $"must be the ciphertext's length in bytes; files are limited to {settings.MaxFileMegabytes} MiB");
            }

            if (SecretEnvelope.Problem(files[i].Name, SecretFile.MaxNameContentBytes) is { } problem)
            {
                errors.Add($"files[{i}].name", "must be the file's name and type in an envelope, encrypted with the secret's key: " + problem);
            }
        }

        var region = GetSecretSettings.RegionOf(settings, storage);
        if (storage.Region(region) is null)
        {
            errors.Add("files", $"the file region {region} is not configured on this server; ask your admins to choose another");
        }

        return region;
    }
}

public sealed class GetSecret(VouchDbContext db)
{
    public async Task<Outcome<SecretView>> HandleAsync(Guid id, CancellationToken ct) =>
        await db.Secrets.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct) is { } secret
            ? SecretTokens.View(secret, secret.FileCount == 0 ? [] : await db.SecretFiles.AsNoTracking().Where(f => f.SecretId == id).ToListAsync(ct))
            : new NotFound("secret");
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
        return SecretTokens.View(secret, await db.SecretFiles.AsNoTracking().Where(f => f.SecretId == id).ToListAsync(ct));
    }
}
