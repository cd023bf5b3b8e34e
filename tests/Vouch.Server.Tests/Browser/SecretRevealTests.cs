using System.Net;
using Microsoft.Playwright;
using Vouch.Core.Features.SecureSend;
using Vouch.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Vouch.Server.Tests.Browser;

/// <summary>A contact opens a secret link in a real Chromium: nothing is fetched before Reveal, the browser decrypts, the link then dies.</summary>
public sealed class SecretRevealTests
{
    [Fact]
    public async Task Technician_SendsASecretBySms_FromTheContactPage_RecipientRevealsTheSameText()
    {
        await using var desk = await SignedInDesk.OpenAsync();
        const string secret = "Temporary password: Winter-Lantern-42!";

        var page = desk.Page;
        await page.GotoAsync($"/contacts/{desk.ContactId}");
        var form = page.Locator("#secret-form");
        await form.GetByLabel("Secret", new() { Exact = true }).FillAsync(secret);
        await form.GetByLabel("Deliver").SelectOptionAsync(new SelectOptionValue { Label = "SMS to +1 415-555-0199" });
        await form.GetByRole(AriaRole.Button, new() { Name = "Encrypt and send" }).ClickAsync();

        await Expect(page.Locator("#secret-result")).ToContainTextAsync("Sent to •••0199");
        await Expect(form.GetByLabel("Secret", new() { Exact = true })).ToHaveValueAsync("");

        // The text message carries the link with its key; Vouch's own rows never held the secret.
        var outbox = await desk.Context.NewPageAsync();
        await outbox.GotoAsync("/outbox");
        var body = outbox.Locator("tr.outbox-message").First.Locator(".message-body");
        await Expect(body).ToContainTextAsync("/s/");
        var link = System.Text.RegularExpressions.Regex.Match(await body.InnerTextAsync(), @"https?://\S+/s/[A-Za-z0-9_-]+#[A-Za-z0-9_-]{43}").Value;
        Assert.NotEmpty(link);
        Assert.DoesNotContain("Winter-Lantern", await body.InnerTextAsync(), StringComparison.Ordinal);
        Assert.False(await desk.Server.AnyStoredRowContainsAsync("Winter-Lantern"));

        await using var recipient = await desk.Browser.NewContextAsync(desk.BaseUrl);
        var reveal = await recipient.NewPageAsync();
        await reveal.GotoAsync(link);
        await reveal.GetByRole(AriaRole.Button, new() { Name = "Reveal" }).ClickAsync();
        await Expect(reveal.Locator("#secret-text")).ToHaveTextAsync(secret);
        Assert.Empty(desk.Context.CspRefusals());
        Assert.Empty(recipient.CspRefusals());
    }

    [Fact]
    public async Task Technician_SendsTextAndFiles_WithAPassphrase_BySms_RecipientDownloadsTheSameBytes()
    {
        await using var desk = await SignedInDesk.OpenAsync();
        var report = new byte[1_500_000]; // two chunks in the browser's format
        new Random(42).NextBytes(report);
        var notes = System.Text.Encoding.UTF8.GetBytes("Router admin: Ledger-Pelican-77\n");
        var folder = System.IO.Directory.CreateTempSubdirectory("vouch-upload-");
        await File.WriteAllBytesAsync(Path.Combine(folder.FullName, "report.bin"), report);
        await File.WriteAllBytesAsync(Path.Combine(folder.FullName, "router notes.txt"), notes);

        var page = desk.Page;
        await page.GotoAsync($"/contacts/{desk.ContactId}");
        var form = page.Locator("#secret-form");
        await form.GetByLabel("Secret", new() { Exact = true }).FillAsync("Both files are for the new router.");
        await form.Locator("#secret-files").SetInputFilesAsync([Path.Combine(folder.FullName, "report.bin"), Path.Combine(folder.FullName, "router notes.txt")]);
        await Expect(form.GetByLabel("Link works for")).ToHaveValueAsync("1440"); // files have their own default lifetime
        await form.GetByLabel("Passphrase").FillAsync("blue heron");
        await form.GetByLabel("Deliver").SelectOptionAsync(new SelectOptionValue { Label = "SMS to +1 415-555-0199" });
        await form.GetByRole(AriaRole.Button, new() { Name = "Encrypt and send" }).ClickAsync();
        await Expect(page.Locator("#secret-result")).ToContainTextAsync("Sent to •••0199", new() { Timeout = 15000 });

        // The store holds two ciphertexts; neither they nor any row hold the content or the names.
        var stored = desk.Server.StoredFiles();
        Assert.Equal(2, stored.Count);
        Assert.All(stored, bytes => Assert.DoesNotContain("Ledger-Pelican", System.Text.Encoding.Latin1.GetString(bytes), StringComparison.Ordinal));
        Assert.DoesNotContain(stored, bytes => bytes.AsSpan().IndexOf(report.AsSpan(0, 64)) >= 0);
        Assert.False(await desk.Server.AnyStoredRowContainsAsync("router notes"));
        Assert.False(await desk.Server.AnyStoredRowContainsAsync("new router"));

        var outbox = await desk.Context.NewPageAsync();
        await outbox.GotoAsync("/outbox");
        var body = outbox.Locator("tr.outbox-message").First.Locator(".message-body");
        var link = System.Text.RegularExpressions.Regex.Match(await body.InnerTextAsync(), @"https?://\S+/s/[A-Za-z0-9_-]+#[A-Za-z0-9_-]{43}").Value;
        Assert.NotEmpty(link);

        await using var recipient = await desk.Browser.NewContextAsync(new() { BaseURL = desk.BaseUrl, AcceptDownloads = true });
        var reveal = await recipient.NewPageAsync();
        await reveal.GotoAsync(link);
        await Expect(reveal.Locator("#secret-closed")).ToContainTextAsync("It comes with 2 files");
        await reveal.GetByRole(AriaRole.Button, new() { Name = "Reveal" }).ClickAsync();
        await reveal.GetByLabel("Passphrase").FillAsync("blue heron");
        await reveal.GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
        await Expect(reveal.Locator("#secret-text")).ToHaveTextAsync("Both files are for the new router.", new() { Timeout = 15000 });
        foreach (var (name, expected) in new[] { ("report.bin", report), ("router notes.txt", notes) })
        {
            var download = await reveal.RunAndWaitForDownloadAsync(() => reveal.GetByRole(AriaRole.Link, new() { Name = "Download " + name }).ClickAsync());
            Assert.Equal(name, download.SuggestedFilename);
            Assert.Equal(expected, await File.ReadAllBytesAsync(await download.PathAsync()));
        }

        folder.Delete(recursive: true);
    }

