using System.Text.Json.Serialization;

namespace Vouch.Core.Features.Verification;

/// <summary>How a contact proves who they are. Later channels (Teams, push, portal, voice) add members here.</summary>
public enum VerificationChannel
{
    [JsonStringEnumMemberName("sms_code")]
    SmsCode,

    [JsonStringEnumMemberName("sms_link")]
    SmsLink,

    [JsonStringEnumMemberName("email_code")]
    EmailCode,

    [JsonStringEnumMemberName("email_link")]
    EmailLink,
}

public enum VerificationStatus
{
    Pending,
    Verified,
    Failed,
    Expired,
    Cancelled,

    /// <summary>A newer verification for the same contact and channel replaced this one.</summary>
    Superseded,
}

/// <summary>What the medium and the proof of a channel are.</summary>
public static class VerificationChannels
{
    public static bool UsesSms(this VerificationChannel channel) => channel is VerificationChannel.SmsCode or VerificationChannel.SmsLink;

    public static bool UsesLink(this VerificationChannel channel) => channel is VerificationChannel.SmsLink or VerificationChannel.EmailLink;

    public static string Name(this VerificationChannel channel) => channel switch
    {
        VerificationChannel.SmsCode => "sms_code",
        VerificationChannel.SmsLink => "sms_link",
        VerificationChannel.EmailCode => "email_code",
        _ => "email_link",
    };
}
