using System.Threading.RateLimiting;

namespace Vouch.Core.Features.Verification;

/// <summary>How many sends and secret checks are allowed; bound from <c>Vouch:RateLimits</c>.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Vouch:RateLimits";

    public int SendsPerTenantPerMinute { get; set; } = 300;

    /// <summary>Sends by one technician or API key; must stay below the tenant's, so no one of them can use up the MSP's allowance.</summary>
    public int SendsPerMemberPerMinute { get; set; } = 30;

    public int SendsPerDestinationPerHour { get; set; } = 10;

    public int CodeChecksPerMemberPerMinute { get; set; } = 60;

    public int LinkRequestsPerAddressPerMinute { get; set; } = 30;

    /// <summary>#verify texts from one number that may start a technician verification.</summary>
    public int VerifyTextsPerNumberPerHour { get; set; } = 5;

    /// <summary>#verify texts to one tenant, from all numbers together: bounds the texts an attacker with many numbers can make Vouch send.</summary>
    public int VerifyTextsPerTenantPerMinute { get; set; } = 30;

    /// <summary>Replies (HELP, STOP, START, confirmations) to one number.</summary>
    public int RepliesPerNumberPerHour { get; set; } = 10;

    /// <summary>Unknown or revoked API keys one source address may present before it may present none until the window ends.</summary>
    public int UnknownApiKeysPerAddressPerMinute { get; set; } = 20;
}

/// <summary>
/// The per-node rate limits on everything that sends a message or checks a secret: per tenant, per technician (or API key)
/// and per destination on sends, per technician on code checks, per source address on the public link pages and on the
/// API keys it presents.
/// </summary>
/// <remarks>Each limit is a fixed window; a refusal carries the time until the window opens again, which becomes Retry-After.</remarks>
public sealed class VerificationLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perTenant;
    private readonly PartitionedRateLimiter<string> _perActor;
    private readonly PartitionedRateLimiter<string> _perDestination;
    private readonly PartitionedRateLimiter<string> _codeChecks;
    private readonly PartitionedRateLimiter<string> _linkRequests;
    private readonly PartitionedRateLimiter<string> _verifyTextsPerNumber;
    private readonly PartitionedRateLimiter<string> _verifyTextsPerTenant;
    private readonly PartitionedRateLimiter<string> _replies;
    private readonly PartitionedRateLimiter<string> _unknownApiKeys;
    private readonly Lock _takeAll = new();

    public VerificationLimits(RateLimitOptions options)
    {
        _perTenant = Fixed(options.SendsPerTenantPerMinute, TimeSpan.FromMinutes(1));
        _perActor = Fixed(options.SendsPerMemberPerMinute, TimeSpan.FromMinutes(1));
        _perDestination = Fixed(options.SendsPerDestinationPerHour, TimeSpan.FromHours(1));
        _codeChecks = Fixed(options.CodeChecksPerMemberPerMinute, TimeSpan.FromMinutes(1));
        _linkRequests = Fixed(options.LinkRequestsPerAddressPerMinute, TimeSpan.FromMinutes(1));
        _verifyTextsPerNumber = Fixed(options.VerifyTextsPerNumberPerHour, TimeSpan.FromHours(1));
        _verifyTextsPerTenant = Fixed(options.VerifyTextsPerTenantPerMinute, TimeSpan.FromMinutes(1));
        _replies = Fixed(options.RepliesPerNumberPerHour, TimeSpan.FromHours(1));
        _unknownApiKeys = Fixed(options.UnknownApiKeysPerAddressPerMinute, TimeSpan.FromMinutes(1));
    }

    /// <summary>
    /// Takes one send from each of the three limits, or none: null when allowed, else the wait and which limit refused. A
    /// refused send spends nothing, and the tenant's limit is asked last, so one technician or key sending in a loop is
    /// stopped by its own limit before it can use up the allowance the rest of the MSP shares.
    /// </summary>
    public (string Reason, TimeSpan RetryAfter)? TrySend(Guid tenantId, string actor, string destination) =>
        TakeAll(
            (_perActor, $"{tenantId}:{actor}", "too many verifications sent by you"),
            (_perDestination, $"{tenantId}:{destination}", "too many verifications sent to this destination"),
            (_perTenant, tenantId.ToString(), "too many verifications sent by this tenant"));

    public TimeSpan? TryCheckCode(Guid tenantId, string actor) => Refused(_codeChecks, $"{tenantId}:{actor}");

    public TimeSpan? TryLinkRequest(string sourceAddress) => Refused(_linkRequests, sourceAddress);

    /// <summary>Takes one #verify from the sender's and the tenant's limits, or none; null when allowed, else which limit refused.</summary>
    public string? TryVerifyText(Guid tenantId, string from) =>
        TakeAll(
            (_verifyTextsPerNumber, $"{tenantId}:{from}", "too many #verify texts from this number"),
            (_verifyTextsPerTenant, tenantId.ToString(), "too many #verify texts to this tenant"))?.Reason;

    public TimeSpan? TryReply(Guid tenantId, string to) => Refused(_replies, $"{tenantId}:{to}");

    /// <summary>
    /// Null when the address may present an API key, else how long until it may: only unknown keys count against it, so a
    /// busy integration with a valid key is never held back, while one spraying guesses is stopped before its keys are checked.
    /// </summary>
    public TimeSpan? ApiKeyBarred(string sourceAddress) => Refused(_unknownApiKeys, sourceAddress, permits: 0);

    /// <summary>Counts an unknown or revoked key presented from the address; true when that used up its allowance.</summary>
    public bool CountUnknownApiKey(string sourceAddress)
    {
        _unknownApiKeys.AttemptAcquire(sourceAddress).Dispose();
        return ApiKeyBarred(sourceAddress) is not null;
    }

    public void Dispose()
    {
        _verifyTextsPerNumber.Dispose();
        _verifyTextsPerTenant.Dispose();
        _replies.Dispose();
        _unknownApiKeys.Dispose();
        _perTenant.Dispose();
        _perActor.Dispose();
        _perDestination.Dispose();
        _codeChecks.Dispose();
        _linkRequests.Dispose();
    }

    private static PartitionedRateLimiter<string> Fixed(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, permits),
            Window = window,
            QueueLimit = 0,
        }));

    // Asks every limit first (zero permits asks without taking one) and takes from each only when all allow, under one
    // lock so two sends cannot both see the last permit of one limit and spend another's.
    private (string Reason, TimeSpan RetryAfter)? TakeAll(params ReadOnlySpan<(PartitionedRateLimiter<string> Limiter, string Key, string Reason)> limits)
    {
        lock (_takeAll)
        {
            foreach (var (limiter, key, reason) in limits)
            {
                if (Refused(limiter, key, permits: 0) is { } wait)
                {
                    return (reason, wait);
                }
            }

            foreach (var (limiter, key, reason) in limits)
            {
                if (Refused(limiter, key) is { } wait)
                {
                    return (reason, wait);
                }
            }

            return null;
        }
    }

    // Zero permits asks whether the window has any left without taking one.
    private static TimeSpan? Refused(PartitionedRateLimiter<string> limiter, string key, int permits = 1)
    {
        using var lease = limiter.AttemptAcquire(key, permits);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
    }
}
