using Microsoft.Playwright;

namespace Vouch.Server.Tests.Browser;

/// <summary>
/// What most browser tests start from: a fresh server on Kestrel with a technician and a contact, Chromium, and the
/// technician signed in on <see cref="Page"/>. Other people (a recipient, a caller) get their own contexts from
/// <see cref="Browser"/>.
/// </summary>
internal sealed class SignedInDesk : IAsyncDisposable
{
    private readonly IPlaywright _playwright;

    private SignedInDesk(KestrelVouch server, string baseUrl, Guid contactId, IPlaywright playwright, IBrowser browser, IBrowserContext context, IPage page)
    {
        Server = server;
        BaseUrl = baseUrl;
        ContactId = contactId;
        _playwright = playwright;
        Browser = browser;
        Context = context;
        Page = page;
    }

    public KestrelVouch Server { get; }

    public string BaseUrl { get; }

    /// <summary>The contact <see cref="KestrelVouch.TechnicianWithContactAsync"/> made: one mobile number, one e-mail address.</summary>
    public Guid ContactId { get; }

    public IBrowser Browser { get; }

    /// <summary>The technician's browser context (more pages of the help desk open in it).</summary>
    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public static async Task<SignedInDesk> OpenAsync()
    {
        var server = new KestrelVouch();
        var baseUrl = server.Start();
        var (technician, contactId) = await server.TechnicianWithContactAsync(baseUrl);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(LocalChromium.Options);
        var context = await browser.NewContextAsync(baseUrl);
        return new SignedInDesk(server, baseUrl, contactId, playwright, browser, context, await context.SignedInAsync(technician));
    }

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await Server.DisposeAsync();
    }
}
