using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Encodings.Web;
using Fluid;
using Vouch.Core.Ports;

namespace Vouch.Core.Features.Verification;

/// <summary>The values a verification message template may use.</summary>
public sealed record TemplateValues(string? Code, string? Link, int ExpiresInMinutes, string ContactFirstName, string MspName);

/// <summary>
/// Renders the tenant's Liquid templates (Fluid: sandboxed, no file or member access beyond the values given) into the
/// message a provider sends. HTML bodies escape every value; texts and SMS do not, as nothing interprets them.
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

    private static readonly FluidParser Parser = new();
    private static readonly ConcurrentDictionary<string, IFluidTemplate> Parsed = new(StringComparer.Ordinal);
    private static readonly TemplateOptions Options = new() { MaxSteps = 10_000, MaxRecursion = 10 };

    public static SmsMessage Sms(VerificationChannel channel, MessageTemplates templates, string to, TemplateValues values) =>
        new(to, Render(channel == VerificationChannel.SmsCode ? templates.SmsCode ?? DefaultSmsCode : templates.SmsLink ?? DefaultSmsLink, values, NullEncoder.Default));

    public static EmailMessage Email(VerificationChannel channel, MessageTemplates templates, Branding branding, string to, TemplateValues values)
    {
        var (subject, text, html) = channel == VerificationChannel.EmailCode
            ? (templates.EmailCodeSubject ?? DefaultEmailCodeSubject, templates.EmailCodeText ?? DefaultEmailCodeText, templates.EmailCodeHtml ?? DefaultEmailCodeHtml)
            : (templates.EmailLinkSubject ?? DefaultEmailLinkSubject, templates.EmailLinkText ?? DefaultEmailLinkText, templates.EmailLinkHtml ?? DefaultEmailLinkHtml);
        return new EmailMessage(
            to,
            Render(subject, values, NullEncoder.Default).ReplaceLineEndings(" ").Trim(),
            Render(text, values, NullEncoder.Default),
            Layout(Render(html, values, HtmlEncoder.Default), branding, values.MspName));
    }

    /// <summary>Renders a plain-text template (SMS, e-mail text or subject) of another feature with the same values.</summary>
    public static string Text(string template, TemplateValues values) => Render(template, values, NullEncoder.Default);

    /// <summary>Checks a template a tenant wants to save: it must parse and, where it carries the secret, keep it.</summary>
    public static string? Problem(string template, bool mustKeepCode, bool mustKeepLink, bool html)
    {
        if (template.Length > 10_000)
        {
            return "must be at most 10,000 characters";
        }

        if (!Parser.TryParse(template, out var parsed, out var error))
        {
            return "is not valid Liquid: " + error;
        }

        string output;
        try
        {
            var values = new TemplateValues(CodeSentinel, LinkSentinel, 5, "Ada", "MSP");
            output = parsed.Render(Context(values), html ? HtmlEncoder.Default : NullEncoder.Default);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            return "cannot be rendered: " + e.Message;
        }

        if (mustKeepCode && !output.Contains(CodeSentinel, StringComparison.Ordinal))
        {
            return "must show the code: include {{ code }}";
        }

        if (mustKeepLink && !output.Contains(html ? HtmlEncoder.Default.Encode(LinkSentinel) : LinkSentinel, StringComparison.Ordinal))
        {
            return "must show the link: include {{ link }}";
        }

        return null;
    }

    private static string Render(string template, TemplateValues values, TextEncoder encoder)
    {
        var parsed = Parsed.GetOrAdd(template, t => Parser.Parse(t));
        if (Parsed.Count > 1_000)
        {
            Parsed.Clear();
        }

        return parsed.Render(Context(values), encoder);
    }

    private static TemplateContext Context(TemplateValues values)
    {
        var context = new TemplateContext(Options);
        context.SetValue("code", values.Code ?? "");
        context.SetValue("link", values.Link ?? "");
        context.SetValue("expires_in_minutes", values.ExpiresInMinutes);
        context.SetValue("contact_first_name", values.ContactFirstName);
        context.SetValue("msp_name", values.MspName);
        return context;
    }

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
