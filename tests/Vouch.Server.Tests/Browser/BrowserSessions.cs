using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Vouch.Server.Tests.Browser;

/// <summary>Browser contexts at the size of a laptop screen, and a member signed in through the login page.</summary>
internal static class BrowserSessions
{
    public static Task<IBrowserContext> NewContextAsync(this IBrowser browser, string baseUrl) =>
        browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, ViewportSize = new ViewportSize { Width = 1366, Height = 768 } });

    public static async Task<IPage> SignedInAsync(this IBrowserContext context, string email)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(KestrelVouch.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        return page;
    }
}
