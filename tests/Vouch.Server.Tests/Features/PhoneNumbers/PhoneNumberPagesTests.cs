using System.Net;
using Vouch.Core.Features.Delivery;
using Vouch.Core.Features.PhoneNumbers;
using Vouch.Server.Tests.Features.Tickets;
using Vouch.Server.Tests.Infrastructure;
using Vouch.Testing.StandIns;
using static Vouch.Server.Tests.Infrastructure.Texting;

namespace Vouch.Server.Tests.Features.PhoneNumbers;

/// <summary>The phone-number pages through real requests: cookies, antiforgery, roles, and the use cases' refusals on screen.</summary>
public sealed class PhoneNumberPagesTests(PhoneNumberPagesTests.Vouch factory) : IClassFixture<PhoneNumberPagesTests.Vouch>
{
    private const string Page = "/settings/phone-numbers";

    [Fact]
    public async Task Admin_AddsATwilioNumber_SeesItsWebhook_ChangesIt_ThenRemovesItAfterConfirming()
    {
        var tenant = await factory.CreateTenantAsync("Number pages " + Guid.NewGuid().ToString("N")[..8]);
        var admin = await factory.SignedInAsync(await tenant.AddMemberAsync("admin"));
        var number = NewNumber();

        var refused = await admin.SubmitAsync(Page + "?handler=Add", new()
        {
            ["Input.Number"] = "12", ["Input.Provider"] = "Twilio", ["Input.TwilioAccountSid"] = "AC1", ["Input.TwilioAuthToken"] = "",
        });
        var added = await admin.SubmitAsync(Page + "?handler=Add", new()
        {
            ["Input.Number"] = number, ["Input.Label"] = "Help desk", ["Input.Purpose"] = "Verification", ["Input.Provider"] = "Twilio",
            ["Input.TwilioAccountSid"] = TwilioStandIn.AccountSid, ["Input.TwilioAuthToken"] = "page-token-3c9d",
        });

        var refusedHtml = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Number: is not a valid number", refusedHtml, StringComparison.Ordinal);
        Assert.Contains("Twilio account sid: must be AC followed by 32 hexadecimal characters", refusedHtml, StringComparison.Ordinal);
        Assert.Contains("Twilio auth token: is required for twilio numbers", refusedHtml, StringComparison.Ordinal);
        added.EnsureRedirectTo(Page);
        var html = WebUtility.HtmlDecode(await (await admin.GetAsync(Page)).Content.ReadAsStringAsync());
        Assert.Contains("In Twilio, point its incoming messages at http://localhost/webhooks/twilio/sms", html, StringComparison.Ordinal);
        Assert.Contains("<code>http://localhost/webhooks/twilio/sms</code>", html, StringComparison.Ordinal);
        Assert.Contains("Help desk", html, StringComparison.Ordinal);
        Assert.DoesNotContain("page-token-3c9d", html, StringComparison.Ordinal);
        var saved = (await (await tenant.Api.GetAsync("/api/v1/phone-numbers")).ReadAsync<List<PhoneNumberView>>()).Single();
        Assert.Equal((number, MessageProvider.Twilio, TwilioStandIn.AccountSid, true), (saved.Number, saved.Provider, saved.TwilioAccountSid, saved.HasTwilioAuthToken));

        // A blank token field keeps the stored token; the form never shows it.
        var editPage = $"{Page}/{saved.Id}";
        var editHtml = await (await admin.GetAsync(editPage)).Content.ReadAsStringAsync();
        (await admin.SubmitAsync(editPage, new()
        {
            ["Input.Label"] = "Verification line", ["Input.Provider"] = "Twilio", ["Input.TwilioAccountSid"] = TwilioStandIn.AccountSid, ["Input.TwilioAuthToken"] = "",
        })).EnsureRedirectTo(Page);
        Assert.Contains("set; leave empty to keep it", editHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("page-token-3c9d", editHtml, StringComparison.Ordinal);
        var edited = await (await tenant.Api.GetAsync($"/api/v1/phone-numbers/{saved.Id}")).ReadAsync<PhoneNumberView>();
        Assert.Equal(("Verification line", true), (edited.Label, edited.HasTwilioAuthToken));

        // Removing asks first: the GET only shows the question.
        var question = await (await admin.GetAsync($"{Page}/{saved.Id}/delete")).Content.ReadAsStringAsync();
        Assert.Contains("Remove number", question, StringComparison.Ordinal);
        Assert.Single(await (await tenant.Api.GetAsync("/api/v1/phone-numbers")).ReadAsync<List<PhoneNumberView>>());
        (await admin.SubmitAsync($"{Page}/{saved.Id}/delete", [])).EnsureRedirectTo(Page);
        Assert.Empty(await (await tenant.Api.GetAsync("/api/v1/phone-numbers")).ReadAsync<List<PhoneNumberView>>());
        Assert.Contains("removed.", await (await admin.GetAsync(Page)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Technician_SeesTheNumbersReadOnly_AndIsForbiddenToChangeThem()
    {
        var tenant = await factory.CreateTenantAsync("Number pages " + Guid.NewGuid().ToString("N")[..8]);
        var number = await (await tenant.Api.PostJsonAsync("/api/v1/phone-numbers", new { number = NewNumber(), provider = "outbox", label = "Front desk" }))
            .ReadAsync<PhoneNumberView>(HttpStatusCode.Created);
        var technician = await factory.SignedInAsync(await tenant.AddMemberAsync("technician"));

        var list = await (await technician.GetAsync(Page)).Content.ReadAsStringAsync();
        // A technician holds a valid antiforgery token from the list page; the use case must still refuse the post.
        var add = await technician.SubmitAsync(Page + "?handler=Add", new() { ["Input.Number"] = NewNumber(), ["Input.Provider"] = "Outbox" });
        var edit = await technician.GetAsync($"{Page}/{number.Id}");
        var remove = await technician.PostWithTokenFromAsync(Page, $"{Page}/{number.Id}/delete", []);

        Assert.Contains("Front desk", list, StringComparison.Ordinal);
        Assert.Contains("Only Owners and Admins can add, change or remove numbers.", list, StringComparison.Ordinal);
        Assert.DoesNotContain("Add number", list, StringComparison.Ordinal);
        Assert.Contains("href=\"/settings/phone-numbers\"", list, StringComparison.Ordinal);
        foreach (var forbidden in new[] { add, edit, remove })
        {
            Assert.Equal(HttpStatusCode.Redirect, forbidden.StatusCode);
            Assert.StartsWith("/forbidden", forbidden.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
        }

        Assert.Equal([number], await (await tenant.Api.GetAsync("/api/v1/phone-numbers")).ReadAsync<List<PhoneNumberView>>());
    }

    /// <summary>Vouch on SQLite with no sign-in limit in the way of several members signing in.</summary>
    public sealed class Vouch() : VouchFactory(TestDatabase.Sqlite, new Dictionary<string, string> { ["Vouch:SignInAttemptsPerMinute"] = "1000" });
}
