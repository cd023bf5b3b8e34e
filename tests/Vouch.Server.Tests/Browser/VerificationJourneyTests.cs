using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Vouch.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Vouch.Server.Tests.Browser;

/// <summary>A technician verifies a caller from the contact's page, in a real Chromium against the real server on Kestrel.</summary>
public sealed partial class VerificationJourneyTests
{
    
    [Fact]
    public async Task EmailLink_ContactPressesValidate_ShieldTurnsGreenWithoutReload()
    {
        await using var desk = await SignedInDesk.OpenAsync();
        var page = desk.Page;
        await page.GotoAsync($"/contacts/{desk.ContactId}");
        var shield = page.Locator("#shield");
        await Expect(shield).ToHaveAttributeAsync("data-shield", "none");
        await Expect(shield).ToContainTextAsync("Not verified");

        await page.GetByRole(AriaRole.Button, new() { Name = "Send link (e-mail)", Exact = true }).ClickAsync();
        await Expect(page.GetByText("Sent e-mail link to p••@contoso.com")).ToBeVisibleAsync();
        await Expect(shield).ToHaveAttributeAsync("data-shield", "pending");
        await Expect(shield).ToContainTextAsync("Pending");
        await Expect(page.Locator(".pending")).ToContainTextAsync("e-mail link to p••@contoso.com");
        // From here on the technician's page must change by itself: a marker on the window survives only if it never reloads.
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-live", "connected");
        await page.EvaluateAsync("() => { window.notReloaded = true; }");

        // The technician reads the link from the outbox in another tab (a new install has no real e-mail provider).
        var outbox = await desk.Context.NewPageAsync();
        await outbox.GotoAsync("/outbox");
        await Expect(outbox.GetByText("Development outbox: not for production.")).ToBeVisibleAsync();
        var body = outbox.Locator("tr.outbox-message").First.Locator(".message-body");
        await Expect(body).ToContainTextAsync("/v/");
        var link = Verifications.LinkPattern().Match(await body.InnerTextAsync()).Value;

        // The caller opens it in their own browser, without the technician's cookies.
        await using var caller = await desk.Browser.NewContextAsync(desk.BaseUrl);
        var linkPage = await caller.NewPageAsync();
        await linkPage.GotoAsync(link);
        await Expect(linkPage.GetByRole(AriaRole.Heading, new() { Name = "Confirm it is you" })).ToBeVisibleAsync();
        await linkPage.GetByRole(AriaRole.Button, new() { Name = "Validate" }).ClickAsync();
        await Expect(linkPage.GetByRole(AriaRole.Status)).ToHaveTextAsync("Thank you: you are verified");

        await Expect(shield).ToHaveAttributeAsync("data-shield", "verified");
        await Expect(shield.Locator(".shield-label")).ToHaveTextAsync("Verified");
        await Expect(shield.Locator(".shield-detail")).ToHaveTextAsync(new Regex(@"^until \d\d:\d\d UTC by the contact via e-mail link$"));
        await Expect(page.Locator(".pending .pending-status")).ToHaveTextAsync("verified");
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"));
        Assert.Empty(desk.Context.CspRefusals()); // the live shield's WebSocket, the pages' scripts and the link page's style
        Assert.Empty(caller.CspRefusals());
        Assert.Equal("rgb(255, 255, 255)", await linkPage.Locator("main").EvaluateAsync<string>("m => getComputedStyle(m).backgroundColor"));

        // A reload tells the same story from the desk.Server.
        await page.ReloadAsync();
        await Expect(shield).ToHaveAttributeAsync("data-shield", "verified");
        await Expect(shield.Locator(".shield-detail")).ToHaveTextAsync(new Regex(@"until \d\d:\d\d UTC by the contact via e-mail link"));
        await page.Locator("details.history summary").ClickAsync();
        await Expect(page.Locator("details.history tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("details.history tbody tr").First).ToContainTextAsync("verified");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = "/tmp/vouch-verified.png", FullPage = true });
    }

    [Fact]
    public async Task SmsCode_WrongThenRightCode_CountsDownThenVerifies()
    {
        await using var desk = await SignedInDesk.OpenAsync();
        var page = desk.Page;
        await page.GotoAsync($"/contacts/{desk.ContactId}");

        await page.GetByLabel("Ticket reference").FillAsync("T-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send code (SMS)", Exact = true }).ClickAsync();
        await Expect(page.GetByText("Sent SMS code to •••0199")).ToBeVisibleAsync();
        await Expect(page.Locator("#shield")).ToHaveAttributeAsync("data-shield", "pending");

        var outbox = await desk.Context.NewPageAsync();
        await outbox.GotoAsync("/outbox");
        var body = outbox.Locator("tr.outbox-message").First.Locator(".message-body");
        await Expect(body).ToContainTextAsync(new Regex(@"\d{6}"));
        var code = Verifications.CodePattern().Match(await body.InnerTextAsync()).Value;

        var codeBox = page.GetByLabel("Code read out by the caller");
        await codeBox.FillAsync(code == "000000" ? "111111" : "000000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check code" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Wrong code, 4 attempts remain.");
        await Expect(page.Locator("#shield")).ToHaveAttributeAsync("data-shield", "pending");

        await codeBox.FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Check code" }).ClickAsync();
        await Expect(page.Locator("#shield")).ToHaveAttributeAsync("data-shield", "verified");
        await Expect(page.Locator("#shield .shield-detail")).ToHaveTextAsync(new Regex(@"until \d\d:\d\d UTC by Tess Tech via SMS code"));
        await page.Locator("details.history summary").ClickAsync();
        await Expect(page.Locator("details.history tbody tr").First).ToContainTextAsync("#1");
    }

    [Fact]
    public async Task CallerCheck_AppearsLiveOnTheConsole_TechnicianClaimsIt_AndTheTicketGetsTheConfirmation()
    {
        await using var server = new KestrelVouch();
        var baseUrl = server.Start();
        var (technician, _) = await server.TechnicianWithContactAsync(baseUrl);
        using var api = server.OwnerApi(baseUrl);
        const string number = "+16505550142";
        (await api.PostJsonAsync("/api/v1/phone-numbers", new { number, purpose = "verification", provider = "outbox" })).EnsureSuccessStatusCode();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(LocalChromium.Options);
        await using var desk = await browser.NewContextAsync(baseUrl);
        var page = await desk.SignedInAsync(technician);
        await page.GetByRole(AriaRole.Link, new() { Name = "Caller checks" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Caller checks", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByText("No open requests.")).ToBeVisibleAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-live", "connected");
        await page.EvaluateAsync("() => { window.notReloaded = true; }");

        // Pat, called by someone claiming to be from Acme IT, texts #verify to Acme's number.
        (await api.PostJsonAsync("/api/v1/outbox/inbound", new { from = "+14155550199", to = number, body = "#verify" })).EnsureSuccessStatusCode();

        var request = page.Locator("tr.tv-request");
        await Expect(request).ToHaveCountAsync(1);
        await Expect(request).ToContainTextAsync("Pat Example");
        await Expect(request.Locator(".tv-code")).ToHaveTextAsync(new Regex(@"^\d{6}$"));
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"));
        var code = await request.Locator(".tv-code").InnerTextAsync();

        await request.GetByLabel("Ticket number (empty: a new ticket)").FillAsync("1");
        await request.GetByRole(AriaRole.Button, new() { Name = "Claim" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("You claimed the request of Pat Example; it is on ticket 1");
        await Expect(page.Locator("tr.tv-request .tv-code")).ToHaveTextAsync(code);
        await Expect(page.Locator("tr.tv-request")).ToContainTextAsync("yours");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-live", "connected");
        await page.EvaluateAsync("() => { window.notReloaded = true; }");

        // The technician reads the code out; Pat texts #confirm.
        (await api.PostJsonAsync("/api/v1/outbox/inbound", new { from = "+14155550199", to = number, body = "#confirm" })).EnsureSuccessStatusCode();

        await Expect(page.Locator("tr.tv-request")).ToHaveCountAsync(0);
        await Expect(page.Locator("tr.tv-ended").First).ToContainTextAsync("confirmed");
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"));

        await page.GotoAsync("/tickets?state=");
        await page.GetByRole(AriaRole.Link, new() { Name = "Password reset" }).ClickAsync();
        await Expect(page.GetByText(new Regex("Technician verification CONFIRMED: Pat Example texted #confirm from \\+14155550199"))).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = "/tmp/vouch-caller-check.png", FullPage = true });
    }
}
