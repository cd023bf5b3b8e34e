using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Vouch.Core.Features.SecureSend;
using Vouch.Core.Storage;
using Vouch.Server.Tests.Infrastructure;

namespace Vouch.Server.Tests.Features.SecureSend;

/// <summary>The contact page's "Send a secret" handler, as secure-send.js calls it after encrypting in the browser.</summary>
public sealed class SecretPagesTests(SqliteVouch factory) : IClassFixture<SqliteVouch>
{
    [Fact]
    public async Task CopyLink_StoresTheEnvelope_AndAnswersTheLinkWithoutAKey()
    {
        var (tenant, contact, _) = await factory.TenantWithVerificationNumberAsync();
        var tess = await factory.SignedInAsync(await tenant.AddMemberAsync("technician"));
        var (envelope, key) = SecretEnvelope.Seal("printer admin: 8812");
        var page = $"/contacts/{contact.Id}";

        var answer = await tess.SubmitAsync(page, page + "?handler=Secret", new() { ["Envelope"] = envelope, ["Delivery"] = "link", ["LifetimeMinutes"] = "5" });

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        using var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        var link = json.RootElement.GetProperty("link").GetString()!;
        Assert.DoesNotContain('#', link);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("sentTo").ValueKind);
        var stored = await StoredAsync(tenant.Id);
        Assert.Equal((envelope, contact.Id), (stored.Single().Envelope, stored.Single().ContactId));
        var revealed = await factory.ApiClient(null).SubmitAsync(new Uri(link).AbsolutePath, new Uri(link).AbsolutePath + "?handler=Reveal", []);
        Assert.Equal("printer admin: 8812", SecretEnvelope.Open(await SecretSteps.EnvelopeAsync(revealed), key));
    }

    [Fact]
    public async Task SmsToANumberThatIsNotTheContacts_OrWithoutTheKey_IsRefusedAndStoresNothing()
    {
        var (tenant, contact, _) = await factory.TenantWithVerificationNumberAsync();
        var tess = await factory.SignedInAsync(await tenant.AddMemberAsync("technician"));
        var page = $"/contacts/{contact.Id}";

        var answer = await tess.SubmitAsync(page, page + "?handler=Secret", new()
        {
            ["Envelope"] = SecretEnvelope.Seal("x").Envelope,
            ["Delivery"] = "sms",
            ["Destination"] = "+1 415 555 0100",
        });

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        using var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        var errors = json.RootElement.GetProperty("errors");
        Assert.Equal("must be one of the contact's phone numbers", errors.GetProperty("destination")[0].GetString());
        Assert.StartsWith("is required to text or e-mail the link", errors.GetProperty("key")[0].GetString(), StringComparison.Ordinal);
        Assert.Empty(await StoredAsync(tenant.Id));
    }

    [Fact]
    public async Task Locked_TechnicianCannotChooseAnotherLifetime_AndTheTemplateCarriesTheLinkWithItsKey()
    {
        var (tenant, contact, _) = await factory.TenantWithVerificationNumberAsync();
        (await tenant.Api.PutJsonAsync("/api/v1/settings/secrets", new
        {
            textLifetimeMinutes = 15, lockedForTechnicians = true, smsTemplate = "{{ msp_name }} secret for {{ contact_first_name }}: {{ link }}",
        })).EnsureSuccessStatusCode();
        var tess = await factory.SignedInAsync(await tenant.AddMemberAsync("technician"));
        var page = $"/contacts/{contact.Id}";
        Assert.Contains("set by your admins", await (await tess.GetAsync(page)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var (envelope, key) = SecretEnvelope.Seal("door code 4471");

        var longer = await tess.SubmitAsync(page, page + "?handler=Secret", new() { ["Envelope"] = envelope, ["LifetimeMinutes"] = "60", ["SingleUse"] = "true" });
        var sent = await tess.SubmitAsync(page, page + "?handler=Secret", new()
        {
            ["Envelope"] = envelope, ["Key"] = key, ["Delivery"] = "sms", ["Destination"] = InboundTexts.ContactMobile, ["LifetimeMinutes"] = "15", ["SingleUse"] = "true",
        });

        Assert.Equal(HttpStatusCode.BadRequest, longer.StatusCode);
        Assert.Contains("set by your admins to 15 minutes", await longer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var text = (await tenant.TextsToAsync(InboundTexts.ContactMobile, 1)).Single().Body;
        Assert.Matches(@"secret for Ann: https?://\S+/s/[A-Za-z0-9_-]+#" + System.Text.RegularExpressions.Regex.Escape(key) + "$", text);
        Assert.Single(await StoredAsync(tenant.Id));
    }

    [Fact]
    public async Task SettingsPage_AdminSaves_TechnicianIsSentAway()
    {
        var (tenant, _, _) = await factory.TenantWithVerificationNumberAsync();
        var admin = await factory.SignedInAsync(await tenant.AddMemberAsync("admin"));
        var tess = await factory.SignedInAsync(await tenant.AddMemberAsync("technician"));

        var saved = await admin.SubmitAsync("/settings/secrets", new()
        {
            ["Input.TextLifetimeMinutes"] = "1440", ["Input.SingleUse"] = "false", ["Input.LockedForTechnicians"] = "true", ["Input.LogToTicket"] = "true",
            ["Input.HeaderText"] = "From Acme IT", ["Input.EmailTextTemplate"] = "no link here",
        });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Contains("must show the link", await saved.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        saved = await admin.SubmitAsync("/settings/secrets", new()
        {
            ["Input.TextLifetimeMinutes"] = "1440", ["Input.SingleUse"] = "false", ["Input.LockedForTechnicians"] = "true", ["Input.HeaderText"] = "From Acme IT",
        });

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var settings = await (await tenant.Api.GetAsync("/api/v1/settings/secrets")).ReadAsync<SecretSettingsView>();
        Assert.Equal((1440, false, true, false, "From Acme IT"), (settings.TextLifetimeMinutes, settings.SingleUse, settings.LockedForTechnicians, settings.LogToTicket, settings.HeaderText));
        var forbidden = await tess.GetAsync("/settings/secrets");
        Assert.Equal(HttpStatusCode.Redirect, forbidden.StatusCode);
        Assert.Equal("/forbidden", forbidden.Headers.Location?.AbsolutePath);
    }

    [Fact]
    public async Task TicketPage_OffersTheFormForItsContact_AndTheSecretIsNotedOnThatTicket()
    {
        var (tenant, contact, _) = await factory.TenantWithVerificationNumberAsync();
        var tess = await factory.SignedInAsync(await tenant.AddMemberAsync("technician"));
        var ticket = await (await tenant.Api.PostJsonAsync("/api/v1/tickets", new { companyId = contact.CompanyId, contactId = contact.Id, summary = "Laptop password" }))
            .ReadAsync<Vouch.Core.Features.Tickets.TicketView>(HttpStatusCode.Created);
        var withoutContact = await (await tenant.Api.PostJsonAsync("/api/v1/tickets", new { companyId = contact.CompanyId, summary = "Printer" }))
            .ReadAsync<Vouch.Core.Features.Tickets.TicketView>(HttpStatusCode.Created);
        var ticketPage = $"/tickets/{ticket.Id}";

        var html = await (await tess.GetAsync(ticketPage)).Content.ReadAsStringAsync();
        var answer = await tess.SubmitAsync(ticketPage, $"/contacts/{contact.Id}?handler=Secret", new()
        {
            ["Envelope"] = SecretEnvelope.Seal("laptop: 1234").Envelope, ["Delivery"] = "link", ["TicketReference"] = ticket.Reference,
        });

        Assert.Contains($"Send a secret to {contact.FirstName} {contact.LastName}", html, StringComparison.Ordinal);
        Assert.Contains($"name=\"TicketReference\" size=\"10\" autocomplete=\"off\" value=\"{ticket.Reference}\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(ticket.Reference, (await StoredAsync(tenant.Id)).Single().TicketReference);
        var notes = (await (await tenant.Api.GetAsync($"/api/v1/tickets/{ticket.Id}")).ReadAsync<Vouch.Core.Features.Tickets.TicketDetailView>()).Notes;
        Assert.Contains(notes, n => n.Body.StartsWith("Secure message created by", StringComparison.Ordinal));
        Assert.DoesNotContain("secret-form", await (await tess.GetAsync($"/tickets/{withoutContact.Id}")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<List<Secret>> StoredAsync(Guid tenantId)
    {
        await using var db = factory.Services.GetRequiredService<IDbContextFactory<VouchDbContext>>().CreateDbContext();
        return await db.Secrets.IgnoreQueryFilters().Where(s => s.TenantId == tenantId).ToListAsync();
    }
}
