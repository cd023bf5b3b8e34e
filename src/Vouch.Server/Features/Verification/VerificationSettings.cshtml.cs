using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vouch.Core;
using Vouch.Core.Features.Delivery;
using Vouch.Core.Features.Verification;
using Vouch.Core.Ports;
using Vouch.Server.Features.Shared;
using Vouch.Server.Hosting;

namespace Vouch.Server.Features.Verification;

/// <summary>
/// The tenant's verification policy, templates and branding (one form), its message providers (another) and a test message
/// (a third). Separate forms because they are separate use cases: a refused provider change must not lose a saved template.
/// </summary>
[Authorize(Policy = Authentication.Configure)]
public sealed class VerificationSettingsModel(GetVerificationSettings getSettings, GetDeliverySettings getDelivery, GetTemplateFallback getFallback) : PageModel
{
    public const string PolicyPrefix = "Input";
    public const string ProvidersPrefix = "Providers";
    public const string TestPrefix = "Test";

    // The use cases name fields by JSON path; these are the words a person reads next to the refusal.
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["lifetimeMinutes"] = "Code and link lifetime",
        ["verifiedWindowMinutes"] = "Verified window",
        ["maxAttempts"] = "Wrong codes allowed",
        ["historyLength"] = "History length",
        ["technicianLifetimeMinutes"] = "Caller check lifetime",
        ["smsHelpText"] = "Answer to HELP",
        ["templates.smsCode"] = "SMS code template",
        ["templates.smsLink"] = "SMS link template",
        ["templates.emailCodeSubject"] = "E-mail code subject",
        ["templates.emailCodeText"] = "E-mail code text",
        ["templates.emailCodeHtml"] = "E-mail code HTML",
        ["templates.emailLinkSubject"] = "E-mail link subject",
        ["templates.emailLinkText"] = "E-mail link text",
        ["templates.emailLinkHtml"] = "E-mail link HTML",
        ["branding.logoUrl"] = "Logo URL",
        ["branding.primaryColor"] = "Colour",
        ["branding.footer"] = "Footer",
        ["smsProvider"] = "SMS provider",
        ["emailProvider"] = "E-mail provider",
        ["twilioAccountSid"] = "Twilio account SID",
        ["twilioAuthToken"] = "Twilio auth token",
        ["twilioFromNumber"] = "Twilio sender number",
        ["twilioMessagingServiceSid"] = "Twilio messaging service",
        ["smtpHost"] = "SMTP host",
        ["smtpPort"] = "SMTP port",
        ["smtpSecurity"] = "SMTP security",
        ["smtpPassword"] = "SMTP password",
        ["smtpFromAddress"] = "SMTP from address",
        ["to"] = "Send to",
        ["channel"] = "Channel",
    };

    [BindProperty]
    public PolicyForm Input { get; set; } = new();

    [BindProperty]
    public ProvidersForm Providers { get; set; } = new();

    [BindProperty]
    public TestMessageForm Test { get; set; } = new();

    /// <summary>The stored providers: tells the page whether a secret is set without ever showing it.</summary>
    public DeliverySettingsView Delivery { get; private set; } = null!;

    /// <summary>The last send that used a built-in template because one of the tenant's failed, since the settings were saved.</summary>
    public TemplateFallbackView? Fallback { get; private set; }

    /// <summary>Which form was posted, so its summary shows the refusals that are not tied to one field.</summary>
    public string? Posted { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        Input = PolicyForm.From(await getSettings.HandleAsync(ct));
        Delivery = await getDelivery.HandleAsync(ct);
        Providers = ProvidersForm.From(Delivery);
        Fallback = await getFallback.HandleAsync("verification_settings", "settings.verification_changed", ct);
    }

    public static string Label(string field) => Labels.GetValueOrDefault(field, field);

    public async Task<IActionResult> OnPostPolicyAsync([FromServices] UpdateVerificationSettings update)
    {
        var ct = HttpContext.RequestAborted;
        Posted = PolicyPrefix;
        if (ModelState.IsValid)
        {
            var saved = await update.HandleAsync(Input.ToInput(), ct);
            if (saved.Succeeded)
            {
                Notice = "Verification policy, templates and branding saved.";
                return RedirectToPage();
            }

            AddFailure(saved.Failure!, PolicyPrefix);
        }

        Delivery = await getDelivery.HandleAsync(ct);
        Providers = ProvidersForm.From(Delivery);
        return Page();
    }

    public async Task<IActionResult> OnPostProvidersAsync([FromServices] UpdateDeliverySettings update)
    {
        var ct = HttpContext.RequestAborted;
        Posted = ProvidersPrefix;
        if (ModelState.IsValid)
        {
            var saved = await update.HandleAsync(Providers.ToInput(), ct);
            if (saved.Succeeded)
            {
                Notice = $"Message providers saved: SMS through {ProviderName(saved.Value!.SmsProvider)}, e-mail through {ProviderName(saved.Value.EmailProvider)}.";
                return RedirectToPage();
            }

            AddFailure(saved.Failure!, ProvidersPrefix);
        }

        Input = PolicyForm.From(await getSettings.HandleAsync(ct));
        Delivery = await getDelivery.HandleAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostTestAsync([FromServices] SendTestMessage send)
    {
        var ct = HttpContext.RequestAborted;
        Posted = TestPrefix;
        if (ModelState.IsValid)
        {
            var sent = await send.HandleAsync(new TestMessageRequest(Test.Channel, Test.To), ct);
            if (sent.Succeeded)
            {
                Notice = $"Test message queued to {sent.Value!.To}. With the development outbox it appears on the Outbox page.";
                return RedirectToPage();
            }

            AddFailure(sent.Failure!, TestPrefix);
        }

        Input = PolicyForm.From(await getSettings.HandleAsync(ct));
        Delivery = await getDelivery.HandleAsync(ct);
        Providers = ProvidersForm.From(Delivery);
        return Page();
    }

    /// <summary>The refusals of one form: its fields' errors and, when it was the one posted, those tied to no field.</summary>
    public IEnumerable<string> ErrorsOf(string prefix) => ModelState
        .Where(e => e.Key.StartsWith(prefix + ".", StringComparison.Ordinal) || (e.Key.Length == 0 && Posted == prefix))
        .SelectMany(e => e.Value!.Errors.Select(error => error.ErrorMessage));

    public static string ProviderName(MessageProvider provider) => provider switch
    {
        MessageProvider.Twilio => "Twilio",
        MessageProvider.Smtp => "SMTP",
        _ => "the development outbox",
    };

    private void AddFailure(Failure failure, string prefix)
    {
        switch (failure)
        {
            case Invalid invalid:
                foreach (var (field, reasons) in invalid.Errors)
                {
                    foreach (var reason in reasons)
                    {
                        ModelState.AddModelError(prefix + "." + PageFailures.Pascal(field), $"{Labels.GetValueOrDefault(field, field)}: {reason}.");
                    }
                }

                break;
            case TooManyRequests limited:
                var seconds = Math.Max(1, (int)Math.Ceiling(limited.RetryAfter.TotalSeconds));
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                ModelState.AddModelError("", $"Refused: {limited.Reason}. Try again in {seconds} seconds.");
                break;
            default:
                PageFailures.Add(ModelState, failure, field => prefix + "." + PageFailures.Pascal(field));
                break;
        }
    }
}

