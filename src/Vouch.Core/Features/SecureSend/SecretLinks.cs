using Microsoft.EntityFrameworkCore;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Features.Tickets;
using Vouch.Core.Features.Verification;
using Vouch.Core.Ports;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.SecureSend;

/// <summary>What the public page shows before Reveal: the MSP's name, or nothing at all for a link that cannot be revealed.</summary>
public sealed record SecretPageView(bool Available, string? MspName, string? PrimaryColor, string? LogoUrl, bool SingleUse = true,
    string? HeaderText = null, string? MessageOnReveal = null, int FileCount = 0);

/// <summary>
/// The public side of a secret link. Opening the page reads nothing secret and changes nothing, so link previews burn
/// nothing; only Reveal (a POST) hands out the ciphertext. An unknown, revealed, expired or revoked link looks the same.
/// </summary>
public sealed class SecretLinks(
    VouchDbContext db,
    Caller caller,
    AuditLog audit,
    TimeProvider clock,
    ITicketDesk desk,
    IFileStorage storage,
    TenantProfiles profiles,
    SecretSettingsCache settingsCache)
{
    public static readonly SecretPageView Gone = new(false, null, null, null);

    // Every open and every reveal looks its link up, across tenants (a link names no tenant); compiled once (see PerModel).
    private static readonly PerModel<Func<VouchDbContext, string, CancellationToken, Task<Secret?>>> ByToken = new(() => EF.CompileAsyncQuery(
        (VouchDbContext db, string hash, CancellationToken ct) => db.Secrets.IgnoreQueryFilters().AsNoTracking().SingleOrDefault(s => s.TokenHash == hash)));

    private static readonly PerModel<Func<VouchDbContext, string, CancellationToken, Task<Secret?>>> ByTokenForChange = new(() => EF.CompileAsyncQuery(
        (VouchDbContext db, string hash, CancellationToken ct) => db.Secrets.IgnoreQueryFilters().SingleOrDefault(s => s.TokenHash == hash)));

    public async Task<SecretPageView> OpenAsync(string token, CancellationToken ct)
    {
        var secret = await FindAsync(token, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (secret is null || !secret.IsAvailableAt(now))
        {
            return Gone;
        }

        // Both cached per tenant: opening a link reads only the secret's row.
        var profile = await profiles.GetAsync(db, secret.TenantId, ct);
        var settings = await settingsCache.GetAsync(db, secret.TenantId, ct);
        var branding = profile.Verification.Branding;
        return new SecretPageView(true, profile.MspName, branding.PrimaryColor, branding.LogoUrl, secret.SingleUse, settings.HeaderText, settings.MessageOnReveal,
            secret.FileCount);
    }

    /// <summary>The ciphertext and its files, or null when the link cannot be revealed (any reason, indistinguishably).</summary>
    public async Task<RevealedSecret?> RevealAsync(string token, string sourceAddress, string? userAgent, CancellationToken ct)
    {
        var secret = await FindAsync(token, ct, tracked: true);
        var now = clock.GetUtcNow().UtcDateTime;
        if (secret?.Reveal(now) is not { } envelope)
        {
            return null;
        }

        caller.ActAsSystem(secret.TenantId);
        caller.SourceAddress = sourceAddress;
        var agent = string.IsNullOrWhiteSpace(userAgent) ? "unknown browser" : userAgent.Length > 200 ? userAgent[..200] : userAgent;
        audit.Record("secret.revealed", "secret", secret.Id.ToString(),
            $"revealed from {sourceAddress} with {agent}" + (secret.SingleUse ? "; single use, now erased" : $"; reveal {secret.Reveals}"));
        if (secret.TicketReference is { } ticket)
        {
            var settings = await settingsCache.GetAsync(db, secret.TenantId, ct);
            if (settings.LogToTicket)
            {
                await desk.AddNoteAsync(ticket, $"Secure message revealed from {sourceAddress} ({agent}) at {now:HH:mm} UTC.", settings.TicketNotesInternal, NoteAuthor.System, ct);
            }
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone revealed it at the same moment; a single-use secret goes to one of them only.
            return null;
        }

        if (secret.FileCount == 0)
        {
            return new RevealedSecret(envelope, [], null);
        }

        var files = await db.SecretFiles.IgnoreQueryFilters().AsNoTracking().Where(f => f.SecretId == secret.Id).OrderBy(f => f.Position)
            .Select(f => new RevealedFile(f.Id, f.Name, f.Length)).ToListAsync(ct);
        return new RevealedSecret(envelope, files, SecretFileGrants.Issue(secret, secret.DownloadsUntil!.Value));
    }

    /// <summary>
    /// A revealed secret's file as stored (ciphertext), for the holder of the grant its reveal handed out; null for any
    /// refusal alike (unknown link, wrong or stale grant, revoked, expired, no such file).
    /// </summary>
    public async Task<(Stream Content, long Length)?> OpenFileAsync(string token, Guid fileId, string? grant, CancellationToken ct)
    {
        var secret = await FindAsync(token, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (secret is null || !secret.FilesDownloadableAt(now) || !SecretFileGrants.Valid(secret, grant, now))
        {
            return null;
        }

        var file = await db.SecretFiles.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(f => f.Id == fileId && f.SecretId == secret.Id, ct);
        if (file?.UploadedAt is null || storage.Region(secret.FileRegion!) is not { } store || await store.OpenReadAsync(file.StorageKey(), ct) is not { } content)
        {
            return null;
        }

        return (content, file.Length);
    }

    private async Task<Secret?> FindAsync(string token, CancellationToken ct, bool tracked = false)
    {
        if (token.Length is < 20 or > 100)
        {
            return null;
        }

        var hash = SecretTokens.Hash(token);
        return await (tracked ? ByTokenForChange : ByToken).For(db)(db, hash, ct);
    }
}

/// <summary>
/// Deletes secrets that are over (the worker runs it every 10 s, so within a minute): used and revoked ones, whose
/// ciphertext is already erased, in one statement; those with files once their files are deleted from storage (after the
/// last reveal's short download window); expiring ones after logging the expiry. Repeats while batches are full.
/// </summary>
public sealed class SweepSecrets(VouchDbContext db, AuditLog audit, TimeProvider clock, IFileStorage storage)
{
    public async Task<int> HandleAsync(int batchSize, CancellationToken ct)
    {
        var total = 0;
        int deleted;
        do
        {
            using (await db.WriteSlotAsync(ct))
            {
                deleted = await db.Secrets.IgnoreQueryFilters()
                    .Where(s => s.FileCount == 0 && (s.State == SecretState.Consumed || s.State == SecretState.Revoked || s.State == SecretState.Expired))
                    .ExecuteDeleteAsync(ct);
            }

            var now = clock.GetUtcNow().UtcDateTime;
            total += deleted + await DeleteWithFilesAsync(now, batchSize, ct);
            var expiring = await db.Secrets.IgnoreQueryFilters()
                .Where(s => s.State == SecretState.Active && s.ExpiresAt <= now)
                .OrderBy(s => s.ExpiresAt).Take(batchSize).ToListAsync(ct);
            foreach (var secret in expiring.Where(s => s.ExpireIfDue(now)))
            {
                audit.RecordFor(secret.TenantId, "secret.expired", "secret", secret.Id.ToString(), secret.Reveals == 0 ? "never revealed" : $"revealed {secret.Reveals} times");
                if (secret.FileCount == 0)
                {
                    db.Secrets.Remove(secret); // one with files stays, expired, until its files are deleted
                }
            }

            if (expiring.Count == 0)
            {
                return total;
            }

            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                // A reveal landed meanwhile; the next sweep sees it again.
                return total;
            }

            db.ChangeTracker.Clear();
            total += expiring.Count;
            if (expiring.Count < batchSize)
            {
                return total;
            }
        }
        while (!ct.IsCancellationRequested);

        return total;
    }

    /// <summary>
    /// Secrets with files that are over: files first (deleting one that is gone already is no error), then the rows, so a
    /// failure part way leaves rows that the next sweep tries again.
    /// </summary>
    private async Task<int> DeleteWithFilesAsync(DateTime now, int batchSize, CancellationToken ct)
    {
        // Files in a region since removed from the configuration cannot be reached; those rows wait for it to come back.
        var regions = storage.Regions.ToList();
        var over = await db.Secrets.IgnoreQueryFilters().AsNoTracking()
            .Where(s => s.FileCount > 0 && s.State != SecretState.Active && (s.DownloadsUntil == null || s.DownloadsUntil <= now) && regions.Contains(s.FileRegion!))
            .OrderBy(s => s.EndedAt).Take(batchSize).Select(s => new { s.Id, s.TenantId, s.FileRegion }).ToListAsync(ct);
        if (over.Count == 0)
        {
            return 0;
        }

        var ids = over.Select(s => s.Id).ToList();
        var files = await db.SecretFiles.IgnoreQueryFilters().AsNoTracking().Where(f => ids.Contains(f.SecretId)).Select(f => new { f.Id, f.SecretId }).ToListAsync(ct);
        foreach (var secret in over)
        {
            var store = storage.Region(secret.FileRegion!)!;
            foreach (var file in files.Where(f => f.SecretId == secret.Id))
            {
                await store.DeleteAsync(SecretFile.StorageKey(secret.TenantId, secret.Id, file.Id), ct);
            }
        }

        using (await db.WriteSlotAsync(ct))
        {
            await db.SecretFiles.IgnoreQueryFilters().Where(f => ids.Contains(f.SecretId)).ExecuteDeleteAsync(ct);
            return await db.Secrets.IgnoreQueryFilters().Where(s => ids.Contains(s.Id)).ExecuteDeleteAsync(ct);
        }
    }
}
