using Microsoft.AspNetCore.SignalR;
using Vouch.Core.Ports;
using Vouch.Server.Features.Verification;

namespace Vouch.Server.Features.TechnicianVerification;

/// <summary>
/// Tells the tenant's open consoles that a technician verification appeared or changed. The message carries no code: each
/// console reloads its rows, rendered for its own member, so a claimed code reaches only the claimant.
/// </summary>
internal sealed partial class HubTechnicianVerificationNotifier(IHubContext<VerificationHub> hub, ILogger<HubTechnicianVerificationNotifier> logger)
    : ITechnicianVerificationNotifier
{
    public const string ChangedMethod = "technicianVerificationChanged";

    public void Notify(TechnicianVerificationChanged change) => _ = SendAsync(change);

    private async Task SendAsync(TechnicianVerificationChanged change)
    {
        try
        {
            await hub.Clients.Group(VerificationHub.TenantGroup(change.TenantId)).SendAsync(ChangedMethod, new
            {
                change.Id,
                Status = change.Status.ToString().ToLowerInvariant(),
                change.Alert,
            });
        }
        catch (Exception e)
        {
            LogPushFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A live technician-verification update could not be pushed")]
    private static partial void LogPushFailed(ILogger logger, Exception e);
}
