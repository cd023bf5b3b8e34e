using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Verification;

public sealed record VerificationSettingsView(
    int LifetimeMinutes,
    int VerifiedWindowMinutes,
    int MaxAttempts,
    int HistoryLength,
    bool RequireNoteForNonDefaultDestination,
    int TechnicianLifetimeMinutes,
    string? SmsHelpText,
    MessageTemplates Templates,
    Branding Branding,
    int RecentDestinationDays,
    bool RecentDestinationNeedsAdmin);

/// <summary>A change to the policy; absent fields keep their value. In templates an empty string restores the built-in one.</summary>
public sealed record VerificationSettingsInput(
    int? LifetimeMinutes,
    int? VerifiedWindowMinutes,
    int? MaxAttempts,
    int? HistoryLength,
    bool? RequireNoteForNonDefaultDestination,
    MessageTemplates? Templates,
    Branding? Branding,
    int? TechnicianLifetimeMinutes = null,
    string? SmsHelpText = null,
    int? RecentDestinationDays = null,
    bool? RecentDestinationNeedsAdmin = null);


public sealed class GetVerificationSettings(VouchDbContext db, Caller caller)
{
    public async Task<VerificationSettingsView> HandleAsync(CancellationToken ct) =>
        View(await db.VerificationSettings.AsNoTracking().SingleOrDefaultAsync(ct) ?? new VerificationSettings(caller.TenantId!.Value));

    internal static VerificationSettingsView View(VerificationSettings s) => new(
        s.LifetimeMinutes, s.VerifiedWindowMinutes, s.MaxAttempts, s.HistoryLength, s.RequireNoteForNonDefaultDestination,
        s.TechnicianLifetimeMinutes, s.SmsHelpText, s.Templates, s.Branding, s.RecentDestinationDays, s.RecentDestinationNeedsAdmin);
}

