using Vouch.Core.Features.Verification;

namespace Vouch.Core.Ports;

/// <summary>A verification changed (sent, opened, verified, failed…); the server pushes it to the members watching that contact.</summary>
public sealed record VerificationChanged(
    Guid TenantId,
    Guid ContactId,
    Guid VerificationId,
    VerificationChannel Channel,
    VerificationStatus Status,
    Shield Shield,
    DateTime? VerifiedUntil,
    string? VerifiedBy,
    DeliveryState Delivery);

/// <summary>Tells live pages about verification changes after they are saved. Must not block or throw.</summary>
public interface IVerificationNotifier
{
    void Notify(IReadOnlyCollection<VerificationChanged> changes);
}
