using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Vouch.Core.Ports;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.SecureSend;

/// <summary>A file as the sender declares it before uploading: its encrypted name and the exact length of its ciphertext.</summary>
public sealed record SecretFileDeclaration(string? Name, long? Length);

/// <summary>A file's metadata: never its name (encrypted) or content.</summary>
public sealed record SecretFileView(Guid Id, long Length, bool Uploaded);

/// <summary>What Reveal hands the recipient's page: the envelope, the files' encrypted names and a grant to fetch them.</summary>
public sealed record RevealedSecret(string Envelope, IReadOnlyList<RevealedFile> Files, string? Grant);

public sealed record RevealedFile(Guid Id, string Name, long Length);

/// <summary>
/// Grants to fetch a secret's files, handed out with each reveal: <c>{expiry, unix seconds}.{HMAC-SHA256}</c> under the
/// secret's own random key. They need no row of their own, and all of them die when the secret is revoked or expires
/// (its <see cref="Secret.DownloadsUntil"/> is cleared) or the row is swept.
/// </summary>
public static class SecretFileGrants
{
    public static string Issue(Secret secret, DateTime until)
    {
        var expiry = new DateTimeOffset(DateTime.SpecifyKind(until, DateTimeKind.Utc)).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return expiry + "." + Mac(secret, expiry);
    }

    public static bool Valid(Secret secret, string? grant, DateTime now)
    {
        if (secret.DownloadKey is null || grant is null || grant.Length > 100 || grant.Split('.') is not [var expiry, var mac]
            || !long.TryParse(expiry, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || DateTimeOffset.FromUnixTimeSeconds(Math.Min(seconds, 253_402_300_799)).UtcDateTime <= now)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(mac), Encoding.ASCII.GetBytes(Mac(secret, expiry)));
    }

    private static string Mac(Secret secret, string expiry) =>
        SecretEnvelope.Base64Url(HMACSHA256.HashData(Convert.FromHexString(secret.DownloadKey!), Encoding.ASCII.GetBytes($"{secret.Id:N}:{expiry}")));
}

/// <summary>
/// Receives one declared file's ciphertext from the sender and streams it to the secret's file store. The length must be
/// exactly the declared one; once the last file is in, the link can be revealed.
/// </summary>
public sealed class UploadSecretFile(VouchDbContext db, IFileStorage storage, TimeProvider clock)
{
    public async Task<Outcome<SecretFileView>> HandleAsync(Guid secretId, Guid fileId, Stream content, long? contentLength, CancellationToken ct)
    {
        var secret = await db.Secrets.AsNoTracking().SingleOrDefaultAsync(s => s.Id == secretId, ct);
        var file = secret is null ? null : await db.SecretFiles.AsNoTracking().SingleOrDefaultAsync(f => f.Id == fileId && f.SecretId == secretId, ct);
        if (secret is null || file is null)
        {
            return new NotFound(secret is null ? "secret" : "file");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (secret.State != SecretState.Active || now >= secret.ExpiresAt)
        {
            return new Conflict("id", "the secret is over: it was revoked or it expired");
        }

        if (file.UploadedAt is not null)
        {
            return new Conflict("fileId", "this file is already uploaded; a sent file cannot be replaced");
        }

        if (contentLength is { } declared && declared != file.Length)
        {
            return Invalid($"must be exactly {file.Length} bytes, as declared when the secret was created, not {declared}");
        }

        if (storage.Region(secret.FileRegion!) is not { } store)
        {
            return new Conflict("id", $"the file region {secret.FileRegion} is no longer configured on this server");
        }

        var claim = Guid.NewGuid();
        if (!await ClaimAsync(fileId, claim, now, ct))
        {
            return new Conflict("fileId", "this file is already uploaded or being uploaded; a sent file cannot be replaced");
        }

        var uploaded = false;
        try
        {
            try
            {
                await store.WriteAsync(file.StorageKey(), new ExactLengthStream(content, file.Length), file.Length, ct);
            }
            catch (InvalidDataException)
            {
                return Invalid($"must be exactly {file.Length} bytes, as declared when the secret was created");
            }

            using (await db.WriteSlotAsync(ct))
            {
                await db.SecretFiles.Where(f => f.Id == fileId && f.UploadClaim == claim)
                    .ExecuteUpdateAsync(u => u.SetProperty(f => f.UploadedAt, now), ct);

                // Counted rather than decremented: concurrent uploads of a secret's files each leave the right number behind.
                await db.Secrets.Where(s => s.Id == secretId).ExecuteUpdateAsync(
                    u => u.SetProperty(s => s.FilesPending, s => db.SecretFiles.Count(f => f.SecretId == s.Id && f.UploadedAt == null)), ct);
            }

            uploaded = true;
        }
        finally
        {
            if (!uploaded)
            {
                // Failed or cut short (the sender may retry at once): let the next upload of this file go ahead.
                using (await db.WriteSlotAsync(CancellationToken.None))
                {
                    await db.SecretFiles.Where(f => f.Id == fileId && f.UploadClaim == claim)
                        .ExecuteUpdateAsync(u => u.SetProperty(f => f.UploadClaim, (Guid?)null), CancellationToken.None);
                }
            }
        }

        return new SecretFileView(file.Id, file.Length, true);
    }

    /// <summary>Takes the file's upload for this request; false when it is uploaded already or another upload holds it.</summary>
    private async Task<bool> ClaimAsync(Guid fileId, Guid claim, DateTime now, CancellationToken ct)
    {
        var stale = now - SecretFile.UploadClaimTimeout;
        using (await db.WriteSlotAsync(ct))
        {
            return await db.SecretFiles
                .Where(f => f.Id == fileId && f.UploadedAt == null && (f.UploadClaim == null || f.UploadClaimedAt < stale))
                .ExecuteUpdateAsync(u => u.SetProperty(f => f.UploadClaim, claim).SetProperty(f => f.UploadClaimedAt, now), ct) == 1;
        }
    }

    private static Invalid Invalid(string reason)
    {
        var errors = new FieldErrors();
        errors.Add("content", reason);
        return errors.ToFailure();
    }
}

/// <summary>Passes a request body through, failing as soon as it holds more bytes than declared (so nothing is stored past it).</summary>
internal sealed class ExactLengthStream(Stream inner, long length) : Stream
{
    private long read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Count(int n)
    {
        read += n;
        if (read > length || (n == 0 && read < length))
        {
            throw new InvalidDataException($"expected {length} bytes");
        }

        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
