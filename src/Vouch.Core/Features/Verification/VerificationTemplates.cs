using System.Globalization;
using System.Net;
using System.Text.Encodings.Web;
using Vouch.Core.Features.Audit;
using Vouch.Core.Ports;

namespace Vouch.Core.Features.Verification;

/// <summary>The values a verification message template may use.</summary>
public sealed record TemplateValues(string? Code, string? Link, int ExpiresInMinutes, string ContactFirstName, string MspName);

/// <summary>A tenant's template that failed for one message (the field as the settings name it, and why); the built-in one was sent.</summary>
public sealed record TemplateFallback(string Field, string Reason);

/// <summary>
/// Renders the tenant's Liquid templates (through <see cref="LiquidTemplates"/>: sandboxed and bounded) into the message a
/// provider sends. HTML bodies escape every value; texts and SMS do not, as nothing interprets them.
/// </summary>
public static class VerificationTemplates
{
    public const string DefaultSmsCode =
        "{{ msp_name }}: your verification code is {{ code }}. Read it to the technician on the phone with you. It expires in {{ expires_in_minutes }} minutes. Never give it to anyone else.";

    public const string DefaultSmsLink =
        "{{ msp_name }}: to confirm it is you on the phone, open {{ link }} and press Validate. It expires in {{ expires_in_minutes }} minutes.";

    public const string DefaultEmailCodeSubject = "Your {{ msp_name }} verification code";

    public const string DefaultEmailCodeText =
        "Hello {{ contact_first_name }},\n\nYour verification code is {{ code }}.\nRead it to the technician on the phone with you. It expires in {{ expires_in_minutes }} minutes.\n\nIf you are not on the phone with {{ msp_name }}, ignore this message and never share the code.";

    public const string DefaultEmailCodeHtml =
        "<p>Hello {{ contact_first_name }},</p><p>Your verification code is</p><p style=\"font-size:28px;letter-spacing:6px;font-weight:bold\">{{ code }}</p><p>Read it to the technician on the phone with you. It expires in {{ expires_in_minutes }} minutes.</p><p>If you are not on the phone with {{ msp_name }}, ignore this message and never share the code.</p>";

    public const string DefaultEmailLinkSubject = "Confirm it is you: {{ msp_name }}";

    public const string DefaultEmailLinkText =
        "Hello {{ contact_first_name }},\n\nTo confirm it is you on the phone with {{ msp_name }}, open this link and press Validate:\n{{ link }}\n\nIt expires in {{ expires_in_minutes }} minutes. If you are not on the phone with {{ msp_name }}, ignore this message.";

    public const string DefaultEmailLinkHtml =
        "<p>Hello {{ contact_first_name }},</p><p>To confirm it is you on the phone with {{ msp_name }}, open this link and press <b>Validate</b>:</p><p><a href=\"{{ link }}\">{{ link }}</a></p><p>It expires in {{ expires_in_minutes }} minutes. If you are not on the phone with {{ msp_name }}, ignore this message.</p>";

    // Sentinels for the save check: a template that loses them would send a message without its secret.
    private const string CodeSentinel = "731904";
    private const string LinkSentinel = "https://vouch.invalid/v/SENTINELtoken";

    public static async Task<SmsMessage> SmsAsync(VerificationChannel channel, MessageTemplates templates, string to, TemplateValues values,
        ICollection<TemplateFallback> fallbacks) =>
        channel == VerificationChannel.SmsCode
            ? new(to, await MessageAsync(templates.SmsCode, DefaultSmsCode, "templates.smsCode", TemplateMedium.Sms, values, fallbacks))
            : new(to, await MessageAsync(templates.SmsLink, DefaultSmsLink, "templates.smsLink", TemplateMedium.Sms, values, fallbacks));

    public static async Task<EmailMessage> EmailAsync(VerificationChannel channel, MessageTemplates templates, Branding branding, string to, TemplateValues values,
        ICollection<TemplateFallback> fallbacks)
    {
        var code = channel == VerificationChannel.EmailCode;
        var subject = await MessageAsync(code ? templates.EmailCodeSubject : templates.EmailLinkSubject, code ? DefaultEmailCodeSubject : DefaultEmailLinkSubject,
            code ? "templates.emailCodeSubject" : "templates.emailLinkSubject", TemplateMedium.EmailSubject, values, fallbacks, carriesSecret: false);
        var text = await MessageAsync(code ? templates.EmailCodeText : templates.EmailLinkText, code ? DefaultEmailCodeText : DefaultEmailLinkText,
            code ? "templates.emailCodeText" : "templates.emailLinkText", TemplateMedium.EmailText, values, fallbacks);
        var html = await MessageAsync(code ? templates.EmailCodeHtml : templates.EmailLinkHtml, code ? DefaultEmailCodeHtml : DefaultEmailLinkHtml,
            code ? "templates.emailCodeHtml" : "templates.emailLinkHtml", TemplateMedium.EmailHtml, values, fallbacks);
        return new EmailMessage(to, Subject(subject), text, Layout(html, branding, values.MspName));
    }

    /// <summary>An e-mail subject on one line.</summary>
    public static string Subject(string rendered) => rendered.ReplaceLineEndings(" ").Trim();

