using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Vouch.Core.Features.Delivery;
using Vouch.Core.Features.Directory;
using Vouch.Core.Features.Verification;
using Vouch.Server.Tests.Infrastructure;
using static Vouch.Server.Tests.Infrastructure.Verifications;

namespace Vouch.Server.Tests.Features.Verification;

/// <summary>The verification pages through real requests: cookies, antiforgery, roles, and the use cases' refusals on screen.</summary>
public sealed partial class VerificationPagesTests(VerificationPagesTests.Vouch factory) : IClassFixture<VerificationPagesTests.Vouch>
{
    private const string Password = "a long enough password";
    private const string SettingsPage = "/settings/verification";

    [Fact]
    public async Task SettingsPage_Technician_IsForbiddenToOpenAndToPost()
    {
        var tenant = await factory.CreateTenantAsync("Pages " + Guid.NewGuid().ToString("N")[..8]);
        var technician = await SignedInAsync(await MemberAsync(tenant, "technician"));

        var opened = await technician.GetAsync(SettingsPage);
        // A technician holds a valid antiforgery token from a page they may open; the role check must still refuse the post.
        var posted = await PostAsync(technician, "/contacts", SettingsPage + "?handler=Policy", new() { ["Input.LifetimeMinutes"] = "9" });

        foreach (var refused in new[] { opened, posted })
        {
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.StartsWith("/forbidden", refused.Headers.Location?.PathAndQuery ?? refused.Headers.Location?.OriginalString, StringComparison.Ordinal);
        }

        var settings = await (await tenant.Api.GetAsync("/api/v1/settings/verification")).ReadAsync<VerificationSettingsView>();
        Assert.Equal(5, settings.LifetimeMinutes);
        Assert.DoesNotContain("Verification settings", await (await technician.GetAsync("/contacts")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SettingsPage_Admin_SavesPolicyTemplateBrandingAndProviders()
    {
        var tenant = await factory.CreateTenantAsync("Pages " + Guid.NewGuid().ToString("N")[..8]);
        var admin = await SignedInAsync(await MemberAsync(tenant, "admin"));

        var policy = await PostAsync(admin, SettingsPage, SettingsPage + "?handler=Policy", new()
        {
            ["Input.LifetimeMinutes"] = "7",
            ["Input.VerifiedWindowMinutes"] = "30",
            ["Input.MaxAttempts"] = "3",
            ["Input.HistoryLength"] = "20",
            ["Input.RequireNoteForNonDefaultDestination"] = "true",
            ["Input.TechnicianLifetimeMinutes"] = "4",
            ["Input.SmsHelpText"] = "Acme IT: text #verify to check a caller.",
            ["Input.Templates.SmsCode"] = "{{ msp_name }} code {{ code }}",
            ["Input.Templates.SmsLink"] = "",
            ["Input.Branding.LogoUrl"] = "https://msp.example/logo.png",
            ["Input.Branding.PrimaryColor"] = "#AA3300",
            ["Input.Branding.Footer"] = "Acme IT, 1 Main St",
        });
        var providers = await PostAsync(admin, SettingsPage, SettingsPage + "?handler=Providers", new()
        {
            ["Providers.SmsProvider"] = "Twilio",
            ["Providers.EmailProvider"] = "Outbox",
            ["Providers.TwilioAccountSid"] = "AC" + new string('a', 32),
            ["Providers.TwilioAuthToken"] = "twilio-secret-token",
            ["Providers.TwilioFromNumber"] = "+1 415 555 0100",
            ["Providers.TwilioMessagingServiceSid"] = "",
            ["Providers.SmtpHost"] = "",
            ["Providers.SmtpPort"] = "587",
            ["Providers.SmtpSecurity"] = "StartTls",
        });

        Assert.Equal(HttpStatusCode.Redirect, policy.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, providers.StatusCode);
        var settings = await (await tenant.Api.GetAsync("/api/v1/settings/verification")).ReadAsync<VerificationSettingsView>();
        Assert.Equal((7, 30, 3, 20, true), (settings.LifetimeMinutes, settings.VerifiedWindowMinutes, settings.MaxAttempts, settings.HistoryLength, settings.RequireNoteForNonDefaultDestination));
        Assert.Equal((4, "Acme IT: text #verify to check a caller."), (settings.TechnicianLifetimeMinutes, settings.SmsHelpText));
        Assert.Equal("{{ msp_name }} code {{ code }}", settings.Templates.SmsCode);
        Assert.Null(settings.Templates.SmsLink);
        Assert.Equal(("https://msp.example/logo.png", "#aa3300", "Acme IT, 1 Main St"), (settings.Branding.LogoUrl, settings.Branding.PrimaryColor, settings.Branding.Footer));
        var delivery = await (await tenant.Api.GetAsync("/api/v1/settings/delivery")).ReadAsync<DeliverySettingsView>();
        Assert.Equal((MessageProvider.Twilio, true, "+14155550100"), (delivery.SmsProvider, delivery.TwilioAuthTokenSet, delivery.TwilioFromNumber));

        // The token is write-only: the page says it is set, never shows it, and a save with the field left empty keeps it.
        var page = await (await admin.GetAsync(SettingsPage)).Content.ReadAsStringAsync();
        Assert.Contains("set; leave empty to keep it", page, StringComparison.Ordinal);
        Assert.DoesNotContain("twilio-secret-token", page, StringComparison.Ordinal);
        var again = await PostAsync(admin, SettingsPage, SettingsPage + "?handler=Providers", new()
        {
            ["Providers.SmsProvider"] = "Twilio",
            ["Providers.EmailProvider"] = "Outbox",
            ["Providers.TwilioAccountSid"] = "AC" + new string('a', 32),
            ["Providers.TwilioAuthToken"] = "",
            ["Providers.TwilioFromNumber"] = "+14155550100",
            ["Providers.SmtpPort"] = "587",
        });
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.True((await (await tenant.Api.GetAsync("/api/v1/settings/delivery")).ReadAsync<DeliverySettingsView>()).TwilioAuthTokenSet);
    }

    [Fact]
    public async Task SettingsPage_TemplateWithoutCode_IsRefusedWithTheReason()
    {
        var tenant = await factory.CreateTenantAsync("Pages " + Guid.NewGuid().ToString("N")[..8]);
        var owner = await SignedInAsync(tenant.OwnerEmail);

        var refused = await PostAsync(owner, SettingsPage, SettingsPage + "?handler=Policy", new()
        {
            ["Input.LifetimeMinutes"] = "6",
            ["Input.Templates.SmsCode"] = "Hello {{ contact_first_name }}, call us back",
        });

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains("SMS code template: must show the code: include {{ code }}.", html, StringComparison.Ordinal);
        // The refused text stays in the box for the admin to fix.
        Assert.Contains(">Hello {{ contact_first_name }}, call us back</textarea>", html, StringComparison.Ordinal);
        var settings = await (await tenant.Api.GetAsync("/api/v1/settings/verification")).ReadAsync<VerificationSettingsView>();
        Assert.Equal(5, settings.LifetimeMinutes);
        Assert.Null(settings.Templates.SmsCode);
    }

    [Fact]
    public async Task SettingsPage_TestMessage_LandsInTheOutboxPage()
    {
        var tenant = await factory.CreateTenantAsync("Pages " + Guid.NewGuid().ToString("N")[..8]);
        var owner = await SignedInAsync(tenant.OwnerEmail);

        var sent = await PostAsync(owner, SettingsPage, SettingsPage + "?handler=Test", new() { ["Test.Channel"] = "Email", ["Test.To"] = "admin@msp.test" });
        var badAddress = await PostAsync(owner, SettingsPage, SettingsPage + "?handler=Test", new() { ["Test.Channel"] = "Sms", ["Test.To"] = "not a number" });

        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Contains("Send to: must be a valid phone number.", await badAddress.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var outbox = await (await owner.GetAsync("/outbox")).Content.ReadAsStringAsync();
        Assert.Contains("admin@msp.test", outbox, StringComparison.Ordinal);
        Assert.Contains("Your message settings work.", outbox, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutboxPage_ShowsTheSentMessageNewestFirst_UnderTheNotForProductionBanner()
    {
        var (tenant, contact) = await TenantWithContactAsync();
        var technician = await SignedInAsync(await MemberAsync(tenant, "technician"));
        var first = await StartAsync(tenant, contact, "sms_code", "+14155550199");
        factory.Clock.Advance(TimeSpan.FromSeconds(1)); // two sends in the same instant would have no order
        var second = await StartAsync(tenant, contact, "email_code", "ann.lee@contoso.com");
        var code = CodePattern().Match((await OutboxMessageAsync(tenant, second.Id)).Body).Value;
        await OutboxMessageAsync(tenant, first.Id);

        var response = await technician.GetAsync("/outbox");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Development outbox: not for production.", html, StringComparison.Ordinal);
        Assert.Contains("Nothing on this page was really sent.", html, StringComparison.Ordinal);
        var rows = RowPattern().Matches(html).Select(m => WebUtility.HtmlDecode(m.Value)).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Contains("ann.lee@contoso.com", rows[0], StringComparison.Ordinal);
        Assert.Contains("verification code</td>", rows[0], StringComparison.Ordinal);
        Assert.Contains(code, rows[0], StringComparison.Ordinal);
        Assert.Contains(">sent<", rows[0], StringComparison.Ordinal);
        Assert.Contains("+14155550199", rows[1], StringComparison.Ordinal);
        Assert.Contains(">SMS<", rows[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContactPage_NonDefaultDestinationWithPolicyOn_ShowsTheNoteRequirement_ThenSendsWithANote()
    {
        var (tenant, contact) = await TenantWithContactAsync();
        (await tenant.Api.PutJsonAsync("/api/v1/settings/verification", new { requireNoteForNonDefaultDestination = true })).EnsureSuccessStatusCode();
        var technician = await SignedInAsync(await MemberAsync(tenant, "technician"));
        var page = $"/contacts/{contact.Id}";
        var office = Uri.EscapeDataString("+442079460958");
        var company = await (await tenant.Api.PostJsonAsync("/api/v1/companies", new { name = "Contoso" })).ReadAsync<CompanyView>(HttpStatusCode.Created);
        (await tenant.Api.PostJsonAsync("/api/v1/tickets", new { companyId = company.Id, summary = "Reset MFA" })).EnsureSuccessStatusCode();

        var unknownTicket = await PostAsync(technician, page, $"{page}?handler=Send&channel=SmsCode&destination={office}", new() { ["Send.TicketReference"] = "T-42", ["Send.Note"] = "Manager approval" });
        var refused = await PostAsync(technician, page, $"{page}?handler=Send&channel=SmsCode&destination={office}", new() { ["Send.TicketReference"] = "T-1" });
        var sent = await PostAsync(technician, page, $"{page}?handler=Send&channel=SmsCode&destination={office}", new() { ["Send.TicketReference"] = "T-1", ["Send.Note"] = "Manager approval" });

        Assert.Contains("no ticket T-42", WebUtility.HtmlDecode(await unknownTicket.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var refusal = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains("Note: is required by your policy when the destination is not the contact's default", refusal, StringComparison.Ordinal);
        Assert.Contains("value=\"T-1\"", refusal, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var after = WebUtility.HtmlDecode(await (await technician.GetAsync(page)).Content.ReadAsStringAsync());
        Assert.Contains("Sent SMS code to •••0958", after, StringComparison.Ordinal);
        Assert.Contains("data-shield=\"pending\"", after, StringComparison.Ordinal);
        Assert.Contains("Manager approval", after, StringComparison.Ordinal);
        var history = await (await tenant.Api.GetAsync($"/api/v1/contacts/{contact.Id}/verifications")).ReadAsync<ContactVerificationsView>();
        Assert.Equal(("1", "Manager approval"), (history.History.Single().TicketReference, history.History.Single().Note));
    }

    [Fact]
    public async Task ContactPage_WrongCodeThenRightCode_CountsDownAndTurnsGreen()
    {
        var (tenant, contact) = await TenantWithContactAsync();
        var owner = await SignedInAsync(tenant.OwnerEmail);
        var page = $"/contacts/{contact.Id}";
        (await PostAsync(owner, page, $"{page}?handler=Send&channel=EmailCode&destination={Uri.EscapeDataString("ann.lee@contoso.com")}", [])).EnsureRedirect();
        var pending = (await (await tenant.Api.GetAsync($"/api/v1/contacts/{contact.Id}/verifications")).ReadAsync<ContactVerificationsView>()).History.Single();
        var code = CodePattern().Match((await OutboxMessageAsync(tenant, pending.Id)).Body).Value;

        var wrong = await PostAsync(owner, page, $"{page}?handler=Code&verificationId={pending.Id}", new() { ["code"] = code == "000000" ? "111111" : "000000" });
        var right = await PostAsync(owner, page, $"{page}?handler=Code&verificationId={pending.Id}", new() { ["code"] = code });

        Assert.Contains("Wrong code, 4 attempts remain.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        right.EnsureRedirect();
        var after = await (await owner.GetAsync(page)).Content.ReadAsStringAsync();
        Assert.Contains("data-shield=\"verified\"", after, StringComparison.Ordinal);
        Assert.Matches(@"until <time[^>]*>\d\d:\d\d UTC</time> by Owner [^<]+ via e-mail code", after);
    }

    [Fact]
    public async Task ContactPage_SendsOverTheDestinationLimit_Answers429WithTheReason()
    {
        var (tenant, contact) = await TenantWithContactAsync();
        var owner = await SignedInAsync(tenant.OwnerEmail);
        var page = $"/contacts/{contact.Id}";
        var send = $"{page}?handler=Send&channel=SmsLink&destination={Uri.EscapeDataString("+14155550199")}";

        for (var i = 0; i < Vouch.SendsPerDestination; i++)
        {
            (await PostAsync(owner, page, send, [])).EnsureRedirect();
        }

        var limited = await PostAsync(owner, page, send, []);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Matches(@"Too many verifications sent to this destination\. Try again in \d+ seconds\.", await limited.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ContactPage_Cancel_StopsThePendingVerification()
    {
        var (tenant, contact) = await TenantWithContactAsync();
        var technician = await SignedInAsync(await MemberAsync(tenant, "technician"));
        var started = await StartAsync(tenant, contact, "sms_code", "+14155550199");
        var page = $"/contacts/{contact.Id}";

        (await PostAsync(technician, page, $"{page}?handler=Cancel&verificationId={started.Id}", [])).EnsureRedirect();

        var view = await (await tenant.Api.GetAsync($"/api/v1/verifications/{started.Id}")).ReadAsync<VerificationView>();
        Assert.Equal(VerificationStatus.Cancelled, view.Status);
        Assert.Contains("Verification cancelled", await (await technician.GetAsync(page)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<HttpClient> SignedInAsync(string email)
    {
        var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        (await browser.SignInAsync(email, Password)).EnsureRedirect();
        return browser;
    }

    private static async Task<string> MemberAsync(TestTenant tenant, string role)
    {
        var email = $"{role}-{Guid.NewGuid():N}@msp.test";
        var created = await tenant.Api.PostJsonAsync("/api/v1/members", new { email, displayName = "Member " + role, password = Password, role });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return email;
    }

    /// <summary>Posts a form of <paramref name="page"/> to one of its handlers, with the antiforgery token the page carries.</summary>
    private static async Task<HttpResponseMessage> PostAsync(HttpClient browser, string page, string action, Dictionary<string, string> fields)
    {
        var html = await (await browser.GetAsync(page)).Content.ReadAsStringAsync();
        var token = AntiforgeryToken().Match(html);
        Assert.True(token.Success, $"no antiforgery token on {page}");
        fields["__RequestVerificationToken"] = token.Groups[1].Value;
        return await browser.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    private Task<(TestTenant, ContactView)> TenantWithContactAsync() => factory.TenantWithContactAsync("Pages");

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("<tr class=\"outbox-message\">.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex RowPattern();

    /// <summary>Vouch with a small per-destination send limit (so the 429 is reachable) and no sign-in limit in the way.</summary>
    public sealed class Vouch() : VouchFactory(TestDatabase.Sqlite, new Dictionary<string, string>
    {
        ["Vouch:SignInAttemptsPerMinute"] = "1000",
        ["Vouch:RateLimits:SendsPerDestinationPerHour"] = SendsPerDestination.ToString(System.Globalization.CultureInfo.InvariantCulture),
    })
    {
        public const int SendsPerDestination = 3;
    }
}

internal static class Redirects
{
    public static void EnsureRedirect(this HttpResponseMessage response) =>
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"expected a redirect but got {(int)response.StatusCode}");
}
