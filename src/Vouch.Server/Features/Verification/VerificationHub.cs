using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Vouch.Core.Features.Tenancy;
using Microsoft.AspNetCore.SignalR;
using Vouch.Core.Features.Verification;
using Vouch.Core.Ports;
using Vouch.Server.Hosting;

namespace Vouch.Server.Features.Verification;

/// <summary>
/// Live verification changes for signed-in members; each connection hears only its own tenant. A connection is accepted
/// only while the member's cookie still matches their security stamp (a member made Inactive or signed out everywhere
/// cannot reconnect on a cookie the minute-by-minute check has not caught yet), and is closed when they are made Inactive.
/// </summary>
[Authorize(Policy = Authentication.Member)]
public sealed class VerificationHub(SignInManager<Member> signIn, LiveConnections live) : Hub
{
    public const string Path = "/hubs/verifications";
    public const string ChangedMethod = "verificationChanged";

    public static string TenantGroup(Guid tenantId) => "tenant:" + tenantId;

    public override async Task OnConnectedAsync()
    {
        var member = Context.User is { } user ? await signIn.ValidateSecurityStampAsync(user) : null;
        if (member is null || !Permissions.CanSignIn(member.Role))
        {
            Context.Abort();
            return;
        }

        live.Opened(member.Id, Context);
        if (Guid.TryParse(Context.User?.FindFirstValue(Authentication.TenantClaim), out var tenantId))
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, TenantGroup(tenantId));
        }

        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        live.Closed(Context);
        return base.OnDisconnectedAsync(exception);
    }
}

/// <summary>Pushes saved verification changes to the tenant's open pages. Delivery is best effort: a page reload shows the truth.</summary>
internal sealed partial class HubVerificationNotifier(IHubContext<VerificationHub> hub, ILogger<HubVerificationNotifier> logger) : IVerificationNotifier
{
    public void Notify(IReadOnlyCollection<VerificationChanged> changes)
    {
        foreach (var change in changes)
        {
            _ = SendAsync(change);
        }
    }

    private async Task SendAsync(VerificationChanged change)
    {
        try
        {
            await hub.Clients.Group(VerificationHub.TenantGroup(change.TenantId)).SendAsync(VerificationHub.ChangedMethod, new
            {
                change.ContactId,
                change.VerificationId,
                Channel = change.Channel.Name(),
                Status = change.Status.ToString().ToLowerInvariant(),
                Shield = change.Shield.ToString().ToLowerInvariant(),
                change.VerifiedUntil,
                change.VerifiedBy,
                Delivery = change.Delivery.ToString().ToLowerInvariant(),
            });
        }
        catch (Exception e)
        {
            LogPushFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A live verification update could not be pushed")]
    private static partial void LogPushFailed(ILogger logger, Exception e);
}
