using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Vouch.Server.Hosting;
using static Microsoft.Playwright.Assertions;

namespace Vouch.Server.Tests.Browser;

/// <summary>A new user's first minutes, in a real Chromium against the real server on Kestrel.</summary>
public sealed class NewUserJourneyTests
{
    [Fact]
    public async Task NewUser_SetsUpTenantAndFindsContactByPhone_Succeeds()
    {
        await using var server = new KestrelVouch();
        var baseUrl = server.Start();
        var setupToken = server.Services.GetRequiredService<SetupToken>().Current;
        Assert.NotNull(setupToken);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(LocalChromium.Options);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
        });
        var page = await context.NewPageAsync();

        // A fresh install sends everyone to first-run setup.
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/setup$"));

        await page.GetByLabel("Setup token").FillAsync("not-the-token");
        await page.GetByLabel("MSP name").FillAsync("Acme IT");
        await page.GetByLabel("Your name").FillAsync("Olga Owner");
        await page.GetByLabel("Your e-mail").FillAsync("olga@acme.test");
        await page.GetByLabel("Password").FillAsync(KestrelVouch.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create MSP and sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("does not match");

        await page.GetByLabel("Setup token").FillAsync(setupToken);
        await page.GetByLabel("Password").FillAsync(KestrelVouch.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create MSP and sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Welcome, Olga Owner");
        Assert.False(server.Services.GetRequiredService<SetupToken>().IsActive);

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Companies", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "New company" }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Contoso");
        await page.GetByLabel("Main phone").FillAsync("+1 415-555-0100");
        await page.GetByLabel("E-mail domains").FillAsync("contoso.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create company" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Contoso");

        await page.GetByRole(AriaRole.Link, new() { Name = "New contact here" }).ClickAsync();
        await page.GetByLabel("First name").FillAsync("Pat");
        await page.GetByLabel("Last name").FillAsync("Example");
        await page.GetByLabel("Title", new() { Exact = true }).FillAsync("Office manager");
        await Expect(page.GetByLabel("Company")).ToHaveValueAsync(new Regex("^[0-9a-f-]{36}$"));
        await page.GetByLabel("Phone number 1").FillAsync("+1 415-555-0199");
        await page.Locator("#Input_Phones_0__Type").SelectOptionAsync("Mobile");
        await page.GetByLabel("Default phone 1").CheckAsync();
        await page.GetByLabel("E-mail address 1").FillAsync("pat@contoso.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create contact" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Pat Example");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Contoso", Exact = true })).ToBeVisibleAsync();

        // The number was typed in one format and is searched for in another.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Contacts", Exact = true }).ClickAsync();
        await page.GetByLabel("Search by name, title, e-mail or phone number").FillAsync("(415) 555-0199");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/contacts\?q="));
        var rows = page.Locator("table tbody tr");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First.GetByRole(AriaRole.Link, new() { Name = "Pat Example" })).ToBeVisibleAsync();
        await Expect(rows.First).ToContainTextAsync("Contoso");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = "/tmp/vouch-contacts.png", FullPage = true });

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/login$"));
        await page.GotoAsync("/contacts");
        await Expect(page).ToHaveURLAsync(new Regex("/login"));

        await page.GetByLabel("E-mail").FillAsync("olga@acme.test");
        await page.GetByLabel("Password").FillAsync(KestrelVouch.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/contacts$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Contacts");
    }
}

/// <summary>The system's Chromium, kept off every network but loopback.</summary>
internal static class LocalChromium
{
    // Every browser test launches through here first. The suite runs its test projects, PostgreSQL and Chromium together
    // on two cores, where a click's round trip to the server can take longer than Playwright's default 5 s to show.
    static LocalChromium() => Assertions.SetDefaultExpectTimeout(15_000);

    public static BrowserTypeLaunchOptions Options => new()
    {
        ExecutablePath = "/usr/bin/chromium",
        Headless = true,
        Args =
        [
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        ],
    };
}