/// <summary>The policy form. Texts keep an empty string: an emptied template means "back to the built-in one".</summary>
public sealed class PolicyForm
{
    public int? LifetimeMinutes { get; set; }

    public int? VerifiedWindowMinutes { get; set; }

    public int? MaxAttempts { get; set; }

    public int? HistoryLength { get; set; }

    public bool RequireNoteForNonDefaultDestination { get; set; }

    public int? RecentDestinationDays { get; set; }

    public bool RecentDestinationNeedsAdmin { get; set; }

    public int? TechnicianLifetimeMinutes { get; set; }

    public string? SmsHelpText { get; set; }

    public TemplatesForm Templates { get; set; } = new();

    public BrandingForm Branding { get; set; } = new();

    public static PolicyForm From(VerificationSettingsView view) => new()
    {
        LifetimeMinutes = view.LifetimeMinutes,
        VerifiedWindowMinutes = view.VerifiedWindowMinutes,
        MaxAttempts = view.MaxAttempts,
        HistoryLength = view.HistoryLength,
        RequireNoteForNonDefaultDestination = view.RequireNoteForNonDefaultDestination,
        RecentDestinationDays = view.RecentDestinationDays,
        RecentDestinationNeedsAdmin = view.RecentDestinationNeedsAdmin,
        TechnicianLifetimeMinutes = view.TechnicianLifetimeMinutes,
        SmsHelpText = view.SmsHelpText ?? "",
        Templates = new TemplatesForm
        {
            SmsCode = view.Templates.SmsCode ?? "",
            SmsLink = view.Templates.SmsLink ?? "",
            EmailCodeSubject = view.Templates.EmailCodeSubject ?? "",
            EmailCodeText = view.Templates.EmailCodeText ?? "",
            EmailCodeHtml = view.Templates.EmailCodeHtml ?? "",
            EmailLinkSubject = view.Templates.EmailLinkSubject ?? "",
            EmailLinkText = view.Templates.EmailLinkText ?? "",
            EmailLinkHtml = view.Templates.EmailLinkHtml ?? "",
        },
        Branding = new BrandingForm { LogoUrl = view.Branding.LogoUrl ?? "", PrimaryColor = view.Branding.PrimaryColor, Footer = view.Branding.Footer ?? "" },
    };

