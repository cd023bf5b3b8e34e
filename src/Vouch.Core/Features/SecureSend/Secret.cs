using Vouch.Core.Features.Tenancy;

namespace Vouch.Core.Features.SecureSend;

public enum SecretState
{
    /// <summary>Waiting to be revealed.</summary>
    Active,

    /// <summary>Revealed, and single use: gone.</summary>
    Consumed,
    Expired,
    Revoked,
}

/// <summary>
/// Something a technician gives a contact behind a one-time link: only ciphertext is stored, the key travels in the link's
/// fragment, which browsers never send. The row is found by the hash of the link's token. Once the secret is over
/// (revealed when single use, expired, revoked) its ciphertext is erased at once and the sweep deletes the row; the audit
/// log keeps the trail.
/// </summary>
public sealed class Secret : ITenantOwned
{
    public const int MaxLabelLength = 200;

    /// <summary>
    /// How long after a reveal its files can still be fetched (the recipient's page fetches them at once): short, so a
    /// consumed secret's files are gone from storage within about a minute, like the rest of it.
    /// </summary>
    public static readonly TimeSpan DownloadWindow = TimeSpan.FromSeconds(45);

    private Secret()
    {
    }

    public Secret(Guid id, Guid tenantId, string tokenHash, string envelope, bool singleUse, DateTime now, TimeSpan lifetime,
        Guid? contactId, string? label, ActorKind createdByKind, Guid? createdById, string createdByName, string? ticketReference = null)
    {
        Id = id;
        TenantId = tenantId;
        TokenHash = tokenHash;
        Envelope = envelope;
        SingleUse = singleUse;
        CreatedAt = now;
        ExpiresAt = now + lifetime;
        ContactId = contactId;
        Label = label;
        CreatedByKind = createdByKind;
        CreatedById = createdById;
        CreatedByName = createdByName;
        TicketReference = ticketReference;
    }

    /// <summary>Declares the files that come with the secret: the link works only once all of them are uploaded.</summary>
    public void ExpectFiles(int count, string region)
    {
        FileCount = FilesPending = count;
        FileRegion = region;
        DownloadKey = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; set; }

    /// <summary>SHA-256 of the token in the link's path; the token itself is never stored.</summary>
    public string TokenHash { get; private set; } = "";

    /// <summary>The encrypted content (see <see cref="SecretEnvelope"/>); null once the secret is over.</summary>
    public string? Envelope { get; private set; }

    public bool SingleUse { get; private set; }

    public SecretState State { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime ExpiresAt { get; private set; }

    public Guid? ContactId { get; private set; }

    /// <summary>What it is, for the sender's records ("Wi-Fi password"); never the content.</summary>
    public string? Label { get; private set; }

    /// <summary>The help desk's reference of the ticket sends and reveals are noted on, if any.</summary>
    public string? TicketReference { get; private set; }

    public ActorKind CreatedByKind { get; private set; }

    public Guid? CreatedById { get; private set; }

    public string CreatedByName { get; private set; } = "";

    /// <summary>How often it was revealed; a concurrency token, so a single-use secret is handed out once.</summary>
    public int Reveals { get; private set; }

    public DateTime? LastRevealedAt { get; private set; }

    public DateTime? EndedAt { get; private set; }

    /// <summary>How many files come with the secret (their ciphertext is in the file store of <see cref="FileRegion"/>).</summary>
    public int FileCount { get; private set; }

    /// <summary>Files declared but not yet uploaded; the link cannot be revealed before this is 0.</summary>
    public int FilesPending { get; private set; }

    public string? FileRegion { get; private set; }

    /// <summary>The HMAC key of this secret's download grants (see <see cref="SecretFileGrants"/>); null without files.</summary>
    public string? DownloadKey { get; private set; }

    /// <summary>Until when grants handed out with reveals can fetch the files; null once revoked or expired.</summary>
    public DateTime? DownloadsUntil { get; private set; }

    public bool IsAvailableAt(DateTime now) => State == SecretState.Active && now < ExpiresAt && Envelope is not null && FilesPending == 0;

    /// <summary>Whether a reveal's grant can still fetch files: after a reveal, within its window, and never once revoked or expired.</summary>
    public bool FilesDownloadableAt(DateTime now) => FileCount > 0 && State is SecretState.Active or SecretState.Consumed && DownloadsUntil > now;

    /// <summary>Hands out the ciphertext, or null when the secret is over; a single-use secret ends with it.</summary>
    public string? Reveal(DateTime now)
    {
        if (!IsAvailableAt(now))
        {
            return null;
        }

        var envelope = Envelope;
        Reveals++;
        LastRevealedAt = now;
        if (FileCount > 0)
        {
            DownloadsUntil = now + DownloadWindow;
        }
        if (SingleUse)
        {
            End(SecretState.Consumed, now);
        }

        return envelope;
    }

    public bool Revoke(DateTime now) => State == SecretState.Active && End(SecretState.Revoked, now);

    public bool ExpireIfDue(DateTime now) => State == SecretState.Active && now >= ExpiresAt && End(SecretState.Expired, ExpiresAt);

    private bool End(SecretState state, DateTime now)
    {
        State = state;
        EndedAt = now;
        Envelope = null;
        if (state != SecretState.Consumed)
        {
            DownloadsUntil = null; // a revoked or expired secret's files stop at once, even for a grant already handed out
        }

        return true;
    }
}
