using Vouch.Core.Features.Verification;

namespace Vouch.Core.Tests.Features.Verification;

public sealed class VerificationTemplatesTests
{
    private static readonly TemplateValues Values = new("482913", "https://vouch.example/v/abc", 5, "<Ann>", "Fix & Co");

    [Fact]
    public async Task Defaults_CarryTheSecret()
    {
        var templates = new MessageTemplates();
        var fallbacks = new List<TemplateFallback>();

        Assert.Contains("482913", (await VerificationTemplates.SmsAsync(VerificationChannel.SmsCode, templates, "+1", Values, fallbacks)).Body, StringComparison.Ordinal);
        Assert.Contains("https://vouch.example/v/abc", (await VerificationTemplates.SmsAsync(VerificationChannel.SmsLink, templates, "+1", Values, fallbacks)).Body,
            StringComparison.Ordinal);
        var email = await VerificationTemplates.EmailAsync(VerificationChannel.EmailLink, templates, new Branding(), "a@b.c", Values, fallbacks);
        Assert.Contains("https://vouch.example/v/abc", email.TextBody, StringComparison.Ordinal);
        Assert.Contains("href=\"https://vouch.example/v/abc\"", email.HtmlBody, StringComparison.Ordinal);
        Assert.Empty(fallbacks);
    }

    [Fact]
    public async Task Html_EscapesValuesAndBranding_TextDoesNot()
    {
        var branding = new Branding { Footer = "<script>x</script>", PrimaryColor = "#112233" };

        var email = await VerificationTemplates.EmailAsync(VerificationChannel.EmailCode, new MessageTemplates(), branding, "a@b.c", Values, []);

        Assert.Contains("&lt;Ann&gt;", email.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Fix &amp; Co", email.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", email.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Hello <Ann>", email.TextBody, StringComparison.Ordinal);
        Assert.Equal("Your Fix & Co verification code", email.Subject);
    }

    [Theory]
    [InlineData("Code: {{ code }}", true, false, false, null)]
    [InlineData("Hello {{ contact_first_name }}", true, false, false, "must show the code")]
    [InlineData("{% if false %}{{ code }}{% endif %}", true, false, false, "must show the code")]
    [InlineData("<a href=\"{{ link }}\">go</a>", false, true, true, null)]
    [InlineData("{{ code }}", false, true, false, "must show the link")]
    [InlineData("{% if %}", false, false, false, "is not valid Liquid")]
    public async Task ProblemAsync_RefusesTemplatesThatDropTheSecretOrDoNotParse(string template, bool code, bool link, bool html, string? expected)
    {
        var problem = await VerificationTemplates.ProblemAsync(template, html ? TemplateMedium.EmailHtml : TemplateMedium.Sms, code, link, 10);

        if (expected is null)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.StartsWith(expected, problem, StringComparison.Ordinal);
        }
    }
}
