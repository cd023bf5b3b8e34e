using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Tenancy;

namespace Vouch.Server.Hosting;

/// <summary>
/// Seals audit entries into their chains shortly after they are saved: woken by saves on this node, and polling for other
/// nodes' entries. A short pause after each pass lets entries gather, so a busy tenant's chain moves once per batch rather
/// than once per request.
/// </summary>
internal sealed partial class AuditSealer(IServiceProvider services, ILogger<AuditSealer> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(50);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wake = AuditSealSignal.Next;
            try
            {
                await TenantScopes.RunAsSystemAsync<SealAuditEntries, int>(services, h => h.HandleAsync(stoppingToken));

                await wake.WaitAsync(Poll, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                await Task.Delay(Gather, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database may be briefly unavailable; the entries stay unsealed and the next pass seals them.
                LogPassFailed(logger, e);
                await Task.Delay(Poll, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An audit sealing pass failed; it will be retried")]
    private static partial void LogPassFailed(ILogger logger, Exception e);
}
