using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Vouch.Core.Features.Directory;
using Vouch.Core.Features.Tickets;
using Vouch.Server.Tests.Infrastructure;

namespace Vouch.Server.Tests.Features.Tickets;

/// <summary>The ticket pages through real requests: cookies, antiforgery, roles, and the use cases' refusals on screen.</summary>
public sealed class TicketPagesTests(TicketPagesTests.Vouch factory) : IClassFixture<TicketPagesTests.Vouch>
{
    private const string Password = "a long enough password";

    [Fact]
    public async Task Technician_CreatesATicketForAContact_AddsNotes_ThenResolvesIt()
    {
        var tenant = await factory.CreateTenantAsync("Ticket pages " + Guid.NewGuid().ToString("N")[..8]);
        var company = await (await tenant.Api.PostJsonAsync("/api/v1/companies", new { name = "Contoso" })).ReadAsync<CompanyView>(HttpStatusCode.Created);
        var contact = await (await tenant.Api.PostJsonAsync("/api/v1/contacts", new { firstName = "Ann", lastName = "Lee", companyId = company.Id }))
            .ReadAsync<ContactView>(HttpStatusCode.Created);
        var technician = await SignedInAsync(await MemberAsync(tenant, "technician"));
        var newPage = $"/tickets/new?companyId={company.Id}";

        var chooser = await (await technician.GetAsync("/tickets/new")).Content.ReadAsStringAsync();
        var refused = await technician.SubmitAsync(newPage, new() { ["Input.CompanyId"] = company.Id.ToString(), ["Input.ContactId"] = contact.Id.ToString(), ["Input.Summary"] = "" });
        var created = await technician.SubmitAsync(newPage, new()
        {
            ["Input.CompanyId"] = company.Id.ToString(),
            ["Input.ContactId"] = contact.Id.ToString(),
            ["Input.Summary"] = "Cannot print",
            ["Input.Description"] = "Office printer on floor 2",
            ["Input.Priority"] = "2",
        });

        Assert.Contains($"<option value=\"{company.Id}\">Contoso</option>", chooser, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Summary: must be between 1 and 200 characters", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var page = created.Headers.Location!.OriginalString;
        var ticket = (await (await tenant.Api.GetAsync("/api/v1/tickets")).ReadAsync<global::Vouch.Core.Page<TicketView>>()).Items.Single();
        Assert.Equal($"/tickets/{ticket.Id}", page);
        Assert.Equal((contact.Id, TicketPriority.High, "Cannot print"), (ticket.ContactId, ticket.Priority, ticket.Summary));

        var emptyNote = await technician.SubmitAsync(page + "?handler=Note", new() { ["Note.Body"] = "", ["Note.IsInternal"] = "true" });
        (await technician.SubmitAsync(page + "?handler=Note", new() { ["Note.Body"] = "Driver reinstalled.", ["Note.IsInternal"] = "true" })).EnsureRedirectTo(page);
        factory.Clock.Advance(TimeSpan.FromSeconds(1)); // two notes in the same instant would have no order
        (await technician.SubmitAsync(page + "?handler=Note", new() { ["Note.Body"] = "Please try printing again.", ["Note.IsInternal"] = "false" })).EnsureRedirectTo(page);
        (await technician.SubmitAsync(page + "?handler=Change", new() { ["Change.Status"] = "Resolved", ["Change.Priority"] = "High", ["Change.AssigneeId"] = "" })).EnsureRedirectTo(page);

        Assert.Contains("Body: must be between 1 and", WebUtility.HtmlDecode(await emptyNote.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var html = WebUtility.HtmlDecode(await (await technician.GetAsync(page)).Content.ReadAsStringAsync());
        Assert.Contains("#1</span> Cannot print", html, StringComparison.Ordinal);
        Assert.Contains("Driver reinstalled.", html, StringComparison.Ordinal);
        Assert.Contains("Please try printing again.", html, StringComparison.Ordinal);
        Assert.Contains("<strong>Member technician</strong>", html, StringComparison.Ordinal);
        Assert.True(html.IndexOf("Driver reinstalled.", StringComparison.Ordinal) < html.IndexOf("Please try printing again.", StringComparison.Ordinal));
        var detail = await (await tenant.Api.GetAsync($"/api/v1/tickets/{ticket.Id}")).ReadAsync<TicketDetailView>();
        Assert.Equal([true, false], detail.Notes.Select(n => n.IsInternal));
        Assert.Equal(NoteAuthorKind.Member, detail.Notes[0].AuthorKind);
        Assert.Equal(("Resolved", true), (detail.Ticket.Status, detail.Ticket.IsClosed));

        var open = await (await technician.GetAsync("/tickets")).Content.ReadAsStringAsync();
        var closed = await (await technician.GetAsync("/tickets?state=closed")).Content.ReadAsStringAsync();
        Assert.Contains("No tickets found.", open, StringComparison.Ordinal);
        Assert.Contains("Cannot print", closed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusesPage_TechnicianIsForbidden_AdminSavesTheLists()
    {
        var tenant = await factory.CreateTenantAsync("Ticket pages " + Guid.NewGuid().ToString("N")[..8]);
        var technician = await SignedInAsync(await MemberAsync(tenant, "technician"));
        var admin = await SignedInAsync(await MemberAsync(tenant, "admin"));

        var opened = await technician.GetAsync("/settings/tickets");
        // A technician holds a valid antiforgery token from a page they may open; the role check must still refuse the post.
        var posted = await technician.PostWithTokenFromAsync("/tickets", "/settings/tickets", new() { ["Input.Open"] = "Only", ["Input.Closed"] = "Gone" });
        var refused = await admin.SubmitAsync("/settings/tickets", new() { ["Input.Open"] = "Open\nopen", ["Input.Closed"] = "" });
        var saved = await admin.SubmitAsync("/settings/tickets", new() { ["Input.Open"] = "Triage\nWorking", ["Input.Closed"] = "Done" });

        foreach (var forbidden in new[] { opened, posted })
        {
            Assert.Equal(HttpStatusCode.Redirect, forbidden.StatusCode);
            Assert.StartsWith("/forbidden", forbidden.Headers.Location?.PathAndQuery ?? forbidden.Headers.Location?.OriginalString, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Open statuses, line 2: is listed twice.", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        saved.EnsureRedirectTo("/settings/tickets");
        var settings = await (await tenant.Api.GetAsync("/api/v1/settings/tickets")).ReadAsync<TicketSettingsView>();
        Assert.Equal([new("Triage", false), new("Working", false), new TicketStatusDefinition("Done", true)], settings.Statuses);
        Assert.DoesNotContain("Ticket settings", await (await technician.GetAsync("/tickets")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Ticket settings", await (await admin.GetAsync("/tickets")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<HttpClient> SignedInAsync(string email)
    {
        var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync(email, Password)).StatusCode);
        return browser;
    }

    private static async Task<string> MemberAsync(TestTenant tenant, string role)
    {
        var email = $"{role}-{Guid.NewGuid():N}@msp.test";
        var created = await tenant.Api.PostJsonAsync("/api/v1/members", new { email, displayName = "Member " + role, password = Password, role });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return email;
    }

    /// <summary>Vouch on SQLite with no sign-in limit in the way of several members signing in.</summary>
    public sealed class Vouch() : VouchFactory(TestDatabase.Sqlite, new Dictionary<string, string> { ["Vouch:SignInAttemptsPerMinute"] = "1000" });
}

internal static class TicketPageResponses
{
    public static void EnsureRedirectTo(this HttpResponseMessage response, string path)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"expected a redirect but got {(int)response.StatusCode}");
        Assert.Equal(path, response.Headers.Location?.OriginalString);
    }

    /// <summary>Posts to <paramref name="action"/> with the antiforgery token of another page the client may open.</summary>
    public static async Task<HttpResponseMessage> PostWithTokenFromAsync(this HttpClient client, string page, string action, Dictionary<string, string> fields)
    {
        var html = await (await client.GetAsync(page)).Content.ReadAsStringAsync();
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"");
        Assert.True(token.Success, $"no antiforgery token on {page}");
        fields["__RequestVerificationToken"] = token.Groups[1].Value;
        return await client.PostAsync(action, new FormUrlEncodedContent(fields));
    }
}
