using System.Linq.Expressions;

namespace Vouch.Core.Features.Verification;

public sealed record VerificationView(
    Guid Id,
    Guid ContactId,
    VerificationChannel Channel,
    VerificationStatus Status,
    string Destination,
    string? TicketReference,
    string? Note,
    string RequestedBy,
    DateTime CreatedAt,
    DateTime ExpiresAt,
    DateTime? CompletedAt,
    string? CompletedBy,
    DateTime? VerifiedUntil,
    int AttemptsRemaining,
    DeliveryState Delivery,
    string? DeliveryError,
    DateTime? LinkOpenedAt);

/// <summary>A contact's shield: grey (none or expired), amber (pending), green (verified until…), red (failed).</summary>
public sealed record ContactShieldView(Shield Shield, Guid? VerificationId, VerificationChannel? Channel, DateTime? VerifiedUntil, string? VerifiedBy, DateTime? At);

internal static class VerificationProjections
{
    /// <summary>How many of a contact's newest verifications decide its shield (a green one must also be inside its window).</summary>
    public const int ShieldLookback = 10;

    // Destination is shown masked: the API and pages never echo a full number or address back from a verification.
    public static readonly Expression<Func<ContactVerification, VerificationView>> View = v => new VerificationView(
        v.Id, v.ContactId, v.Channel, v.Status, v.DestinationMasked, v.TicketReference, v.Note, v.RequestedByName,
        v.CreatedAt, v.ExpiresAt, v.CompletedAt, v.CompletedBy, v.VerifiedUntil, v.MaxAttempts - v.WrongAttempts,
        v.DeliveryState, v.DeliveryError, v.LinkOpenedAt);

    private static readonly Func<ContactVerification, VerificationView> Compiled = View.Compile();

    public static VerificationView ToView(this ContactVerification v) => Compiled(v);

    /// <summary>
    /// The shield from the newest verifications: green while any is verified and in its window (a pending re-check does not
    /// hide it), else amber while the newest is pending, red when the newest failed, grey otherwise.
    /// </summary>
    public static ContactShieldView Shield(IReadOnlyList<ContactVerification> newestFirst, DateTime now)
    {
        var shown = newestFirst.FirstOrDefault(v => v.ShieldAt(now) == Verification.Shield.Verified) ?? (newestFirst.Count > 0 ? newestFirst[0] : null);
        return shown is null
            ? new ContactShieldView(Verification.Shield.None, null, null, null, null, null)
            : new ContactShieldView(shown.ShieldAt(now), shown.Id, shown.Channel, shown.VerifiedUntil, shown.CompletedBy, shown.CompletedAt ?? shown.CreatedAt);
    }
}
