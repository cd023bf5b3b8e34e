namespace Vouch.Integrations.Sms.Twilio;

/// <summary>Process-wide Twilio behaviour, bound from <c>Vouch:Twilio</c>. Accounts and tokens are tenant settings.</summary>
public sealed class TwilioOptions
{
    public const string Section = "Vouch:Twilio";

    public const string DefaultApiBaseUrl = "https://api.twilio.com";

    /// <summary>Where the REST API lives; changed only to point at a stand-in for tests or development.</summary>
    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    /// <summary>How long one API call may take before the message is retried later.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
