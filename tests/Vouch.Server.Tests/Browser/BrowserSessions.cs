using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Vouch.Server.Tests.Browser;

/// <summary>Browser contexts at the size of a laptop screen, and a member signed in through the login page.</summary>
internal static class BrowserSessions
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IBrowserContext, System.Collections.Concurrent.ConcurrentQueue<string>> Refusals = [];

    /// <summary>A context whose pages' Content-Security-Policy refusals are kept for <see cref="CspRefusals"/>.</summary>
    public static async Task<IBrowserContext> NewContextAsync(this IBrowser browser, string baseUrl)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, ViewportSize = new ViewportSize { Width = 1366, Height = 768 } });
        var refusals = Refusals.GetOrCreateValue(context);
        context.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                refusals.Enqueue($"{message.Location}: {message.Text}");
            }
        };
        return context;
    }

    /// <summary>What the browser refused to load or run under the pages' Content-Security-Policy, so far.</summary>
    public static IReadOnlyCollection<string> CspRefusals(this IBrowserContext context) => [.. Refusals.GetOrCreateValue(context)];

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
