namespace Vouch.Core.Ports;

/// <summary>What a provider said about one outbound message. The delivery worker acts on it.</summary>
/// <remarks>
/// Providers sort their failures: <see cref="RetryLater"/> for transient errors and rate limits (with the provider's
/// Retry-After when it gave one), <see cref="Failed"/> for errors that retrying cannot fix (a bad number, bad credentials).
/// </remarks>
public abstract record DeliveryResult
{
    private DeliveryResult()
    {
    }

    /// <summary>The provider accepted the message.</summary>
    public sealed record Delivered(string? ProviderMessageId) : DeliveryResult;

    /// <summary>A transient failure or a rate limit; try again, no sooner than <paramref name="RetryAfter"/> when given.</summary>
    public sealed record RetryLater(string Reason, TimeSpan? RetryAfter = null) : DeliveryResult;

    /// <summary>A permanent failure; retrying would fail the same way.</summary>
    public sealed record Failed(string Reason) : DeliveryResult;
}