    [Fact]
    public async Task CopiedLink_WithAPassphrase_OpensOnlyWithTheRightOne()
    {
        await using var desk = await SignedInDesk.OpenAsync();
        var page = desk.Page;
        await page.GotoAsync($"/contacts/{desk.ContactId}");
        var form = page.Locator("#secret-form");
        await form.GetByLabel("Secret", new() { Exact = true }).FillAsync("BitLocker recovery key 123456-654321");
        await form.GetByLabel("Passphrase").FillAsync("blue heron");
        await form.GetByRole(AriaRole.Button, new() { Name = "Encrypt and send" }).ClickAsync();
        var link = page.GetByLabel("Secret link");
        await Expect(link).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("/s/[A-Za-z0-9_-]+#[A-Za-z0-9_-]{43}$"));
        Assert.False(await desk.Server.AnyStoredRowContainsAsync("heron"));

        await using var recipient = await desk.Browser.NewContextAsync(desk.BaseUrl);
        var reveal = await recipient.NewPageAsync();
        await reveal.GotoAsync(await link.InputValueAsync());
        await reveal.GetByRole(AriaRole.Button, new() { Name = "Reveal" }).ClickAsync();
        await reveal.GetByLabel("Passphrase").FillAsync("grey heron");
        await reveal.GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
        await Expect(reveal.GetByRole(AriaRole.Alert)).ToContainTextAsync("does not open the message", new() { Timeout = 15000 });
        await reveal.GetByLabel("Passphrase").FillAsync("blue heron");
        await reveal.GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
        await Expect(reveal.Locator("#secret-text")).ToHaveTextAsync("BitLocker recovery key 123456-654321", new() { Timeout = 15000 });
    }

    [Fact]
    public async Task Recipient_PressesReveal_ReadsTheSecret_AndTheLinkIsThenGone()
    {
        await using var server = new KestrelVouch();
        var baseUrl = server.Start();
        await server.TechnicianWithContactAsync(baseUrl);
        using var api = server.OwnerApi(baseUrl);
        const string secret = "VPN password: Tr0ub4dor&3 <not html>";
        var created = await (await api.PostJsonAsync("/api/v1/secrets", new { text = secret })).ReadAsync<CreatedSecret>(HttpStatusCode.Created);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(LocalChromium.Options);
        await using var recipient = await browser.NewContextAsync();
        var page = await recipient.NewPageAsync();
        var posts = 0;
        page.Request += (_, request) => posts += request.Method == "POST" ? 1 : 0;
        await page.GotoAsync(created.Link);

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Acme IT sent you a secure message" })).ToBeVisibleAsync();
        Assert.DoesNotContain("#", page.Url, StringComparison.Ordinal); // the key leaves the address bar
        Assert.Equal(0, posts);
        var before = await (await api.GetAsync($"/api/v1/secrets/{created.Secret.Id}")).ReadAsync<SecretView>();
        Assert.Equal((SecretState.Active, 0), (before.State, before.Reveals));

        await page.GetByRole(AriaRole.Button, new() { Name = "Reveal" }).ClickAsync();

        await Expect(page.Locator("#secret-text")).ToHaveTextAsync(secret);
        var after = await (await api.GetAsync($"/api/v1/secrets/{created.Secret.Id}")).ReadAsync<SecretView>();
        Assert.Equal(SecretState.Consumed, after.State);

        var second = await recipient.NewPageAsync();
        await second.GotoAsync(created.Link);
        await Expect(second.GetByRole(AriaRole.Heading, new() { Name = "This message was already viewed or has expired" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = "/tmp/vouch-secret.png", FullPage = true });
    }
}
