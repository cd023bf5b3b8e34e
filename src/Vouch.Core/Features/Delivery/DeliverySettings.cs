using Vouch.Core.Features.Tenancy;
using Vouch.Core.Ports;

namespace Vouch.Core.Features.Delivery;

/// <summary>Which provider carries a tenant's SMS and e-mail, with its credentials (encrypted). The default is the outbox.</summary>
public sealed class DeliverySettings : ITenantOwned
{
    private DeliverySettings()
    {
    }

    public DeliverySettings(Guid tenantId) => TenantId = tenantId;

    public Guid TenantId { get; set; }

    public MessageProvider SmsProvider { get; set; } = MessageProvider.Outbox;

    public MessageProvider EmailProvider { get; set; } = MessageProvider.Outbox;

    public TwilioAccount Twilio { get; set; } = new();

    public SmtpRelay Smtp { get; set; } = new();
}

public sealed class TwilioAccount
{
    public string? AccountSid { get; set; }

    /// <summary>Encrypted; never returned by the API.</summary>
    public string? AuthTokenProtected { get; set; }

    public string? FromNumber { get; set; }

    public string? MessagingServiceSid { get; set; }

    /// <summary>Whether <paramref name="sid"/> has the form of a Twilio account SID: AC and 32 hexadecimal characters.</summary>
    public static bool IsAccountSid(string sid) =>
        sid.Length == 34 && sid.StartsWith("AC", StringComparison.Ordinal) && sid.Skip(2).All(char.IsAsciiHexDigit);

    public TwilioSettings? Open(ISecretProtector protector) =>
        AccountSid is { Length: > 0 } sid && AuthTokenProtected is { Length: > 0 } token
            ? new TwilioSettings(sid, protector.Unprotect(token), FromNumber, MessagingServiceSid)
            : null;
}

public sealed class SmtpRelay
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    public string? UserName { get; set; }

    /// <summary>Encrypted; never returned by the API.</summary>
    public string? PasswordProtected { get; set; }

    public string? FromAddress { get; set; }

    public string? FromName { get; set; }

    public SmtpSettings? Open(ISecretProtector protector, string mspName) =>
        Host is { Length: > 0 } host && FromAddress is { Length: > 0 } from
            ? new SmtpSettings(host, Port, Security, UserName, PasswordProtected is { Length: > 0 } p ? protector.Unprotect(p) : null, from, FromName ?? mspName)
            : null;
}