    public VerificationSettingsInput ToInput() => new(
        LifetimeMinutes,
        VerifiedWindowMinutes,
        MaxAttempts,
        HistoryLength,
        RequireNoteForNonDefaultDestination,
        new MessageTemplates
        {
            SmsCode = Templates.SmsCode ?? "",
            SmsLink = Templates.SmsLink ?? "",
            EmailCodeSubject = Templates.EmailCodeSubject ?? "",
            EmailCodeText = Templates.EmailCodeText ?? "",
            EmailCodeHtml = Templates.EmailCodeHtml ?? "",
            EmailLinkSubject = Templates.EmailLinkSubject ?? "",
            EmailLinkText = Templates.EmailLinkText ?? "",
            EmailLinkHtml = Templates.EmailLinkHtml ?? "",
        },
        new Branding { LogoUrl = Branding.LogoUrl, PrimaryColor = Branding.PrimaryColor ?? "", Footer = Branding.Footer },
        TechnicianLifetimeMinutes,
        SmsHelpText ?? "",
        RecentDestinationDays,
        RecentDestinationNeedsAdmin);
}

public sealed class TemplatesForm
{
    [DisplayFormat(ConvertEmptyStringToNull = false)]
    public string? SmsCode { get; set; }

    [DisplayFormat(ConvertEmptyStringToNull = false)]
    public string? SmsLink { get; set; }

    [DisplayFormat(ConvertEmptyStringToNull = false)]
    public string? EmailCodeSubject { get; set; }

    [DisplayFormat(ConvertEmptyStringToNull = false)]
    public string? EmailCodeText { get; set; }

    [DisplayFormat(ConvertEmptyStringToNull = false)]
    public string? EmailCodeHtml { get; set; }

    [DisplayFormat(ConvertEmptyStringToNull = false)]
    public string? EmailLinkSubject { get; set; }

    [DisplayFormat(ConvertEmptyStringToNull = false)]
    public string? EmailLinkText { get; set; }

    [DisplayFormat(ConvertEmptyStringToNull = false)]
    public string? EmailLinkHtml { get; set; }
}

public sealed class BrandingForm
{
    public string? LogoUrl { get; set; }

    public string? PrimaryColor { get; set; }

    public string? Footer { get; set; }
}

/// <summary>
/// The providers form. Secrets are write-only: a blank secret field keeps the stored one and the "remove" box clears it.
/// Other texts keep an empty string, which the use case reads as "clear this value".
/// </summary>
public sealed class ProvidersForm
{
    public MessageProvider SmsProvider { get; set; }

    public MessageProvider EmailProvider { get; set; }

    [DisplayFormat(ConvertEmptyStringToNull = false)]
    public string? TwilioAccountSid { get; set; }

    public string? TwilioAuthToken { get; set; }

    public bool RemoveTwilioAuthToken { get; set; }

    [DisplayFormat(ConvertEmptyStringToNull = false)]
    public string? TwilioFromNumber { get; set; }

    [DisplayFormat(ConvertEmptyStringToNull = false)]
    public string? TwilioMessagingServiceSid { get; set; }

    [DisplayFormat(ConvertEmptyStringToNull = false)]
    public string? SmtpHost { get; set; }

    public int? SmtpPort { get; set; }

    public SmtpSecurity SmtpSecurity { get; set; }

    [DisplayFormat(ConvertEmptyStringToNull = false)]
    public string? SmtpUserName { get; set; }

    public string? SmtpPassword { get; set; }

    public bool RemoveSmtpPassword { get; set; }

    [DisplayFormat(ConvertEmptyStringToNull = false)]
    public string? SmtpFromAddress { get; set; }

    [DisplayFormat(ConvertEmptyStringToNull = false)]
    public string? SmtpFromName { get; set; }

    public static ProvidersForm From(DeliverySettingsView view) => new()
    {
        SmsProvider = view.SmsProvider,
        EmailProvider = view.EmailProvider,
        TwilioAccountSid = view.TwilioAccountSid,
        TwilioFromNumber = view.TwilioFromNumber,
        TwilioMessagingServiceSid = view.TwilioMessagingServiceSid,
        SmtpHost = view.SmtpHost,
        SmtpPort = view.SmtpPort,
        SmtpSecurity = view.SmtpSecurity,
        SmtpUserName = view.SmtpUserName,
        SmtpFromAddress = view.SmtpFromAddress,
        SmtpFromName = view.SmtpFromName,
    };

    public DeliverySettingsInput ToInput() => new(
        SmsProvider,
        EmailProvider,
        TwilioAccountSid ?? "",
        Secret(TwilioAuthToken, RemoveTwilioAuthToken),
        TwilioFromNumber ?? "",
        TwilioMessagingServiceSid ?? "",
        SmtpHost ?? "",
        SmtpPort,
        SmtpSecurity,
        SmtpUserName ?? "",
        Secret(SmtpPassword, RemoveSmtpPassword),
        SmtpFromAddress ?? "",
        SmtpFromName ?? "");

    // Null keeps the stored secret, an empty string clears it (the use case's contract).
    private static string? Secret(string? typed, bool remove) => remove ? "" : string.IsNullOrEmpty(typed) ? null : typed;
}

public sealed class TestMessageForm
{
    public Medium? Channel { get; set; } = Medium.Email;

    public string? To { get; set; }
}
