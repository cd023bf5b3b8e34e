using System.Net;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Vouch.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Vouch.Core;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Delivery;
using Vouch.Core.Features.Verification;
using Vouch.Core.Features.Directory;
using Vouch.Core.Features.PhoneNumbers;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Features.InboundSms;
using Vouch.Core.Features.SecureSend;
using Vouch.Core.Features.TechnicianVerification;
using Vouch.Core.Features.Tickets;
using Vouch.Server.Tests.Infrastructure;

namespace Vouch.Server.Tests.Features.Tenancy;

/// <summary>
/// Walks every /api/v1 endpoint with a second tenant's key and the first tenant's ids, then proves the first tenant's data
/// is unchanged. The walk fails when a new endpoint is added without a case here.
/// </summary>
public abstract class TenantIsolationTests<TFactory>(TFactory factory) where TFactory : VouchFactory
{
    [Fact]
    public async Task EveryEndpoint_WithOtherTenantsKeyAndIds_LeaksAndChangesNothing()
    {
        var victim = await factory.CreateTenantAsync("Victim " + Guid.NewGuid().ToString("N")[..8]);
        var intruder = await factory.CreateTenantAsync("Intruder " + Guid.NewGuid().ToString("N")[..8]);
        var company = await (await victim.Api.PostJsonAsync("/api/v1/companies", new { name = "Victim Co", mainPhone = "+14155552671" })).ReadAsync<CompanyView>(HttpStatusCode.Created);
        var contact = await (await victim.Api.PostJsonAsync("/api/v1/contacts", new
        {
            firstName = "Vera",
            lastName = "Victim",
            companyId = company.Id,
            emails = new[] { new { address = "vera@victim.test" } },
            phones = new[] { new { number = "+14155550177", type = "mobile" } },
        })).ReadAsync<ContactView>(HttpStatusCode.Created);
        var member = await (await victim.Api.PostJsonAsync("/api/v1/members", new { email = $"v-{Guid.NewGuid():N}@victim.test", password = "twelve chars long", role = "technician" }))
            .ReadAsync<MemberView>(HttpStatusCode.Created);
        var key = await (await victim.Api.PostJsonAsync("/api/v1/api-keys", new { name = "victim key", scope = "read" })).ReadAsync<CreatedApiKey>(HttpStatusCode.Created);
        var verification = await (await victim.Api.PostJsonAsync("/api/v1/verifications", new { contactId = contact.Id, channel = "sms_code", destination = "+14155550177" }))
            .ReadAsync<VerificationView>(HttpStatusCode.Created);
        (await victim.Api.PutJsonAsync("/api/v1/settings/verification", new { lifetimeMinutes = 3 })).EnsureSuccessStatusCode();
        (await victim.Api.PutJsonAsync("/api/v1/settings/tickets", new { statuses = new[] { new { name = "Open", isClosed = false }, new { name = "Done", isClosed = true } } }))
            .EnsureSuccessStatusCode();
        var ticket = await (await victim.Api.PostJsonAsync("/api/v1/tickets", new { companyId = company.Id, contactId = contact.Id, summary = "Victim ticket", assigneeId = member.Id }))
            .ReadAsync<TicketView>(HttpStatusCode.Created);
        (await victim.Api.PostJsonAsync($"/api/v1/tickets/{ticket.Id}/notes", new { body = "Victim note" })).EnsureSuccessStatusCode();
        var number = await (await victim.Api.PostJsonAsync("/api/v1/phone-numbers", new
        {
            number = Texting.NewNumber(), provider = "twilio", label = "Victim line", twilioAccountSid = "AC0123456789abcdef0123456789abcdef", twilioAuthToken = "victim-token",
        })).ReadAsync<PhoneNumberView>(HttpStatusCode.Created);
        (await victim.Api.PutJsonAsync("/api/v1/settings/secrets", new { textLifetimeMinutes = 15 })).EnsureSuccessStatusCode();
        var secret = await (await victim.Api.PostJsonAsync("/api/v1/secrets", new { text = "victim secret", contactId = contact.Id })).ReadAsync<CreatedSecret>(HttpStatusCode.Created);
        var fileKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var victimFile = SecretFileCipher.Encrypt("victim file"u8, fileKey);
        var fileSecret = await (await victim.Api.PostJsonAsync("/api/v1/secrets", new
        {
            envelope = SecretEnvelope.Seal("").Envelope, contactId = contact.Id, files = new[] { new { name = SecretEnvelope.Seal("{}").Envelope, length = victimFile.Length } },
        })).ReadAsync<CreatedSecret>(HttpStatusCode.Created);
        // A caller check started by the victim's contact texting #verify to the victim's number.
        var victimNumber = Texting.NewNumber();
        await factory.AddNumberAsync(victim, victimNumber);
        var techRequest = (await victim.SimulateAsync("+14155550177", victimNumber, "#verify")).TechnicianVerificationId!.Value;
        // The snapshot is taken once the worker has delivered the code, so only the intruder could change it afterwards.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((await (await victim.Api.GetAsync($"/api/v1/verifications/{verification.Id}")).ReadAsync<VerificationView>()).Delivery != DeliveryState.Sent)
        {
            Assert.True(DateTime.UtcNow < deadline, "the code was not delivered to the outbox");
            await Task.Delay(50);
        }

        var snapshot = await SnapshotAsync(victim.Api, company.Id, contact.Id, verification.Id, ticket.Id, techRequest, secret.Secret.Id);
        var api = intruder.Api;
        var covered = new HashSet<string>(StringComparer.Ordinal);

        async Task<HttpResponseMessage> Call(string method, string pattern, string url, HttpContent? body = null)
        {
            covered.Add($"{method} {pattern}");
            return await api.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = body });
        }

        static HttpContent Json(object value) => System.Net.Http.Json.JsonContent.Create(value, options: VouchFactory.Json);

        // Reads by id answer 404, exactly as for an id that never existed.
        await (await Call("GET", "/api/v1/companies/{id:guid}", $"/api/v1/companies/{company.Id}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Call("GET", "/api/v1/contacts/{id:guid}", $"/api/v1/contacts/{contact.Id}")).ProblemAsync(HttpStatusCode.NotFound);

        // Writes by id answer 404 and change nothing.
        await (await Call("PUT", "/api/v1/companies/{id:guid}", $"/api/v1/companies/{company.Id}", Json(new { name = "Owned" }))).ProblemAsync(HttpStatusCode.NotFound);
        await (await Call("DELETE", "/api/v1/companies/{id:guid}", $"/api/v1/companies/{company.Id}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Call("PUT", "/api/v1/contacts/{id:guid}", $"/api/v1/contacts/{contact.Id}", Json(new { firstName = "Owned" }))).ProblemAsync(HttpStatusCode.NotFound);
        await (await Call("DELETE", "/api/v1/contacts/{id:guid}", $"/api/v1/contacts/{contact.Id}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Call("PUT", "/api/v1/members/{id:guid}/role", $"/api/v1/members/{member.Id}/role", Json(new { role = "inactive" }))).ProblemAsync(HttpStatusCode.NotFound);
        await (await Call("DELETE", "/api/v1/api-keys/{id:guid}", $"/api/v1/api-keys/{key.Key.Id}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Call("GET", "/api/v1/verifications/{id:guid}", $"/api/v1/verifications/{verification.Id}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Call("POST", "/api/v1/verifications/{id:guid}/code", $"/api/v1/verifications/{verification.Id}/code", Json(new { code = "123456" }))).ProblemAsync(HttpStatusCode.NotFound);
        await (await Call("DELETE", "/api/v1/verifications/{id:guid}", $"/api/v1/verifications/{verification.Id}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Call("GET", "/api/v1/contacts/{id:guid}/verifications", $"/api/v1/contacts/{contact.Id}/verifications")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Call("POST", "/api/v1/verifications", "/api/v1/verifications", Json(new { contactId = contact.Id, channel = "sms_code", destination = "+14155550177" })))
            .ProblemAsync(HttpStatusCode.NotFound);

        await (await Call("GET", "/api/v1/secrets/{id:guid}", $"/api/v1/secrets/{secret.Secret.Id}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Call("DELETE", "/api/v1/secrets/{id:guid}", $"/api/v1/secrets/{secret.Secret.Id}")).ProblemAsync(HttpStatusCode.NotFound);
        var intruderUpload = new ByteArrayContent(SecretFileCipher.Encrypt("intruder file"u8, fileKey).AsSpan(0, victimFile.Length).ToArray());
        await (await Call("PUT", "/api/v1/secrets/{id:guid}/files/{fileId:guid}", $"/api/v1/secrets/{fileSecret.Secret.Id}/files/{fileSecret.Secret.Files[0].Id}", intruderUpload))
            .ProblemAsync(HttpStatusCode.NotFound);
        await (await Call("POST", "/api/v1/secrets/{id:guid}/send", $"/api/v1/secrets/{secret.Secret.Id}/send",
            Json(new { link = secret.Link, delivery = "sms", destination = "+14155550177" }))).ProblemAsync(HttpStatusCode.NotFound);
        var secretProblem = await (await Call("POST", "/api/v1/secrets", "/api/v1/secrets", Json(new { text = "x", contactId = contact.Id }))).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("no such contact", secretProblem["contactId"].Single());
        await (await Call("GET", "/api/v1/tech-verifications/{id:guid}", $"/api/v1/tech-verifications/{techRequest}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Call("POST", "/api/v1/tech-verifications/{id:guid}/claim", $"/api/v1/tech-verifications/{techRequest}/claim", Json(new { }))).ProblemAsync(HttpStatusCode.NotFound);
        await (await Call("POST", "/api/v1/tech-verifications/{id:guid}/cancel", $"/api/v1/tech-verifications/{techRequest}/cancel")).ProblemAsync(HttpStatusCode.NotFound);
        // The victim's number is not the intruder's to "receive" texts on, and the intruder's tenant does not know the victim's contact.
        var simulated = await (await Call("POST", "/api/v1/outbox/inbound", "/api/v1/outbox/inbound", Json(new { from = "+14155550177", to = victimNumber, body = "#confirm" })))
            .ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("must be one of your phone numbers", simulated["to"].Single());

        await (await Call("GET", "/api/v1/tickets/{id:guid}", $"/api/v1/tickets/{ticket.Id}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Call("PUT", "/api/v1/tickets/{id:guid}", $"/api/v1/tickets/{ticket.Id}", Json(new { status = "Closed", summary = "Owned" }))).ProblemAsync(HttpStatusCode.NotFound);
        await (await Call("GET", "/api/v1/tickets/{id:guid}/notes", $"/api/v1/tickets/{ticket.Id}/notes")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Call("POST", "/api/v1/tickets/{id:guid}/notes", $"/api/v1/tickets/{ticket.Id}/notes", Json(new { body = "Owned" }))).ProblemAsync(HttpStatusCode.NotFound);

        await (await Call("GET", "/api/v1/phone-numbers/{id:guid}", $"/api/v1/phone-numbers/{number.Id}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Call("PUT", "/api/v1/phone-numbers/{id:guid}", $"/api/v1/phone-numbers/{number.Id}", Json(new { label = "Owned", provider = "outbox" })))
            .ProblemAsync(HttpStatusCode.NotFound);
        await (await Call("DELETE", "/api/v1/phone-numbers/{id:guid}", $"/api/v1/phone-numbers/{number.Id}")).ProblemAsync(HttpStatusCode.NotFound);

        // The victim's number cannot be taken over, and the refusal does not say whose it is.
        var takeover = await Call("POST", "/api/v1/phone-numbers", "/api/v1/phone-numbers", Json(new { number = number.Number, provider = "outbox" }));
        var takeoverBody = await takeover.Content.ReadAsStringAsync();
        Assert.Equal(["number"], (await takeover.ProblemAsync(HttpStatusCode.Conflict)).Keys);
        Assert.DoesNotContain("Victim", takeoverBody, StringComparison.OrdinalIgnoreCase);

        // A ticket naming the victim's company, contact or member is refused as naming unknown ones; the intruder's own numbering starts at 1.
        var ticketProblem = await (await Call("POST", "/api/v1/tickets", "/api/v1/tickets", Json(new { companyId = company.Id, summary = "Owned", assigneeId = member.Id })))
            .ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(("no such company", "no such active member"), (ticketProblem["companyId"].Single(), ticketProblem["assigneeId"].Single()));
        var ownCompany = await (await api.PostJsonAsync("/api/v1/companies", new { name = "Intruder Co" })).ReadAsync<CompanyView>(HttpStatusCode.Created);
        var contactProblem = await (await api.PostJsonAsync("/api/v1/tickets", new { companyId = ownCompany.Id, contactId = contact.Id, summary = "Owned" })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("no such contact", contactProblem["contactId"].Single());
        var ownTicket = await (await api.PostJsonAsync("/api/v1/tickets", new { companyId = ownCompany.Id, summary = "Mine" })).ReadAsync<TicketView>(HttpStatusCode.Created);
        Assert.Equal((1, "New"), (ownTicket.Number, ownTicket.Status));

        // Creating with the other tenant's company is refused as an unknown company.
        var create = await Call("POST", "/api/v1/contacts", "/api/v1/contacts", Json(new { firstName = "Ivan", companyId = company.Id }));
        Assert.Equal("no such company", (await create.ProblemAsync(HttpStatusCode.BadRequest))["companyId"].Single());
        (await Call("POST", "/api/v1/companies", "/api/v1/companies", Json(new { name = "Victim Co" }))).EnsureSuccessStatusCode();

        // An import that names the victim's contact adds a contact of the intruder's own, never updates the victim's.
        var import = await (await Call("POST", "/api/v1/contacts/import", "/api/v1/contacts/import",
            new StringContent("first_name,last_name,email,mobile\nVera,Changed,vera@victim.test,+14155550177\n", Encoding.UTF8, "text/csv"))).ReadAsync<ImportReport>();
        Assert.Equal(ImportOutcome.Added, import.Rows.Single().Outcome);

        // Lists and searches show only the intruder's own rows.
        var contacts = await (await Call("GET", "/api/v1/contacts", "/api/v1/contacts?search=%2B14155550177")).ReadAsync<Page<ContactView>>();
        Assert.Equal("Changed", contacts.Items.Single().LastName);
        var byCompany = await (await api.GetAsync($"/api/v1/contacts?companyId={company.Id}")).ReadAsync<Page<ContactView>>();
        Assert.Empty(byCompany.Items);
        var companies = await (await Call("GET", "/api/v1/companies", "/api/v1/companies")).ReadAsync<Page<CompanyView>>();
        Assert.DoesNotContain(companies.Items, c => c.Id == company.Id);
        var members = await (await Call("GET", "/api/v1/members", "/api/v1/members")).ReadAsync<List<MemberView>>();
        Assert.Equal([intruder.OwnerId], members.Select(m => m.Id));
        var keys = await (await Call("GET", "/api/v1/api-keys", "/api/v1/api-keys")).ReadAsync<List<ApiKeyView>>();
        Assert.DoesNotContain(keys, k => k.Id == key.Key.Id);
        var audit = await (await Call("GET", "/api/v1/audit", "/api/v1/audit?pageSize=100")).ReadAsync<Page<AuditEntryView>>();
        // The intruder's own company is named "Victim Co" too; nothing of the victim's rows may show.
        var victimIds = new[] { member.Id, key.Key.Id, company.Id, contact.Id, ticket.Id }.Select(id => id.ToString()).ToHashSet();
        Assert.DoesNotContain(audit.Items, a => victimIds.Contains(a.TargetId ?? "") || a.Detail?.Contains("Victim ticket", StringComparison.Ordinal) == true
            || a.Detail?.Contains("Vera", StringComparison.Ordinal) == true);
        var export = await (await Call("GET", "/api/v1/audit/export", "/api/v1/audit/export")).ReadAsync<List<ExportedAuditEntry>>();
        Assert.DoesNotContain(export, a => a.TargetId == member.Id.ToString() || a.TargetId == key.Key.Id.ToString());
        var tickets = await (await Call("GET", "/api/v1/tickets", "/api/v1/tickets?state=")).ReadAsync<Page<TicketView>>();
        Assert.Equal([ownTicket.Id], tickets.Items.Select(t => t.Id));
        Assert.Empty((await (await api.GetAsync($"/api/v1/tickets?companyId={company.Id}&search=victim")).ReadAsync<Page<TicketView>>()).Items);
        Assert.Equal(TicketSettings.Defaults(), (await (await Call("GET", "/api/v1/settings/tickets", "/api/v1/settings/tickets")).ReadAsync<TicketSettingsView>()).Statuses);
        Assert.Empty(await (await Call("GET", "/api/v1/phone-numbers", "/api/v1/phone-numbers")).ReadAsync<List<PhoneNumberView>>());
        var tenant = await (await Call("GET", "/api/v1/tenant", "/api/v1/tenant")).ReadAsync<TenantView>();
        Assert.Equal(intruder.Id, tenant.Id);

        Assert.Empty((await (await Call("GET", "/api/v1/tech-verifications", "/api/v1/tech-verifications")).ReadAsync<Page<TechnicianVerificationView>>()).Items);
        Assert.Empty((await (await Call("GET", "/api/v1/inbound-messages", "/api/v1/inbound-messages")).ReadAsync<Page<InboundMessageView>>()).Items);

        var outbox = await (await Call("GET", "/api/v1/outbox", "/api/v1/outbox")).ReadAsync<Page<OutboxMessageView>>();
        Assert.DoesNotContain(outbox.Items, m => m.VerificationId == verification.Id || m.To == "+14155550177");
        Assert.Equal(5, (await (await Call("GET", "/api/v1/settings/verification", "/api/v1/settings/verification")).ReadAsync<VerificationSettingsView>()).LifetimeMinutes);
        Assert.Equal(MessageProvider.Outbox, (await (await Call("GET", "/api/v1/settings/delivery", "/api/v1/settings/delivery")).ReadAsync<DeliverySettingsView>()).SmsProvider);

        Assert.Equal(60, (await (await Call("GET", "/api/v1/settings/secrets", "/api/v1/settings/secrets")).ReadAsync<SecretSettingsView>()).TextLifetimeMinutes);

        // Writes that act on "the caller's own" resource stay inside the intruder's tenant.
        (await Call("PUT", "/api/v1/settings/verification", "/api/v1/settings/verification", Json(new { lifetimeMinutes = 9 }))).EnsureSuccessStatusCode();
        (await Call("PUT", "/api/v1/settings/tickets", "/api/v1/settings/tickets", Json(new { statuses = new[] { new { name = "New", isClosed = false }, new { name = "Shut", isClosed = true } } })))
            .EnsureSuccessStatusCode();
        (await Call("PUT", "/api/v1/settings/delivery", "/api/v1/settings/delivery", Json(new { smtpHost = "smtp.intruder.test" }))).EnsureSuccessStatusCode();
        (await Call("POST", "/api/v1/settings/delivery/test", "/api/v1/settings/delivery/test", Json(new { channel = "sms", to = "+14155550177" })))
            .EnsureSuccessStatusCode();
        (await Call("PUT", "/api/v1/tenant", "/api/v1/tenant", Json(new { defaultRegion = "GB" }))).EnsureSuccessStatusCode();
        (await Call("PUT", "/api/v1/settings/secrets", "/api/v1/settings/secrets", Json(new { textLifetimeMinutes = 30 }))).EnsureSuccessStatusCode();
        var newMember = await (await Call("POST", "/api/v1/members", "/api/v1/members", Json(new { email = $"i-{Guid.NewGuid():N}@intruder.test", password = "twelve chars long", role = "technician" })))
            .ReadAsync<MemberView>(HttpStatusCode.Created);
        (await Call("POST", "/api/v1/api-keys", "/api/v1/api-keys", Json(new { name = "mine", scope = "read" }))).EnsureSuccessStatusCode();

        Assert.Equal(snapshot, await SnapshotAsync(victim.Api, company.Id, contact.Id, verification.Id, ticket.Id, techRequest, secret.Secret.Id));
        Assert.False((await (await victim.Api.GetAsync($"/api/v1/secrets/{fileSecret.Secret.Id}")).ReadAsync<SecretView>()).Files.Single().Uploaded);
        Assert.Null((await (await victim.Api.GetAsync("/api/v1/settings/delivery")).ReadAsync<DeliverySettingsView>()).SmtpHost);
        Assert.Equal(3, (await (await victim.Api.GetAsync("/api/v1/settings/verification")).ReadAsync<VerificationSettingsView>()).LifetimeMinutes);
        Assert.Equal(15, (await (await victim.Api.GetAsync("/api/v1/settings/secrets")).ReadAsync<SecretSettingsView>()).TextLifetimeMinutes);
        Assert.Equal(["Open", "Done"], (await (await victim.Api.GetAsync("/api/v1/settings/tickets")).ReadAsync<TicketSettingsView>()).Statuses.Select(x => x.Name));
        var victimMembers = await (await victim.Api.GetAsync("/api/v1/members")).ReadAsync<List<MemberView>>();
        Assert.DoesNotContain(victimMembers, m => m.Id == newMember.Id);
        Assert.Equal(MemberRole.Technician, victimMembers.Single(m => m.Id == member.Id).Role);
        Assert.Equal(HttpStatusCode.OK, (await factory.ApiClient(key.Secret).GetAsync("/api/v1/contacts")).StatusCode);
        Assert.Equal("US", (await (await victim.Api.GetAsync("/api/v1/tenant")).ReadAsync<TenantView>()).DefaultRegion);

        var apiEndpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')}"))
            .ToHashSet(StringComparer.Ordinal);
        Assert.Equal(58, apiEndpoints.Count);
        Assert.Equal(apiEndpoints.Order(StringComparer.Ordinal), covered.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task PooledContext_WithoutACaller_SeesNoTenantsRows()
    {
        var tenant = await factory.CreateTenantAsync("Pool " + Guid.NewGuid().ToString("N")[..8]);
        (await tenant.Api.PostJsonAsync("/api/v1/contacts", new { firstName = "Pia" })).EnsureSuccessStatusCode();
        Assert.Single((await (await tenant.Api.GetAsync("/api/v1/contacts")).ReadAsync<Page<ContactView>>()).Items);

        // The pool hands back contexts that served the requests above; none may still carry that request's tenant.
        var pool = factory.Services.GetRequiredService<IDbContextFactory<VouchDbContext>>();
        for (var i = 0; i < 4; i++)
        {
            await using var db = pool.CreateDbContext();
            Assert.Equal(0, await db.Contacts.CountAsync());
            Assert.Equal(0, await db.AuditEntries.CountAsync());
        }
    }

    private static async Task<string> SnapshotAsync(HttpClient api, Guid companyId, Guid contactId, Guid verificationId, Guid ticketId, Guid techRequestId, Guid secretId) =>
        await (await api.GetAsync($"/api/v1/verifications/{verificationId}")).Content.ReadAsStringAsync()
        + await (await api.GetAsync($"/api/v1/tech-verifications/{techRequestId}")).Content.ReadAsStringAsync()
        + await (await api.GetAsync($"/api/v1/secrets/{secretId}")).Content.ReadAsStringAsync()
        + await (await api.GetAsync("/api/v1/inbound-messages")).Content.ReadAsStringAsync()
        + await (await api.GetAsync($"/api/v1/tickets/{ticketId}")).Content.ReadAsStringAsync()
        + await (await api.GetAsync("/api/v1/tickets?state=")).Content.ReadAsStringAsync()
        + await (await api.GetAsync($"/api/v1/contacts/{contactId}/verifications")).Content.ReadAsStringAsync()
        + await (await api.GetAsync($"/api/v1/companies/{companyId}")).Content.ReadAsStringAsync()
        + await (await api.GetAsync($"/api/v1/contacts/{contactId}")).Content.ReadAsStringAsync()
        + await (await api.GetAsync("/api/v1/contacts")).Content.ReadAsStringAsync()
        + await (await api.GetAsync("/api/v1/api-keys")).Content.ReadAsStringAsync()
        + await (await api.GetAsync("/api/v1/phone-numbers")).Content.ReadAsStringAsync();
}

public sealed class TenantIsolationOnSqlite(SqliteVouch factory) : TenantIsolationTests<SqliteVouch>(factory), IClassFixture<SqliteVouch>;

public sealed class TenantIsolationOnPostgres(PostgresVouch factory) : TenantIsolationTests<PostgresVouch>(factory), IClassFixture<PostgresVouch>;
