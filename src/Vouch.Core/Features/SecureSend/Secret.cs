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

    public bool IsAvailableAt(DateTime now) => State == SecretState.Active && now < ExpiresAt && Envelope is not null;

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
        return true;
    }
}
