using Vouch.Core.Features.Tenancy;

namespace Vouch.Core.Features.Verification;

public enum DeliveryState
{
    Queued,
    Sent,
    Failed,
}

/// <summary>One attempt to prove a contact's identity over one channel. It guards its own expiry, attempts and transitions.</summary>
public sealed class ContactVerification : ITenantOwned
{
    private ContactVerification()
    {
    }

    public ContactVerification(
        Guid id,
        Guid tenantId,
        Guid contactId,
        VerificationChannel channel,
        string destination,
        string? ticketReference,
        string? note,
        ActorKind requestedByKind,
        Guid? requestedById,
        string requestedByName,
        DateTime now,
        TimeSpan lifetime,
        int maxAttempts,
        string secretHash)
    {
        Id = id;
        TenantId = tenantId;
        ContactId = contactId;
        Channel = channel;
        Destination = destination;
        DestinationMasked = VerificationMasking.Mask(destination);
        TicketReference = ticketReference;
        Note = note;
        RequestedByKind = requestedByKind;
        RequestedById = requestedById;
        RequestedByName = requestedByName;
        CreatedAt = now;
        ExpiresAt = now + lifetime;
        MaxAttempts = maxAttempts;
        SecretHash = secretHash;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; set; }

    public Guid ContactId { get; private set; }

    public VerificationChannel Channel { get; private set; }

    /// <summary>The E.164 number or e-mail address the secret went to: one of the contact's own, chosen by the technician.</summary>
    public string Destination { get; private set; } = "";

    public string DestinationMasked { get; private set; } = "";

    public string? TicketReference { get; private set; }

    public string? Note { get; private set; }

    public ActorKind RequestedByKind { get; private set; }

    public Guid? RequestedById { get; private set; }

    public string RequestedByName { get; private set; } = "";

    public VerificationStatus Status { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime ExpiresAt { get; private set; }

    public DateTime? CompletedAt { get; private set; }

    /// <summary>Who completed it: the technician who entered the code, or "contact" for a pressed link.</summary>
    public string? CompletedBy { get; private set; }

    public DateTime? VerifiedUntil { get; private set; }

    public int WrongAttempts { get; private set; }

    public int MaxAttempts { get; private set; }

    /// <summary>A keyed hash of the code, or a hash of the link token; never the secret itself.</summary>
    public string SecretHash { get; private set; } = "";

    public DateTime? LinkOpenedAt { get; private set; }

    public DeliveryState DeliveryState { get; private set; }

    public string? DeliveryError { get; private set; }

    public int AttemptsRemaining => Math.Max(0, MaxAttempts - WrongAttempts);

    public bool IsPending => Status == VerificationStatus.Pending;

    public bool IsExpiredAt(DateTime now) => Status == VerificationStatus.Pending && now >= ExpiresAt;

    /// <summary>
    /// Checks a code a caller read out. Wrong codes count; the last allowed wrong code fails the verification. Something that
    /// is not a code at all (a typo, a word) counts for nothing: it cannot match, so it must not use up the caller's attempts.
    /// </summary>
    public CodeCheck CheckCode(string presented, DateTime now, VerificationSecrets secrets, TimeSpan verifiedWindow, string checkedBy)
    {
        if (Channel.UsesLink())
        {
            return CodeCheck.NotACodeChannel;
        }

        if (ExpireIfDue(now))
        {
            return CodeCheck.Expired;
        }

        if (Status != VerificationStatus.Pending)
        {
            return CodeCheck.NotPending;
        }

        if (VerificationSecrets.NormalizeCode(presented) is null)
        {
            return CodeCheck.Malformed;
        }

        if (secrets.CodeMatches(Id, presented, SecretHash))
        {
            Complete(VerificationStatus.Verified, now, checkedBy);
            VerifiedUntil = now + verifiedWindow;
            return CodeCheck.Verified;
        }

        WrongAttempts++;
        if (WrongAttempts >= MaxAttempts)
        {
            Complete(VerificationStatus.Failed, now, checkedBy);
            return CodeCheck.Failed;
        }

        return CodeCheck.Wrong;
    }

    /// <summary>Records the first opening of a link (a person or a mail scanner); opening verifies nothing.</summary>
    public bool MarkOpened(DateTime now)
    {
        if (LinkOpenedAt is not null)
        {
            return false;
        }

        LinkOpenedAt = now;
        return true;
    }

    /// <summary>The contact pressed Validate on the link page.</summary>
    public bool ValidateLink(DateTime now, TimeSpan verifiedWindow)
    {
        if (!Channel.UsesLink() || ExpireIfDue(now) || Status != VerificationStatus.Pending)
        {
            return false;
        }

        Complete(VerificationStatus.Verified, now, "contact");
        VerifiedUntil = now + verifiedWindow;
        return true;
    }

    public bool Cancel(DateTime now, string by) => CompleteIfPending(VerificationStatus.Cancelled, now, by);

    public bool Supersede(DateTime now) => CompleteIfPending(VerificationStatus.Superseded, now, null);

    public bool ExpireIfDue(DateTime now) => IsExpiredAt(now) && CompleteIfPending(VerificationStatus.Expired, ExpiresAt, null);

    public void MarkSent() => DeliveryState = DeliveryState.Sent;

    /// <summary>The provider refused the message for good: the contact cannot receive the secret, so the verification fails.</summary>
    public void MarkDeliveryFailed(string reason, DateTime now)
    {
        DeliveryState = DeliveryState.Failed;
        DeliveryError = reason.Length > 500 ? reason[..500] : reason;
        CompleteIfPending(VerificationStatus.Failed, now, null);
    }

    /// <summary>The shield a member sees for this verification at <paramref name="now"/>.</summary>
    public Shield ShieldAt(DateTime now) => Status switch
    {
        VerificationStatus.Pending when now < ExpiresAt => Shield.Pending,
        VerificationStatus.Verified when VerifiedUntil > now => Shield.Verified,
        VerificationStatus.Failed => Shield.Failed,
        _ => Shield.None,
    };

    public Ports.VerificationChanged ChangedAt(DateTime now) => new(TenantId, ContactId, Id, Channel, Status, ShieldAt(now), VerifiedUntil, CompletedBy, DeliveryState);

    private bool CompleteIfPending(VerificationStatus status, DateTime now, string? by)
    {
        if (Status != VerificationStatus.Pending)
        {
            return false;
        }

        Complete(status, now, by);
        return true;
    }

    private void Complete(VerificationStatus status, DateTime now, string? by)
    {
        Status = status;
        CompletedAt = now;
        CompletedBy = by;
    }
}

public enum CodeCheck
{
    Verified,
    Wrong,
    Failed,
    Expired,
    NotPending,
    NotACodeChannel,
    Malformed,
}

/// <summary>The colour of a contact's shield: grey (none or expired), amber, green, red.</summary>
public enum Shield
{
    None,
    Pending,
    Verified,
    Failed,
}

public static class VerificationMasking
{
    /// <summary>Shows enough of a destination for the technician to recognise it and little to anyone else.</summary>
    public static string Mask(string destination)
    {
        var at = destination.IndexOf('@', StringComparison.Ordinal);
        if (at > 0)
        {
            return destination[0] + new string('•', Math.Max(2, at - 1)) + destination[at..];
        }

        return destination.Length <= 4 ? destination : "•••" + destination[^4..];
    }
}
