using Vouch.Core.Features.Tenancy;

namespace Vouch.Core.Features.Verification;

/// <summary>A tenant's verification policy, templates and branding. A tenant without a row uses the defaults.</summary>
public sealed class VerificationSettings : ITenantOwned
{
    public const int MaxLifetimeMinutes = 10;
    public const int MaxAttemptsCeiling = 5;

    private VerificationSettings()
    {
    }

    public VerificationSettings(Guid tenantId) => TenantId = tenantId;

    public Guid TenantId { get; set; }

    /// <summary>How long a code or link stays usable: 5 minutes by default, never more than 10.</summary>
    public int LifetimeMinutes { get; set; } = 5;

    /// <summary>How long a contact's shield stays green after a verification.</summary>
    public int VerifiedWindowMinutes { get; set; } = 15;

    /// <summary>Wrong codes allowed before the verification fails: at most 5.</summary>
    public int MaxAttempts { get; set; } = MaxAttemptsCeiling;

    /// <summary>How many past verifications the contact's history shows.</summary>
    public int HistoryLength { get; set; } = 10;

    /// <summary>When set, sending to a number or address that is not the contact's default needs a note (e.g. "Manager approval").</summary>
    public bool RequireNoteForNonDefaultDestination { get; set; }

    public const int MaxRecentDestinationDays = 365;

    /// <summary>
    /// Days a number or address added to a contact after it was created, imported or synced counts as recently changed
    /// (0: never). "I have a new phone, send the code there" is the path a social engineer takes: sending a verification
    /// to such a destination needs a note saying who approved it.
    /// </summary>
    public int RecentDestinationDays { get; set; } = 7;

    /// <summary>The time a destination was added, when that is within a window of <paramref name="days"/> (0: never); else null.</summary>
    public static DateTime? RecentChange(int days, DateTime? changedAt, DateTime now) =>
        days > 0 && changedAt is { } at && now - at < TimeSpan.FromDays(days) ? at : null;

    /// <summary>When set, a Technician may not send a verification to a recently changed destination at all; an Owner or Admin sends it.</summary>
    public bool RecentDestinationNeedsAdmin { get; set; }

    /// <summary>How long a technician verification (#verify) waits for #confirm: 10 minutes by default, never more than 10.</summary>
    public int TechnicianLifetimeMinutes { get; set; } = MaxLifetimeMinutes;

    public const int MaxSmsHelpTextLength = 300;

    /// <summary>The answer to HELP on the tenant's numbers; null for the built-in one.</summary>
    public string? SmsHelpText { get; set; }

    /// <summary>The tenant's own templates; null means the built-in one.</summary>
    public MessageTemplates Templates { get; set; } = new();

    public Branding Branding { get; set; } = new();

    public TimeSpan Lifetime => TimeSpan.FromMinutes(LifetimeMinutes);

    public TimeSpan TechnicianLifetime => TimeSpan.FromMinutes(TechnicianLifetimeMinutes);

    public TimeSpan VerifiedWindow => TimeSpan.FromMinutes(VerifiedWindowMinutes);
}

/// <summary>Liquid templates per channel; each may use code, link, expires_in_minutes, contact_first_name and msp_name.</summary>
public sealed class MessageTemplates
{
    public string? SmsCode { get; set; }

    public string? SmsLink { get; set; }

    public string? EmailCodeSubject { get; set; }

    public string? EmailCodeText { get; set; }

    public string? EmailCodeHtml { get; set; }

    public string? EmailLinkSubject { get; set; }

    public string? EmailLinkText { get; set; }

    public string? EmailLinkHtml { get; set; }
}

/// <summary>What makes the e-mails and the link page look like the MSP's own.</summary>
public sealed class Branding
{
    /// <summary>An https address of the logo image, or null for none.</summary>
    public string? LogoUrl { get; set; }

    /// <summary>The accent colour as #rrggbb.</summary>
    public string PrimaryColor { get; set; } = "#1f6feb";

    public string? Footer { get; set; }
}
