using Vouch.Core.Features.Tenancy;

namespace Vouch.Core.Features.Delivery;

public enum Medium
{
    Sms,
    Email,
}

public enum MessageProvider
{
    /// <summary>The development outbox: the message is kept and shown in Vouch, never sent anywhere.</summary>
    Outbox,
    Twilio,
    Smtp,
}

public enum MessageState
{
    Queued,
    Sent,
    Failed,
}

/// <summary>
/// One message to one recipient, written in the same transaction as the change that causes it and delivered by the
/// worker, which retries with backoff. The table is the queue: a row is due when queued, its next attempt has come and
/// no worker holds it.
/// </summary>
/// <remarks>
/// For real providers the subject and bodies carry secrets (codes, links), so they are stored encrypted and erased once
/// the provider has accepted the message. Outbox messages stay readable: showing them is the outbox's purpose.
/// </remarks>
public sealed class OutboundMessage : ITenantOwned
{
    public const int MaxAttempts = 8;

    private OutboundMessage()
    {
    }

    public OutboundMessage(Guid id, Guid tenantId, Guid? verificationId, Medium medium, MessageProvider provider, string to,
        string? subject, string textBody, string? htmlBody, bool isProtected, DateTime now)
    {
        Id = id;
        TenantId = tenantId;
        VerificationId = verificationId;
        Medium = medium;
        Provider = provider;
        To = to;
        Subject = subject;
        TextBody = textBody;
        HtmlBody = htmlBody;
        IsProtected = isProtected;
        CreatedAt = now;
        NextAttemptAt = now;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; set; }

    /// <summary>The verification this message carries the secret of, if any (test messages have none).</summary>
    public Guid? VerificationId { get; private set; }

    public Medium Medium { get; private set; }

    /// <summary>The tenant number an SMS goes out from, through that number's provider; null for the tenant's default SMS provider.</summary>
    public Guid? FromNumberId { get; private set; }

    /// <summary>Sent even to a number that texted STOP: only the STOP confirmation itself.</summary>
    public bool IgnoresOptOut { get; private set; }

    public MessageProvider Provider { get; private set; }

    public string To { get; private set; } = "";

    public string? Subject { get; private set; }

    public string? TextBody { get; private set; }

    public string? HtmlBody { get; private set; }

    /// <summary>Whether the subject and bodies are encrypted with the server's data-protection keys.</summary>
    public bool IsProtected { get; private set; }

    public MessageState State { get; private set; }

    public int Attempts { get; private set; }

    public DateTime NextAttemptAt { get; private set; }

    /// <summary>Which worker holds the row, until when; a crashed worker's hold simply runs out.</summary>
    public Guid? LockToken { get; private set; }

    public DateTime? LockedUntil { get; private set; }

    public string? ProviderMessageId { get; private set; }

    public string? LastError { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime? SentAt { get; private set; }

    public DateTime? FailedAt { get; private set; }

    public void SendFrom(Guid numberId) => FromNumberId = numberId;

    public void MarkOptOutConfirmation() => IgnoresOptOut = true;

    public void RecordSent(DateTime now, string? providerMessageId)
    {
        Attempts++;
        State = MessageState.Sent;
        SentAt = now;
        ProviderMessageId = providerMessageId;
        LastError = null;
        Release();
        if (IsProtected)
        {
            Subject = null;
            TextBody = null;
            HtmlBody = null;
        }
    }

    /// <summary>Schedules another attempt with exponential backoff (2 s, 4 s, … capped at 5 minutes), never before the provider's Retry-After; gives up after <see cref="MaxAttempts"/>.</summary>
    public bool RecordRetry(DateTime now, string reason, TimeSpan? retryAfter)
    {
        Attempts++;
        LastError = Trim(reason);
        if (Attempts >= MaxAttempts)
        {
            RecordFailed(now, $"gave up after {Attempts} attempts: {reason}");
            return false;
        }

        var backoff = TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, Attempts)));
        NextAttemptAt = now + (retryAfter is { } after && after > backoff ? after : backoff);
        Release();
        return true;
    }

    /// <summary>Puts the next attempt off without counting one: the provider was not tried (paused, or all its slots busy).</summary>
    public void Defer(DateTime until, string? reason)
    {
        NextAttemptAt = until;
        if (reason is not null)
        {
            LastError = Trim(reason);
        }

        Release();
    }

    public void RecordFailed(DateTime now, string reason)
    {
        State = MessageState.Failed;
        LastError = Trim(reason);
        FailedAt = now;
        Release();
        if (IsProtected)
        {
            Subject = null;
            TextBody = null;
            HtmlBody = null;
        }
    }

    private void Release()
    {
        LockToken = null;
        LockedUntil = null;
    }

    private static string Trim(string reason) => reason.Length > 500 ? reason[..500] : reason;
}
