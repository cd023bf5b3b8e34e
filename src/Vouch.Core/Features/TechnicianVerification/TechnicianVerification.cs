using Vouch.Core.Features.Tenancy;

namespace Vouch.Core.Features.TechnicianVerification;

public enum TechnicianVerificationStatus
{
    /// <summary>Waiting for the contact's #confirm or #reject; claimed or not.</summary>
    Pending,
    Confirmed,
    Rejected,
    Expired,
    Cancelled,
}

/// <summary>
/// A contact's request, by texting #verify, to check that a caller claiming to be the MSP's technician is one. The code goes
/// to the contact and to the technicians' console; the real technician claims the request, reads the code out, and the
/// contact answers #confirm or #reject.
/// </summary>
/// <remarks>
/// The code is kept twice: as a keyed hash, like every code, and encrypted so the console can show it to technicians. The
/// encrypted copy is erased as soon as the request ends. Once claimed, only the claiming technician is shown the code.
/// </remarks>
public sealed class TechnicianVerification : ITenantOwned
{
    /// <summary>At most this many requests may be pending for one contact at once.</summary>
    public const int MaxPendingPerContact = 3;

    private TechnicianVerification()
    {
    }

    public TechnicianVerification(Guid id, Guid tenantId, Guid contactId, Guid? companyId, string contactNumber, Guid phoneNumberId,
        string codeHash, string codeProtected, DateTime now, TimeSpan lifetime)
    {
        Id = id;
        TenantId = tenantId;
        ContactId = contactId;
        CompanyId = companyId;
        ContactNumber = contactNumber;
        PhoneNumberId = phoneNumberId;
        CodeHash = codeHash;
        CodeProtected = codeProtected;
        CreatedAt = now;
        ExpiresAt = now + lifetime;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; set; }

    public Guid ContactId { get; private set; }

    public Guid? CompanyId { get; private set; }

    /// <summary>The contact's number that texted #verify, E.164; #confirm and #reject must come from it.</summary>
    public string ContactNumber { get; private set; } = "";

    /// <summary>The tenant's number that received #verify and sends the replies.</summary>
    public Guid PhoneNumberId { get; private set; }

    public string CodeHash { get; private set; } = "";

    /// <summary>The code, encrypted, while the request is pending; null afterwards.</summary>
    public string? CodeProtected { get; private set; }

    public TechnicianVerificationStatus Status { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime ExpiresAt { get; private set; }

    public ActorKind? ClaimedByKind { get; private set; }

    public Guid? ClaimedById { get; private set; }

    public string? ClaimedByName { get; private set; }

    /// <summary>When a technician claimed it; a concurrency token, so two technicians cannot both claim it.</summary>
    public DateTime? ClaimedAt { get; private set; }

    /// <summary>The help desk's reference of the ticket the request is attached to.</summary>
    public string? TicketReference { get; private set; }

    public DateTime? CompletedAt { get; private set; }

    /// <summary>Who ended it: the contact (by text), a technician (cancel) or the system (expiry).</summary>
    public string? CompletedBy { get; private set; }

    public bool IsPending => Status == TechnicianVerificationStatus.Pending;

    public bool IsClaimed => ClaimedAt is not null;

    public bool IsExpiredAt(DateTime now) => now >= ExpiresAt;

    public bool IsClaimedBy(Caller caller) => IsClaimed && ClaimedByKind == caller.Kind && ClaimedById == caller.ActorId;

    /// <summary>Whether <paramref name="caller"/> may see the code: anyone in the tenant until it is claimed, then only the claimant.</summary>
    public bool ShowsCodeTo(Caller caller, DateTime now) => IsPending && !IsExpiredAt(now) && (!IsClaimed || IsClaimedBy(caller));

    /// <summary>Attaches the request to a ticket for the caller; returns why not when it cannot be claimed.</summary>
    public string? Claim(Caller caller, string ticketReference, DateTime now)
    {
        if (WhyNotOpen(now) is { } closed)
        {
            return closed;
        }

        if (IsClaimed)
        {
            return IsClaimedBy(caller) ? "you have already claimed it" : $"{ClaimedByName} has already claimed it";
        }

        ClaimedByKind = caller.Kind;
        ClaimedById = caller.ActorId;
        ClaimedByName = caller.ActorName ?? "";
        ClaimedAt = now;
        TicketReference = ticketReference;
        return null;
    }

    public bool Confirm(DateTime now) => End(TechnicianVerificationStatus.Confirmed, "the contact, by text", now);

    public bool Reject(DateTime now) => End(TechnicianVerificationStatus.Rejected, "the contact, by text", now);

    public bool Cancel(string by, DateTime now) => End(TechnicianVerificationStatus.Cancelled, by, now);

    public bool ExpireIfDue(DateTime now) => IsPending && IsExpiredAt(now) && End(TechnicianVerificationStatus.Expired, "system", ExpiresAt, ignoreExpiry: true);

    /// <summary>Why the request can no longer be acted on, or null while it can.</summary>
    public string? WhyNotOpen(DateTime now) =>
        !IsPending ? $"is {Status.ToString().ToLowerInvariant()}"
        : IsExpiredAt(now) ? "has expired"
        : null;

    private bool End(TechnicianVerificationStatus status, string by, DateTime now, bool ignoreExpiry = false)
    {
        if (!IsPending || (!ignoreExpiry && IsExpiredAt(now)))
        {
            return false;
        }

        Status = status;
        CompletedAt = now;
        CompletedBy = by;
        CodeProtected = null;
        return true;
    }
}
