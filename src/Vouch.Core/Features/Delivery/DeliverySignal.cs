using System.Threading.Channels;

namespace Vouch.Core.Features.Delivery;

/// <summary>Wakes this node's delivery worker as soon as a message is queued, so a code reaches its provider within a second.</summary>
public sealed class DeliverySignal
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Waits for a wake-up or the polling interval (which catches retries falling due and other nodes' rows).</summary>
    public async Task WaitAsync(TimeSpan poll, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(poll);
        try
        {
            await _wake.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The poll interval passed without a wake-up.
        }
    }
}
