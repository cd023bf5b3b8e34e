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
    /// <summary>The account the auth token was entered for; change it through <see cref="UseAccount"/>.</summary>
    public string? AccountSid { get; private set; }

    /// <summary>Encrypted; never returned by the API. Bound to <see cref="AccountSid"/> (see <see cref="BoundCredential"/>).</summary>
    public string? AuthTokenProtected { get; private set; }

    public string? FromNumber { get; set; }

    public string? MessagingServiceSid { get; set; }

    /// <summary>Points the settings at an account; a stored auth token belongs to the account it was entered for and is dropped when it changes.</summary>
    public EndpointChange UseAccount(string? accountSid)
    {
        var change = BoundCredential.Move("twilio", AccountSid, accountSid, AuthTokenProtected, out var kept);
        AccountSid = accountSid;
        AuthTokenProtected = kept;
        return change;
    }

    /// <summary>Stores a token entered for the current account (encrypted), or clears it with null.</summary>
    public void UseAuthToken(string? authTokenProtected) => AuthTokenProtected = authTokenProtected;

    /// <summary>Whether <paramref name="sid"/> has the form of a Twilio account SID: AC and 32 hexadecimal characters.</summary>
    public static bool IsAccountSid(string sid) =>
        sid.Length == 34 && sid.StartsWith("AC", StringComparison.Ordinal) && sid.Skip(2).All(char.IsAsciiHexDigit);

    public TwilioSettings? Open(ISecretProtector protector) =>
        AccountSid is { Length: > 0 } sid && AuthTokenProtected is { Length: > 0 } token
            ? new TwilioSettings(sid, protector.Unprotect(token), FromNumber, MessagingServiceSid)
            : null;
}

/// <summary>A tenant's SMTP relay. Host, port, security and user name change together, through <see cref="PointAt"/>.</summary>
public sealed class SmtpRelay
{
    public string? Host { get; private set; }

    public int Port { get; private set; } = 587;

    public SmtpSecurity Security { get; private set; } = SmtpSecurity.StartTls;

    public string? UserName { get; private set; }

    /// <summary>Encrypted; never returned by the API. Bound to the endpoint it was entered for (see <see cref="BoundCredential"/>).</summary>
    public string? PasswordProtected { get; private set; }

    public string? FromAddress { get; set; }

    public string? FromName { get; set; }

    /// <summary>
    /// Points the relay at an endpoint. A stored password belongs to the host, port, security mode and user name it was
    /// entered for, so it is dropped when any of them changes.
    /// </summary>
    public EndpointChange PointAt(string? host, int port, SmtpSecurity security, string? userName)
    {
        var change = BoundCredential.Move("smtp", Endpoint(Host, Port, Security, UserName), Endpoint(host, port, security, userName), PasswordProtected, out var kept);
        (Host, Port, Security, UserName, PasswordProtected) = (host, port, security, userName, kept);
        return change;
    }

    /// <summary>Stores a password entered for the current endpoint (encrypted), or clears it with null.</summary>
    public void UsePassword(string? passwordProtected) => PasswordProtected = passwordProtected;

    // Host names are case-insensitive; user names are compared as typed, so any doubt means "another endpoint".
    private static string? Endpoint(string? host, int port, SmtpSecurity security, string? userName) => host is null
        ? null
        : $"{host.ToLowerInvariant()}:{port} {security}" + (userName is null ? "" : $" as {userName}");

    public SmtpSettings? Open(ISecretProtector protector, string mspName) =>
        Host is { Length: > 0 } host && FromAddress is { Length: > 0 } from
            ? new SmtpSettings(host, Port, Security, UserName, PasswordProtected is { Length: > 0 } p ? protector.Unprotect(p) : null, from, FromName ?? mspName)
            : null;
}
