namespace Vouch.Core.Ports;

/// <summary>A tenant's SMTP relay. The password arrives decrypted and must never be logged.</summary>
public sealed record SmtpSettings(
    string Host,
    int Port,
    SmtpSecurity Security,
    string? UserName,
    string? Password,
    string FromAddress,
    string FromName);

public enum SmtpSecurity
{
    /// <summary>Plain connection; only for relays on a trusted network.</summary>
    None,

    /// <summary>Upgrade with STARTTLS and refuse to go on without it (port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,
}

/// <summary>
/// A tenant's Twilio account. Messages go from <paramref name="FromNumber"/> (E.164) or, when set, through
/// <paramref name="MessagingServiceSid"/>. The auth token arrives decrypted and must never be logged.
/// </summary>
public sealed record TwilioSettings(string AccountSid, string AuthToken, string? FromNumber, string? MessagingServiceSid);

/// <summary>Sends e-mail through a tenant's SMTP relay.</summary>
public interface ISmtpEmailSender
{
    Task<DeliveryResult> SendAsync(SmtpSettings settings, EmailMessage message, CancellationToken ct);
}

/// <summary>Sends SMS through a tenant's Twilio account.</summary>
public interface ITwilioSmsSender
{
    Task<DeliveryResult> SendAsync(TwilioSettings settings, SmsMessage message, CancellationToken ct);
}
