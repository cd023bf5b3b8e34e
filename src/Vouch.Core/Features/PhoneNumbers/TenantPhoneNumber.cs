using Vouch.Core.Features.Delivery;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Ports;

namespace Vouch.Core.Features.PhoneNumbers;

/// <summary>What a tenant's number is for. Verification numbers receive #verify and carry technician-verification texts.</summary>
public enum PhoneNumberPurpose
{
    Verification,
}

/// <summary>
/// A number the tenant texts from and receives texts on, with the provider that carries it (the development outbox or
/// Twilio) and that provider's credentials. A number belongs to exactly one tenant, so an inbound text names its tenant.
/// </summary>
public sealed class TenantPhoneNumber : ITenantOwned
{
    public const int MaxLabelLength = 100;

    private TenantPhoneNumber()
    {
    }

    public TenantPhoneNumber(Guid id, Guid tenantId, string e164, PhoneNumberPurpose purpose, MessageProvider provider, string? label, DateTime now)
    {
        Id = id;
        TenantId = tenantId;
        E164 = e164;
        Purpose = purpose;
        Provider = provider;
        Label = label;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; set; }

    /// <summary>The number in E.164 form; unique across all tenants.</summary>
    public string E164 { get; private set; } = "";

    public PhoneNumberPurpose Purpose { get; private set; }

    /// <summary><see cref="MessageProvider.Outbox"/> or <see cref="MessageProvider.Twilio"/>.</summary>
    public MessageProvider Provider { get; private set; }

    public string? Label { get; private set; }

    public string? TwilioAccountSid { get; private set; }

    /// <summary>Encrypted; it signs Twilio's webhooks for this number and authenticates sends. Never returned.</summary>
    public string? TwilioAuthTokenProtected { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public void Relabel(string? label) => Label = label;

    /// <summary>Carries the number through the development outbox; Twilio credentials are dropped so no unused secret stays stored.</summary>
    public void UseOutbox()
    {
        Provider = MessageProvider.Outbox;
        TwilioAccountSid = null;
        TwilioAuthTokenProtected = null;
    }

    /// <summary>
    /// Carries the number through a Twilio account. A stored auth token belongs to the account it was entered for: with
    /// no new token (null) it is kept only while the account stays the same.
    /// </summary>
    public EndpointChange UseTwilio(string accountSid, string? authTokenProtected)
    {
        var change = BoundCredential.Move("twilio", TwilioAccountSid, accountSid, TwilioAuthTokenProtected, out var kept);
        Provider = MessageProvider.Twilio;
        TwilioAccountSid = accountSid;
        TwilioAuthTokenProtected = authTokenProtected ?? kept;
        return change;
    }

    /// <summary>The account that sends from this number, or null when it is an outbox number or has no credentials.</summary>
    public TwilioSettings? OpenTwilio(ISecretProtector protector) =>
        Provider == MessageProvider.Twilio && TwilioAccountSid is { Length: > 0 } sid && TwilioAuthTokenProtected is { Length: > 0 } token
            ? new TwilioSettings(sid, protector.Unprotect(token), E164, null)
            : null;
}
