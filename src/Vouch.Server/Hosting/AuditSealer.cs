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

    // An entry is sealed within about a second of its commit. One still unsealed after this long was unsealed by someone
    // with write access (or outlived a crash between commit and seal): a node that has just started, and so has not seen
    // the chain's head before, must not seal it into the chain; `audit verify` reports it instead.
    private static readonly SealAuditRequest Recent = new(TimeSpan.FromMinutes(10));

    private HashSet<SealRefusal> _reported = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wake = AuditSealSignal.Next;
            try
            {
                var result = await TenantScopes.RunAsSystemAsync<SealAuditEntries, SealAuditResult>(services, h => h.HandleAsync(Recent, stoppingToken));
                Report(result.Refused);

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

    // Each refusal is logged when it starts, not on every pass while it lasts.
    private void Report(IReadOnlyList<SealRefusal> refused)
    {
        foreach (var refusal in refused.Where(r => !_reported.Contains(r)))
        {
            LogRefused(logger, refusal.TenantId, refusal.Reason);
        }

        _reported = refused.ToHashSet();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The audit chain of tenant {TenantId} is not extended: {Reason}. Run 'vouch audit verify'")]
    private static partial void LogRefused(ILogger logger, Guid tenantId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An audit sealing pass failed; it will be retried")]
    private static partial void LogPassFailed(ILogger logger, Exception e);
}