    /// <summary>
    /// The tenant's template rendered with the values, or, when the tenant has none or theirs fails for these values
    /// (a bound, an error, or a secret it no longer shows), the built-in one; a failure is added to
    /// <paramref name="fallbacks"/> so the sender can audit it. A message is never lost to a tenant's template.
    /// </summary>
    public static async Task<string> MessageAsync(string? custom, string builtIn, string field, TemplateMedium medium, TemplateValues values,
        ICollection<TemplateFallback> fallbacks, bool carriesSecret = true)
    {
        if (custom is not null)
        {
            var rendered = await LiquidTemplates.RenderAsync(custom, medium, values);
            var secret = values.Code ?? values.Link;
            var failure = rendered.Failure
                ?? (carriesSecret && secret is not null && !rendered.Text!.Contains(medium.Html ? HtmlEncoder.Default.Encode(secret) : secret, StringComparison.Ordinal)
                    ? $"does not show the {(values.Code is null ? "link" : "code")}"
                    : null);
            if (failure is null)
            {
                return rendered.Text!;
            }

            // A parse error quotes the template's line, which may be long; the audit detail has room for 4,000 characters.
            fallbacks.Add(new TemplateFallback(field, failure.Length <= MaxReasonLength ? failure : failure[..MaxReasonLength] + "…"));
        }

        return await LiquidTemplates.RenderAsync(builtIn, medium, values) is { Text: { } text }
            ? text
            : throw new InvalidOperationException($"The built-in template for {field} failed to render.");
    }

    /// <summary>
    /// Checks a template a tenant wants to save: it must parse, stay within the bounds of <see cref="LiquidTemplates"/>
    /// both with ordinary values and with the longest ones the model allows, and, where it carries the secret, keep it.
    /// </summary>
    public static async Task<string?> ProblemAsync(string template, TemplateMedium medium, bool mustKeepCode, bool mustKeepLink, int maxExpiresInMinutes)
    {
        if (LiquidTemplates.ParseProblem(template) is { } unusable)
        {
            return unusable;
        }

        foreach (var (values, with) in Samples(maxExpiresInMinutes))
        {
            var rendered = await LiquidTemplates.RenderAsync(template, medium, values);
            if (rendered.Failure is { } failure)
            {
                return failure + with;
            }

            if (mustKeepCode && !rendered.Text!.Contains(CodeSentinel, StringComparison.Ordinal))
            {
                return "must show the code: include {{ code }}" + with;
            }

            if (mustKeepLink && !rendered.Text!.Contains(medium.Html ? HtmlEncoder.Default.Encode(values.Link!) : values.Link!, StringComparison.Ordinal))
            {
                return "must show the link: include {{ link }}" + with;
            }
        }

        return null;
    }

    /// <summary>
    /// A template field of a settings change: null keeps <paramref name="current"/>, an empty text restores the built-in
    /// template (null), and a template with a problem is refused into <paramref name="errors"/> under its field.
    /// </summary>
    public static async Task<string?> ChangeAsync(string? given, string? current, string field, TemplateMedium medium, bool mustKeepCode, bool mustKeepLink,
        int maxExpiresInMinutes, FieldErrors errors)
    {
        if (given is null)
        {
            return current;
        }

        if (given.Trim().Length == 0)
        {
            return null;
        }

        if (await ProblemAsync(given, medium, mustKeepCode, mustKeepLink, maxExpiresInMinutes) is { } problem)
        {
            errors.Add(field, problem);
            return current;
        }

        return given;
    }

    /// <summary>Audits each fallback of one message, naming the template and why, never a value.</summary>
    public static void Audit(AuditLog audit, IEnumerable<TemplateFallback> fallbacks, string settings, string message)
    {
        foreach (var fallback in fallbacks)
        {
            audit.Record(FallbackAction, settings, fallback.Field, $"{fallback.Reason}; the built-in template was used for {message}");
        }
    }

    public const string FallbackAction = "template.fallback";

    private const int MaxReasonLength = 500;

    // Ordinary values, then the longest the model allows (a first name of 100 characters, a tenant name of 200, the
    // longest lifetime), so a template whose cost grows with a value is refused now rather than failing at send time.
    private static IEnumerable<(TemplateValues Values, string With)> Samples(int maxExpiresInMinutes)
    {
        yield return (new TemplateValues(CodeSentinel, LinkSentinel, 5, "Ada", "MSP"), "");
        yield return (new TemplateValues(CodeSentinel, LinkSentinel + new string('x', 200), maxExpiresInMinutes, Longest("Anna-Maria O'Brien ", 100),
            Longest("Contoso & Partners Managed IT ", 200)), " (with the longest names and lifetime allowed)");
    }

    private static string Longest(string words, int length) => string.Concat(Enumerable.Repeat(words, (length / words.Length) + 1))[..length];

    /// <summary>Wraps an HTML body in the tenant's logo, colour and footer; every branding value is escaped.</summary>
    private static string Layout(string body, Branding branding, string mspName)
    {
        var color = WebUtility.HtmlEncode(branding.PrimaryColor);
        var logo = branding.LogoUrl is { Length: > 0 } url
            ? $"<img src=\"{WebUtility.HtmlEncode(url)}\" alt=\"{WebUtility.HtmlEncode(mspName)}\" style=\"max-height:48px\">"
            : $"<strong style=\"font-size:18px;color:{color}\">{WebUtility.HtmlEncode(mspName)}</strong>";
        var footer = branding.Footer is { Length: > 0 } f ? $"<p style=\"color:#666;font-size:12px\">{WebUtility.HtmlEncode(f)}</p>" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"<!doctype html><html><body style=\"font-family:sans-serif;margin:0;padding:24px\"><div style=\"max-width:560px;margin:auto;border-top:4px solid {color};padding-top:16px\">{logo}{body}{footer}</div></body></html>");
    }
}
