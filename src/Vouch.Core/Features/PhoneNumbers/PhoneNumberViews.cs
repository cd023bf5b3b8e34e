using Vouch.Core.Features.Delivery;
using Vouch.Core.Ports;

namespace Vouch.Core.Features.PhoneNumbers;

/// <summary>
/// A tenant's number as shown. The auth token is never in it, only whether one is stored; <paramref name="WebhookUrl"/> is
/// where Twilio must post the number's incoming texts (null for outbox numbers).
/// </summary>
public sealed record PhoneNumberView(
    Guid Id,
    string Number,
    PhoneNumberPurpose Purpose,
    MessageProvider Provider,
    string? Label,
    string? TwilioAccountSid,
    bool HasTwilioAuthToken,
    string? WebhookUrl,
    DateTime CreatedAt)
{
    /// <summary>Where Twilio posts incoming texts, under the public base URL; the same address serves every Twilio number.</summary>
    public const string TwilioWebhookPath = "/webhooks/twilio/sms";

    public static PhoneNumberView Of(TenantPhoneNumber n, IPublicAddress address) => new(
        n.Id, n.E164, n.Purpose, n.Provider, n.Label, n.TwilioAccountSid, n.TwilioAuthTokenProtected is { Length: > 0 },
        n.Provider == MessageProvider.Twilio ? address.BaseUrl + TwilioWebhookPath : null, n.CreatedAt);
}

/// <summary>The provider a request asks for and its Twilio account, checked; a null token keeps the stored one.</summary>
internal readonly record struct ProviderChoice(MessageProvider Provider, string? AccountSid, string? NewAuthToken)
{
    /// <summary>Applies the choice; returns the move of the number's Twilio account, if it moved, for the audit log.</summary>
    public EndpointChange? ApplyTo(TenantPhoneNumber number, ISecretProtector protector)
    {
        if (Provider == MessageProvider.Twilio)
        {
            var change = number.UseTwilio(AccountSid!, NewAuthToken is null ? null : protector.Protect(NewAuthToken));
            return change.Moved ? change : null;
        }

        number.UseOutbox();
        return null;
    }

    /// <summary>What the audit entry says about the provider: the kind of change only, never a secret.</summary>
    public string Describe() => Provider == MessageProvider.Twilio
        ? $"twilio account {AccountSid}" + (NewAuthToken is null ? "" : ", auth token set")
        : "outbox";
}

/// <summary>The checks adding and changing a number share.</summary>
internal static class PhoneNumberRules
{
    public const int MaxAuthTokenLength = 200;

    /// <summary>The trimmed label, null when blank.</summary>
    public static string? Label(string? given, FieldErrors errors)
    {
        var label = given?.Trim();
        if (label?.Length > TenantPhoneNumber.MaxLabelLength)
        {
            errors.Add("label", $"must be at most {TenantPhoneNumber.MaxLabelLength} characters");
        }

        return string.IsNullOrEmpty(label) ? null : label;
    }

    /// <summary>
    /// Checks the provider with its credentials against what <paramref name="current"/> already holds: a Twilio number needs
    /// an account SID and an auth token, given now or stored before; an outbox number takes neither.
    /// </summary>
    public static ProviderChoice Provider(MessageProvider provider, string? accountSid, string? authToken, TenantPhoneNumber? current, FieldErrors errors)
    {
        var sid = string.IsNullOrWhiteSpace(accountSid) ? null : accountSid.Trim();
        var token = string.IsNullOrEmpty(authToken) ? null : authToken;
        switch (provider)
        {
            case MessageProvider.Outbox:
                if (sid is not null)
                {
                    errors.Add("twilioAccountSid", "is only for twilio numbers");
                }

                if (token is not null)
                {
                    errors.Add("twilioAuthToken", "is only for twilio numbers");
                }

                return new ProviderChoice(provider, null, null);
            case MessageProvider.Twilio:
                var keptSid = current?.Provider == MessageProvider.Twilio ? current.TwilioAccountSid : null;
                sid ??= keptSid;
                if (sid is null)
                {
                    errors.Add("twilioAccountSid", "is required for twilio numbers");
                }
                else if (!TwilioAccount.IsAccountSid(sid))
                {
                    errors.Add("twilioAccountSid", "must be AC followed by 32 hexadecimal characters");
                }

                if (token is null && current?.TwilioAuthTokenProtected is null)
                {
                    errors.Add("twilioAuthToken", "is required for twilio numbers");
                }
                else if (token is null && sid != keptSid)
                {
                    // The stored token belongs to the account it was entered for (see BoundCredential).
                    errors.Add("twilioAuthToken", "must be entered again: the account SID changed, and a stored token is only ever sent for the account it was entered for");
                }
                else if (token?.Length > MaxAuthTokenLength || token?.Any(char.IsWhiteSpace) == true)
                {
                    errors.Add("twilioAuthToken", $"must be at most {MaxAuthTokenLength} characters without spaces");
                }

                return new ProviderChoice(provider, sid, token);
            default:
                errors.Add("provider", "must be outbox or twilio");
                return new ProviderChoice(provider, null, null);
        }
    }
}
