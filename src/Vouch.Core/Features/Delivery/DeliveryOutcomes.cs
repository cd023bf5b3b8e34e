using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Features.Verification;
using Vouch.Core.Ports;

namespace Vouch.Core.Features.Delivery;

/// <summary>A claimed message and what became of it: a provider's answer, or an attempt put off until <paramref name="DeferTo"/>.</summary>
internal sealed record SendOutcome(
    OutboundMessage Message, ContactVerification? Verification, DeliveryResult? Result, DateTime? DeferTo = null, string? DeferReason = null);

/// <summary>One send to a provider endpoint (named for the tenant's administrators), made with services of its own scope.</summary>
internal sealed record ProviderSend(string Endpoint, Func<IServiceProvider, CancellationToken, Task<DeliveryResult>> SendAsync);

/// <summary>
/// Runs provider sends on their own, each with its own deadline, and records each outcome as it arrives: whatever has
/// arrived while the previous group was being saved goes into the next save, so a burst of quick answers still costs
/// few saves, and a provider that never answers delays nobody's record but its own message's.
/// </summary>
public sealed partial class DeliveryOutcomes(
    IServiceProvider services, TimeProvider clock, IOptions<DeliveryOptions> options, DeliveryLanes lanes, ILogger<DeliveryOutcomes> logger)
{
    private readonly ConcurrentQueue<SendOutcome> _arrived = new();
    private int _recording;

    /// <summary>How long a message that found every send slot of its tenant or endpoint taken waits before it is claimed again.</summary>
    public static readonly TimeSpan BusyRetry = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Starts the send once its tenant and endpoint have a free slot (waiting at most one send deadline for it), unless
    /// the endpoint is paused: then the message is put off until the pause ends, without an attempt.
    /// </summary>
    internal void Start(SendOutcome claimed, ProviderSend send, CancellationToken stopping)
    {
        _ = Task.Run(() => SendAsync(claimed, send, stopping), CancellationToken.None);
    }

    private async Task SendAsync(SendOutcome claimed, ProviderSend send, CancellationToken stopping)
    {
        var timeout = options.Value.SendTimeout;
        var tenantId = claimed.Message.TenantId;
        (Admission Admission, DateTime PausedUntil) admitted;
        using (var waitOver = new CancellationTokenSource(timeout, clock))
        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stopping, waitOver.Token))
        {
            admitted = await lanes.AdmitAsync(tenantId, claimed.Message.Medium, send.Endpoint, clock.GetUtcNow().UtcDateTime, wait.Token);
        }

        if (stopping.IsCancellationRequested && admitted.Admission != Admission.Admitted)
        {
            return; // the node is stopping: the claim runs out and another pass sends the message
        }

        switch (admitted.Admission)
        {
            case Admission.Paused:
                await RecordAsync(claimed with
                {
                    DeferTo = admitted.PausedUntil, DeferReason = $"not tried: delivery through {send.Endpoint} is paused after repeated failures",
                });
                return;
            case Admission.Busy:
                await RecordAsync(claimed with { DeferTo = clock.GetUtcNow().UtcDateTime + BusyRetry });
                return;
        }

        DeliveryResult? result = null;
        try
        {
            await using var scope = services.CreateAsyncScope();
            using var deadline = new CancellationTokenSource(timeout, clock);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, deadline.Token);
            try
            {
                result = await send.SendAsync(scope.ServiceProvider, linked.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !stopping.IsCancellationRequested)
            {
                result = new DeliveryResult.RetryLater($"No answer from {send.Endpoint} within {timeout.TotalSeconds:0.#} s");
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The node is stopping: the claim runs out and another pass sends the message again.
        }
        catch (Exception e)
        {
            LogSendFailed(logger, e, claimed.Message.Id);
            result = new DeliveryResult.RetryLater($"sending through {send.Endpoint} failed unexpectedly");
        }
        finally
        {
            lanes.Complete(tenantId, send.Endpoint, result, clock.GetUtcNow().UtcDateTime);
        }

        if (result is not null)
        {
            await RecordAsync(claimed with { Result = result });
        }
    }

    private async Task RecordAsync(SendOutcome outcome)
    {
        _arrived.Enqueue(outcome);
        // Whoever finds no save under way saves everything that has arrived, again and again until nothing is left.
        while (!_arrived.IsEmpty && Interlocked.CompareExchange(ref _recording, 1, 0) == 0)
        {
            var group = new List<SendOutcome>();
            try
            {
                while (_arrived.TryDequeue(out var next))
                {
                    group.Add(next);
                }

                if (group.Count > 0)
                {
                    await TenantScopes.RunAsSystemAsync<DeliverMessages, bool>(services, async h =>
                    {
                        await h.RecordAsync(group, CancellationToken.None);
                        return true;
                    });
                }
            }
            catch (Exception e)
            {
                // The rows stay claimed until the claim runs out; then they are sent again (delivery is at least once).
                LogRecordFailed(logger, e, group.Count);
            }
            finally
            {
                Volatile.Write(ref _recording, 0);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending message {MessageId} failed unexpectedly; it will be retried")]
    private static partial void LogSendFailed(ILogger logger, Exception e, Guid messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording the outcome of {Count} sends failed; they will be retried when their claim runs out")]
    private static partial void LogRecordFailed(ILogger logger, Exception e, int count);
}
