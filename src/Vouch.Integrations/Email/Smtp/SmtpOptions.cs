namespace Vouch.Integrations.Email.Smtp;

/// <summary>Process-wide SMTP behaviour, bound from <c>Vouch:Smtp</c>. The relay itself is a tenant setting.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Vouch:Smtp";

    /// <summary>How long one delivery (connect, authenticate, send) may take before it is retried later.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