/// <summary>Changes the tenant's verification policy, templates and branding. Templates that would drop the code or link are refused.</summary>
public sealed partial class UpdateVerificationSettings(VouchDbContext db, Caller caller, AuditLog audit, TenantProfiles profiles)
{
    public async Task<Outcome<VerificationSettingsView>> HandleAsync(VerificationSettingsInput input, CancellationToken ct)
    {
        if (!caller.CanConfigure)
        {
            return new Forbidden("only Owners and Admins can change the verification settings");
        }

        var tenantId = caller.TenantId!.Value;
        var settings = await db.VerificationSettings.SingleOrDefaultAsync(ct);
        if (settings is null)
        {
            settings = new VerificationSettings(tenantId);
            db.VerificationSettings.Add(settings);
        }

        var errors = new FieldErrors();
        settings.LifetimeMinutes = Range(input.LifetimeMinutes, settings.LifetimeMinutes, 1, VerificationSettings.MaxLifetimeMinutes, "lifetimeMinutes", errors);
        settings.VerifiedWindowMinutes = Range(input.VerifiedWindowMinutes, settings.VerifiedWindowMinutes, 1, 24 * 60, "verifiedWindowMinutes", errors);
        settings.MaxAttempts = Range(input.MaxAttempts, settings.MaxAttempts, 1, VerificationSettings.MaxAttemptsCeiling, "maxAttempts", errors);
        settings.HistoryLength = Range(input.HistoryLength, settings.HistoryLength, 1, 100, "historyLength", errors);
        settings.RequireNoteForNonDefaultDestination = input.RequireNoteForNonDefaultDestination ?? settings.RequireNoteForNonDefaultDestination;
        settings.TechnicianLifetimeMinutes = Range(input.TechnicianLifetimeMinutes, settings.TechnicianLifetimeMinutes, 1, VerificationSettings.MaxLifetimeMinutes, "technicianLifetimeMinutes", errors);
        settings.RecentDestinationDays = Range(input.RecentDestinationDays, settings.RecentDestinationDays, 0, VerificationSettings.MaxRecentDestinationDays, "recentDestinationDays", errors);
        settings.RecentDestinationNeedsAdmin = input.RecentDestinationNeedsAdmin ?? settings.RecentDestinationNeedsAdmin;
        if (input.SmsHelpText is { } help)
        {
            // Empty restores the built-in text.
            help = help.Trim();
            if (help.Length > VerificationSettings.MaxSmsHelpTextLength)
            {
                errors.Add("smsHelpText", $"must be at most {VerificationSettings.MaxSmsHelpTextLength} characters");
            }
            else
            {
                settings.SmsHelpText = help.Length == 0 ? null : help;
            }
        }

        if (input.Templates is { } t)
        {
            var current = settings.Templates;
            Task<string?> Change(string? given, string? now, string field, TemplateMedium medium, bool code, bool link) =>
                VerificationTemplates.ChangeAsync(given, now, field, medium, code, link, VerificationSettings.MaxLifetimeMinutes, errors);
            settings.Templates = new MessageTemplates
            {
                SmsCode = await Change(t.SmsCode, current.SmsCode, "templates.smsCode", TemplateMedium.Sms, code: true, link: false),
                SmsLink = await Change(t.SmsLink, current.SmsLink, "templates.smsLink", TemplateMedium.Sms, code: false, link: true),
                EmailCodeSubject = await Change(t.EmailCodeSubject, current.EmailCodeSubject, "templates.emailCodeSubject", TemplateMedium.EmailSubject, code: false, link: false),
                EmailCodeText = await Change(t.EmailCodeText, current.EmailCodeText, "templates.emailCodeText", TemplateMedium.EmailText, code: true, link: false),
                EmailCodeHtml = await Change(t.EmailCodeHtml, current.EmailCodeHtml, "templates.emailCodeHtml", TemplateMedium.EmailHtml, code: true, link: false),
                EmailLinkSubject = await Change(t.EmailLinkSubject, current.EmailLinkSubject, "templates.emailLinkSubject", TemplateMedium.EmailSubject, code: false, link: false),
                EmailLinkText = await Change(t.EmailLinkText, current.EmailLinkText, "templates.emailLinkText", TemplateMedium.EmailText, code: false, link: true),
                EmailLinkHtml = await Change(t.EmailLinkHtml, current.EmailLinkHtml, "templates.emailLinkHtml", TemplateMedium.EmailHtml, code: false, link: true),
            };
        }

        if (input.Branding is { } b)
        {
            var logo = string.IsNullOrWhiteSpace(b.LogoUrl) ? null : b.LogoUrl.Trim();
            if (logo is not null && !(logo.Length <= 500 && Uri.TryCreate(logo, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps))
            {
                errors.Add("branding.logoUrl", "must be an https address of at most 500 characters");
            }

            if (!ColorPattern().IsMatch(b.PrimaryColor ?? ""))
            {
                errors.Add("branding.primaryColor", "must be a colour written #rrggbb");
            }

            var footer = string.IsNullOrWhiteSpace(b.Footer) ? null : b.Footer.Trim();
            if (footer?.Length > 500)
            {
                errors.Add("branding.footer", "must be at most 500 characters");
            }

            settings.Branding = new Branding { LogoUrl = logo, PrimaryColor = b.PrimaryColor?.ToLowerInvariant() ?? "", Footer = footer };
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        audit.Record("settings.verification_changed", "tenant", tenantId.ToString(),
            $"lifetime {settings.LifetimeMinutes} min, verified window {settings.VerifiedWindowMinutes} min, attempts {settings.MaxAttempts}, note required: {settings.RequireNoteForNonDefaultDestination}, " +
            $"recently changed destinations: {settings.RecentDestinationDays} days{(settings.RecentDestinationNeedsAdmin ? ", Admins only" : "")}");
        await db.SaveChangesAsync(ct);
        profiles.Forget(tenantId);
        return GetVerificationSettings.View(settings);
    }

    private static int Range(int? given, int current, int min, int max, string field, FieldErrors errors)
    {
        if (given is { } value && (value < min || value > max))
        {
            errors.Add(field, $"must be between {min} and {max}");
            return current;
        }

        return given ?? current;
    }

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex ColorPattern();
}
