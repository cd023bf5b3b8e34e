using Vouch.Core.Features.TechnicianVerification;

namespace Vouch.Core.Ports;

/// <summary>A technician verification appeared or changed; <paramref name="Alert"/> says the contact rejected the caller.</summary>
public sealed record TechnicianVerificationChanged(Guid TenantId, Guid Id, TechnicianVerificationStatus Status, bool Alert = false);

/// <summary>Tells the technicians' consoles about saved changes. Carries no code: each console reads what its member may see. Must not block or throw.</summary>
public interface ITechnicianVerificationNotifier
{
    void Notify(TechnicianVerificationChanged change);
}
