using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Vouch.Core;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.SecureSend;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Storage;
using Vouch.Server.Tests.Infrastructure;

namespace Vouch.Server.Tests.Features.SecureSend;

public abstract class SecretsApiTests<TFactory>(TFactory factory) where TFactory : VouchFactory
{
    private const string Plaintext = "Wi-Fi: correct horse battery staple";

    [Fact]
    public async Task TextSecret_IsStoredEncrypted_PreviewBurnsNothing_RevealsOnce()
    {
        var tenant = await factory.CreateTenantAsync("Secrets " + Guid.NewGuid().ToString("N")[..8]);

        var created = await (await tenant.Api.PostJsonAsync("/api/v1/secrets", new { text = Plaintext, label = "Wi-Fi password" })).ReadAsync<CreatedSecret>(HttpStatusCode.Created);

        var (path, key) = Split(created.Link);
        Assert.Equal(factory.Clock.GetUtcNow().UtcDateTime.AddHours(1), created.Secret.ExpiresAt, TimeSpan.FromSeconds(1));
        var stored = await StoredEnvelopeAsync(created.Secret.Id);
        Assert.DoesNotContain("horse", stored, StringComparison.Ordinal);
        Assert.Equal(Plaintext, SecretEnvelope.Open(stored!, key));
        var metadata = await tenant.Api.GetAsync($"/api/v1/secrets/{created.Secret.Id}");
        Assert.DoesNotContain("horse", await metadata.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var audit = await (await tenant.Api.GetAsync("/api/v1/audit?pageSize=100")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("horse", audit, StringComparison.Ordinal);
        Assert.DoesNotContain(key, audit, StringComparison.Ordinal);

        // A preview (GET) shows the Reveal page and changes nothing.
        var visitor = factory.ApiClient(null);
        var page = await visitor.GetAsync(path);
        Assert.Contains(">Reveal<", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(page.Headers.CacheControl?.NoStore);
        Assert.Equal((SecretState.Active, 0), await StateAsync(tenant, created.Secret.Id));

        var revealed = await visitor.SubmitAsync(path, path + "?handler=Reveal", []);
        Assert.Equal(HttpStatusCode.OK, revealed.StatusCode);
        Assert.Equal(Plaintext, SecretEnvelope.Open(await SecretSteps.EnvelopeAsync(revealed), key));
        Assert.Equal((SecretState.Consumed, 1), await StateAsync(tenant, created.Secret.Id));
        Assert.Null(await StoredEnvelopeAsync(created.Secret.Id));

        // The second open shows "already viewed or expired", exactly like a link that never existed.
        var again = await (await visitor.GetAsync(path)).Content.ReadAsStringAsync();
        Assert.Contains("already viewed or has expired", again, StringComparison.Ordinal);
        Assert.Equal(LinkPages.WithoutNonce(again), LinkPages.WithoutNonce(await (await visitor.GetAsync("/s/" + SecretTokens.New())).Content.ReadAsStringAsync()));
        var revealedAgain = await visitor.PostAsync(path + "?handler=Reveal", new FormUrlEncodedContent([]));
        Assert.NotEqual(HttpStatusCode.OK, revealedAgain.StatusCode);
        var trail = (await (await tenant.Api.GetAsync($"/api/v1/audit?targetId={created.Secret.Id}")).ReadAsync<Page<AuditEntryView>>()).Items;
        Assert.Equal(["secret.revealed", "secret.created"], trail.Select(a => a.Action));
        Assert.Contains("revealed from", trail[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiredSecret_CannotBeRevealed_AndTheSweepDeletesIt()
    {
        var tenant = await factory.CreateTenantAsync("Secrets " + Guid.NewGuid().ToString("N")[..8]);
        var created = await (await tenant.Api.PostJsonAsync("/api/v1/secrets", new { text = Plaintext, lifetimeMinutes = 5 })).ReadAsync<CreatedSecret>(HttpStatusCode.Created);
        var (path, _) = Split(created.Link);
        var visitor = factory.ApiClient(null);

        factory.Clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Contains("already viewed or has expired", await (await visitor.GetAsync(path)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<Caller>().ActAsSystemForAllTenants();
            Assert.True(await scope.ServiceProvider.GetRequiredService<SweepSecrets>().HandleAsync(500, CancellationToken.None) >= 1);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await tenant.Api.GetAsync($"/api/v1/secrets/{created.Secret.Id}")).StatusCode);
        Assert.False(await RowExistsAsync(created.Secret.Id));
        var expired = (await (await tenant.Api.GetAsync($"/api/v1/audit?targetId={created.Secret.Id}")).ReadAsync<Page<AuditEntryView>>()).Items;
        Assert.Equal(("secret.expired", "never revealed"), (expired[0].Action, expired[0].Detail));
    }

    [Fact]
    public async Task Passphrase_IsNeededBesidesTheLink_AndIsNeverStored()
    {
        var tenant = await factory.CreateTenantAsync("Secrets " + Guid.NewGuid().ToString("N")[..8]);

        var created = await (await tenant.Api.PostJsonAsync("/api/v1/secrets", new { text = Plaintext, passphrase = "blue heron" })).ReadAsync<CreatedSecret>(HttpStatusCode.Created);
        var refused = await (await tenant.Api.PostJsonAsync("/api/v1/secrets", new { envelope = SecretEnvelope.Seal("x").Envelope, passphrase = "blue heron" }))
            .ProblemAsync(HttpStatusCode.BadRequest);

        var (path, key) = Split(created.Link);
        var stored = await StoredEnvelopeAsync(created.Secret.Id);
        Assert.DoesNotContain("heron", stored, StringComparison.Ordinal);
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => SecretEnvelope.Open(stored!, key));
        var revealed = await factory.ApiClient(null).SubmitAsync(path, path + "?handler=Reveal", []);
        Assert.Equal(Plaintext, SecretEnvelope.Open(await SecretSteps.EnvelopeAsync(revealed), key, "blue heron"));
        Assert.StartsWith("only with text", refused["passphrase"].Single(), StringComparison.Ordinal);
        var audit = await (await tenant.Api.GetAsync($"/api/v1/audit?targetId={created.Secret.Id}")).Content.ReadAsStringAsync();
        Assert.Contains("with a passphrase", audit, StringComparison.Ordinal);
        Assert.DoesNotContain("heron", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_ErasesAtOnce_AndASecondRevokeConflicts()
    {
        var tenant = await factory.CreateTenantAsync("Secrets " + Guid.NewGuid().ToString("N")[..8]);
        var created = await (await tenant.Api.PostJsonAsync("/api/v1/secrets", new { text = Plaintext })).ReadAsync<CreatedSecret>(HttpStatusCode.Created);

        var revoked = await (await tenant.Api.DeleteAsync($"/api/v1/secrets/{created.Secret.Id}")).ReadAsync<SecretView>();

        Assert.Equal(SecretState.Revoked, revoked.State);
        Assert.Null(await StoredEnvelopeAsync(created.Secret.Id));
        Assert.Contains("already viewed or has expired", await (await factory.ApiClient(null).GetAsync(Split(created.Link).Path)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await (await tenant.Api.DeleteAsync($"/api/v1/secrets/{created.Secret.Id}")).ProblemAsync(HttpStatusCode.Conflict);

        // The sweep deletes revoked and used secrets in one statement.
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<Caller>().ActAsSystemForAllTenants();
            await scope.ServiceProvider.GetRequiredService<SweepSecrets>().HandleAsync(500, CancellationToken.None);
        }

        Assert.False(await RowExistsAsync(created.Secret.Id));
    }

    [Fact]
    public async Task EnvelopeFromTheClient_IsKeptAsIs_AndTheLinkCarriesNoKey()
    {
        var tenant = await factory.CreateTenantAsync("Secrets " + Guid.NewGuid().ToString("N")[..8]);
        var (envelope, key) = SecretEnvelope.Seal(Plaintext);

        var created = await (await tenant.Api.PostJsonAsync("/api/v1/secrets", new { envelope, singleUse = false, lifetimeMinutes = 10080 })).ReadAsync<CreatedSecret>(HttpStatusCode.Created);

        Assert.DoesNotContain('#', created.Link);
        Assert.Equal(envelope, await StoredEnvelopeAsync(created.Secret.Id));
        var visitor = factory.ApiClient(null);
        for (var i = 0; i < 2; i++)
        {
            var path = new Uri(created.Link).AbsolutePath;
            var revealed = await visitor.SubmitAsync(path, path + "?handler=Reveal", []);
            Assert.Equal(Plaintext, SecretEnvelope.Open(await SecretSteps.EnvelopeAsync(revealed), key));
        }

        Assert.Equal((SecretState.Active, 2), await StateAsync(tenant, created.Secret.Id));
    }

    [Fact]
    public async Task BadRequests_NameTheField_AndStoreNothing()
    {
        var tenant = await factory.CreateTenantAsync("Secrets " + Guid.NewGuid().ToString("N")[..8]);

        var both = await (await tenant.Api.PostJsonAsync("/api/v1/secrets", new { text = "x", envelope = "{}" })).ProblemAsync(HttpStatusCode.BadRequest);
        var neither = await (await tenant.Api.PostJsonAsync("/api/v1/secrets", new { lifetimeMinutes = 60 })).ProblemAsync(HttpStatusCode.BadRequest);
        var badEnvelope = await (await tenant.Api.PostJsonAsync("/api/v1/secrets", new { envelope = "{\"v\":1,\"iv\":\"AAAA\",\"ct\":\"AAAA\"}" })).ProblemAsync(HttpStatusCode.BadRequest);
        var badLifetime = await (await tenant.Api.PostJsonAsync("/api/v1/secrets", new { text = "x", lifetimeMinutes = 4, contactId = Guid.NewGuid() })).ProblemAsync(HttpStatusCode.BadRequest);
        var tooLong = await (await tenant.Api.PostJsonAsync("/api/v1/secrets", new { text = new string('x', SecretEnvelope.MaxContentBytes + 1) })).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(["text"], both.Keys);
        Assert.Equal(["text"], neither.Keys);
        Assert.Contains("iv", badEnvelope["envelope"].Single(), StringComparison.Ordinal);
        Assert.Equal(["contactId", "lifetimeMinutes"], badLifetime.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["text"], tooLong.Keys);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IDbContextFactory<VouchDbContext>>().CreateDbContext();
        Assert.False(await db.Secrets.IgnoreQueryFilters().AnyAsync(s => s.TenantId == tenant.Id));
    }

    [Fact]
    public async Task Settings_SetDefaults_PageTexts_AndTicketNotes_AndRefuseBadValues()
    {
        var tenant = await factory.CreateTenantAsync("Secrets " + Guid.NewGuid().ToString("N")[..8]);
        var refused = await (await tenant.Api.PutJsonAsync("/api/v1/settings/secrets", new { textLifetimeMinutes = 3, smsTemplate = "Your secret is ready" }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["smsTemplate", "textLifetimeMinutes"], refused.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("must show the link: include {{ link }}", refused["smsTemplate"].Single());

        (await tenant.Api.PutJsonAsync("/api/v1/settings/secrets", new
        {
            textLifetimeMinutes = 15, singleUse = false, headerText = "Your new laptop login", messageOnReveal = "Change it at first sign-in.", ticketNotesInternal = false,
        })).EnsureSuccessStatusCode();
        var company = await (await tenant.Api.PostJsonAsync("/api/v1/companies", new { name = "Contoso" })).ReadAsync<Vouch.Core.Features.Directory.CompanyView>(HttpStatusCode.Created);
        var ticket = await (await tenant.Api.PostJsonAsync("/api/v1/tickets", new { companyId = company.Id, summary = "New starter" })).ReadAsync<Vouch.Core.Features.Tickets.TicketView>(HttpStatusCode.Created);
        var created = await (await tenant.Api.PostJsonAsync("/api/v1/secrets", new { text = Plaintext, ticketReference = "#" + ticket.Number })).ReadAsync<CreatedSecret>(HttpStatusCode.Created);

        Assert.Equal((false, ticket.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)), (created.Secret.SingleUse, created.Secret.TicketReference));
        Assert.Equal(factory.Clock.GetUtcNow().UtcDateTime.AddMinutes(15), created.Secret.ExpiresAt, TimeSpan.FromSeconds(1));
        var path = Split(created.Link).Path;
        var visitor = factory.ApiClient(null);
        var page = await (await visitor.GetAsync(path)).Content.ReadAsStringAsync();
        Assert.Contains("Your new laptop login", page, StringComparison.Ordinal);
        Assert.Contains("Change it at first sign-in.", page, StringComparison.Ordinal);
        (await visitor.SubmitAsync(path, path + "?handler=Reveal", [])).EnsureSuccessStatusCode();
        var notes = (await (await tenant.Api.GetAsync($"/api/v1/tickets/{ticket.Id}")).ReadAsync<Vouch.Core.Features.Tickets.TicketDetailView>()).Notes;
        Assert.Equal(2, notes.Count);
        Assert.Contains(notes, n => n.Body.StartsWith("Secure message created by", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Body.StartsWith("Secure message revealed from", StringComparison.Ordinal));
        Assert.All(notes, n => Assert.False(n.IsInternal));
        Assert.All(notes, n => Assert.DoesNotContain("horse", n.Body, StringComparison.Ordinal));
        var noTicket = await (await tenant.Api.PostJsonAsync("/api/v1/secrets", new { text = "x", ticketReference = "99999" })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("no ticket 99999", noTicket["ticketReference"].Single());
    }

    private static (string Path, string Key) Split(string link)
    {
        var uri = new Uri(link);
        return (uri.AbsolutePath, uri.Fragment.TrimStart('#'));
    }

    private static async Task<(SecretState, int)> StateAsync(TestTenant tenant, Guid id)
    {
        var view = await (await tenant.Api.GetAsync($"/api/v1/secrets/{id}")).ReadAsync<SecretView>();
        return (view.State, view.Reveals);
    }

    private async Task<string?> StoredEnvelopeAsync(Guid id)
    {
        await using var db = factory.Services.GetRequiredService<IDbContextFactory<VouchDbContext>>().CreateDbContext();
        return await db.Secrets.IgnoreQueryFilters().Where(s => s.Id == id).Select(s => s.Envelope).SingleAsync();
    }

    private async Task<bool> RowExistsAsync(Guid id)
    {
        await using var db = factory.Services.GetRequiredService<IDbContextFactory<VouchDbContext>>().CreateDbContext();
        return await db.Secrets.IgnoreQueryFilters().AnyAsync(s => s.Id == id);
    }

    [Fact]
    public async Task Send_TemplateFailingForTheLifetime_SendsTheBuiltInOneAndAuditsIt()
    {
        var (tenant, contact, _) = await factory.TenantWithVerificationNumberAsync();
        // Saved before the save check rendered with the longest lifetime: fine for an hour, 10,080 rounds for 7 days.
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<Caller>().ActAsSystem(tenant.Id);
            var db = scope.ServiceProvider.GetRequiredService<VouchDbContext>();
            db.SecretSettings.Add(new SecretSettings(tenant.Id) { SmsTemplate = "{% for i in (1..expires_in_minutes) %}.{% endfor %}{{ link }}" });
            await db.SaveChangesAsync();
            scope.ServiceProvider.GetRequiredService<SecretSettingsCache>().Forget(tenant.Id);
        }

        var created = await (await tenant.Api.PostJsonAsync("/api/v1/secrets", new { text = Plaintext, contactId = contact.Id, lifetimeMinutes = 7 * 24 * 60 }))
            .ReadAsync<CreatedSecret>(HttpStatusCode.Created);
        var sent = await tenant.Api.PostJsonAsync($"/api/v1/secrets/{created.Secret.Id}/send", new { link = created.Link, delivery = "sms", destination = InboundTexts.ContactMobile });

        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var text = (await (await tenant.Api.GetAsync("/api/v1/outbox")).ReadAsync<Page<Vouch.Core.Features.Delivery.OutboxMessageView>>()).Items
            .Single(m => m.To == InboundTexts.ContactMobile);
        Assert.Contains(created.Link, text.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("..", text.Body, StringComparison.Ordinal);
        var fallback = (await (await tenant.Api.GetAsync("/api/v1/audit?action=template.fallback")).ReadAsync<Page<AuditEntryView>>()).Items.Single();
        Assert.Equal(("secret_settings", "smsTemplate"), (fallback.TargetType, fallback.TargetId));
        Assert.StartsWith("has a range of more than 10,000 numbers; the built-in template was used for secret", fallback.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(Split(created.Link).Key, fallback.Detail!, StringComparison.Ordinal);
    }
}

public sealed class SecretsOnSqlite(SqliteVouch factory) : SecretsApiTests<SqliteVouch>(factory), IClassFixture<SqliteVouch>;

public sealed class SecretsOnPostgres(PostgresVouch factory) : SecretsApiTests<PostgresVouch>(factory), IClassFixture<PostgresVouch>;
