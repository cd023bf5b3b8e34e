using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Vouch.Core;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Directory;
using Vouch.Core.Features.InboundSms;
using Vouch.Core.Features.TechnicianVerification;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Features.Tickets;
using Vouch.Server.Tests.Infrastructure;
using static Vouch.Server.Tests.Infrastructure.Verifications;

namespace Vouch.Server.Tests.Features.TechnicianVerification;

/// <summary>#verify, #confirm and #reject through Twilio's signed webhook and the outbox simulation, on a real database.</summary>
public abstract class TechnicianVerificationTests<TFactory>(TFactory factory) where TFactory : VouchFactory
{
    private const string Mobile = InboundTexts.ContactMobile;
    private const string Token = "twilio-auth-token-of-the-number";

    [Fact]
    public async Task Verify_FromKnownContact_CodeToContactAndConsole_ThenClaimAndConfirm_NotesTheTicket()
    {
        var (tenant, contact, number) = await SetUpAsync();

        var verify = await tenant.SimulateAsync("(415) 555-0123", number, " #Verify ");

        var request = (await ListAsync(tenant, "open")).Single();
        Assert.Equal((contact.Id, Mobile, TechnicianVerificationStatus.Pending), (request.ContactId, request.ContactNumber, request.Status));
        Assert.Equal((SmsKeyword.Verify, request.Id, Mobile), (verify.Keyword, verify.TechnicianVerificationId, verify.From));
        Assert.Equal("Ann Lee", request.ContactName);
        Assert.Equal(factory.Clock.GetUtcNow().UtcDateTime.AddMinutes(10), request.ExpiresAt, TimeSpan.FromSeconds(1));
        var text = (await tenant.TextsToAsync(Mobile, 1)).Single();
        Assert.Equal(request.Code, Code(text.Body));
        Assert.Contains("#confirm", text.Body, StringComparison.Ordinal);

        // Claiming without a ticket opens one for the contact's company; from then on only the claimant sees the code.
        var claimed = await (await tenant.Api.PostJsonAsync($"/api/v1/tech-verifications/{request.Id}/claim", new { })).ReadAsync<TechnicianVerificationView>();
        Assert.True(claimed.ClaimedByYou);
        Assert.Equal(request.Code, claimed.Code);
        var colleague = await factory.KeyClientAsync(tenant, ApiKeyScope.Write);
        var seenByColleague = await (await colleague.GetAsync($"/api/v1/tech-verifications/{request.Id}")).ReadAsync<TechnicianVerificationView>();
        Assert.Null(seenByColleague.Code);
        var secondClaim = await (await colleague.PostJsonAsync($"/api/v1/tech-verifications/{request.Id}/claim", new { })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("has already claimed it", secondClaim["id"].Single(), StringComparison.Ordinal);

        factory.Clock.Advance(TimeSpan.FromSeconds(30)); // the technician reads the code out
        await tenant.SimulateAsync(Mobile, number, "#CONFIRM");

        var confirmed = await (await tenant.Api.GetAsync($"/api/v1/tech-verifications/{request.Id}")).ReadAsync<TechnicianVerificationView>();
        Assert.Equal(TechnicianVerificationStatus.Confirmed, confirmed.Status);
        Assert.Null(confirmed.Code);
        Assert.Contains(await tenant.TextsToAsync(Mobile, 2), t => t.Body.Contains("the technician is confirmed", StringComparison.Ordinal));
        var ticket = await TicketAsync(tenant, claimed.TicketReference!);
        Assert.Equal(contact.Id, ticket.Ticket.ContactId);
        Assert.Equal(2, ticket.Notes.Count);
        Assert.Contains($"texted #verify from {Mobile}", ticket.Notes[0].Body, StringComparison.Ordinal);
        Assert.Contains($"CONFIRMED: Ann Lee texted #confirm from {Mobile}", ticket.Notes[1].Body, StringComparison.Ordinal);
        Assert.Contains("Claimed by", ticket.Notes[1].Body, StringComparison.Ordinal);
        Assert.True(ticket.Notes.All(n => n.IsInternal));
        var actions = await AuditAsync(tenant, request.Id);
        Assert.Superset(new HashSet<string> { "technician_verification.requested", "technician_verification.claimed", "technician_verification.confirmed" }, actions);
        var requested = (await (await tenant.Api.GetAsync("/api/v1/audit?action=technician_verification.requested")).ReadAsync<Page<AuditEntryView>>()).Items.Single();
        Assert.Contains($"#verify from {Mobile}", requested.Detail, StringComparison.Ordinal);
        Assert.Contains(verify.Id.ToString(), requested.Detail, StringComparison.Ordinal);
        var received = await (await tenant.Api.GetAsync("/api/v1/inbound-messages")).ReadAsync<Page<InboundMessageView>>();
        Assert.Equal([SmsKeyword.Confirm, SmsKeyword.Verify], received.Items.Select(m => m.Keyword));
        Assert.All(received.Items, m => Assert.StartsWith("SIM", m.ProviderMessageId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_FromUnknownNumber_StartsNothing_AndLogsTheSourceNumber()
    {
        var (tenant, _, number) = await SetUpAsync();

        var received = await tenant.SimulateAsync("+1 (415) 555-0177", number, "#verify");

        Assert.Equal("no code sent: unknown number", received.Outcome);
        Assert.Empty(await ListAsync(tenant, null));
        Assert.Empty(await factory.SettledTextsToAsync(tenant, "+14155550177"));
        var audit = await (await tenant.Api.GetAsync("/api/v1/audit?action=sms.received")).ReadAsync<Page<AuditEntryView>>();
        Assert.Contains("from +14155550177", audit.Items.Single().Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_FromAnotherTenantsContact_StartsNothingInEitherTenant()
    {
        var (tenant, _, number) = await SetUpAsync();
        var (other, _, _) = await SetUpAsync();

        // The other tenant's contact has a number this tenant does not know.
        (await other.Api.PostJsonAsync("/api/v1/contacts", new { firstName = "Otto", phones = new[] { new { number = "+14155550188", type = "mobile" } } })).EnsureSuccessStatusCode();
        var received = await tenant.SimulateAsync("+14155550188", number, "#verify");

        Assert.Equal("no code sent: unknown number", received.Outcome);
        Assert.Empty(await ListAsync(tenant, null));
        Assert.Empty(await ListAsync(other, null));
        Assert.Empty(await factory.SettledTextsToAsync(tenant, "+14155550188"));
        Assert.Empty(await factory.SettledTextsToAsync(other, "+14155550188"));
    }

    [Fact]
    public async Task Stop_OptsOut_UntilStart_AndOnlyTheStopConfirmationIsSent()
    {
        var (tenant, contact, number) = await SetUpAsync();

        Assert.Equal("opted out: nothing more will be sent to this number", (await tenant.SimulateAsync(Mobile, number, "stop")).Outcome);
        Assert.Equal("no code sent: the number has opted out (STOP)", (await tenant.SimulateAsync(Mobile, number, "#verify")).Outcome);
        Assert.Equal("HELP from an opted-out number: nothing sent", (await tenant.SimulateAsync(Mobile, number, "HELP")).Outcome);
        var whileOptedOut = await factory.SettledTextsToAsync(tenant, Mobile);
        Assert.Contains("no more texts", whileOptedOut.Single().Body, StringComparison.Ordinal);
        Assert.Empty(await ListAsync(tenant, null));

        Assert.Equal("opted in again: texts resume", (await tenant.SimulateAsync(Mobile, number, "Start")).Outcome);
        Assert.Equal("help text sent", (await tenant.SimulateAsync(Mobile, number, "help")).Outcome);
        Assert.Equal("technician verification requested: code sent", (await tenant.SimulateAsync(Mobile, number, "#verify")).Outcome);
        var texts = await tenant.TextsToAsync(Mobile, 4);
        Assert.Contains(texts, t => t.Body.Contains("texts are on again", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Body.Contains("text #verify here", StringComparison.Ordinal));
        var code = (await ListAsync(tenant, "open")).Single().Code!;
        Assert.Contains(texts, t => t.Body.Contains(code, StringComparison.Ordinal));
        Assert.Equal(contact.Id, (await ListAsync(tenant, "open")).Single().ContactId);
    }

    [Fact]
    public async Task UnansweredRequest_Expires_IsLogged_AndNotedOnItsTicket()
    {
        var (tenant, _, number) = await SetUpAsync();
        await tenant.SimulateAsync(Mobile, number, "#verify");
        var request = (await ListAsync(tenant, "open")).Single();
        var claimed = await (await tenant.Api.PostJsonAsync($"/api/v1/tech-verifications/{request.Id}/claim", new { })).ReadAsync<TechnicianVerificationView>();

        factory.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Empty(await ListAsync(tenant, "open"));
        Assert.Equal("#confirm without a pending request: nothing done", (await tenant.SimulateAsync(Mobile, number, "#confirm")).Outcome);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<Caller>().ActAsSystemForAllTenants();
            Assert.True(await scope.ServiceProvider.GetRequiredService<ExpireTechnicianVerifications>().HandleAsync(200, CancellationToken.None) >= 1);
        }

        var expired = await (await tenant.Api.GetAsync($"/api/v1/tech-verifications/{request.Id}")).ReadAsync<TechnicianVerificationView>();
        Assert.Equal(TechnicianVerificationStatus.Expired, expired.Status);
        Assert.Contains("technician_verification.expired", await AuditAsync(tenant, request.Id));
        Assert.Contains("EXPIRED", (await TicketAsync(tenant, claimed.TicketReference!)).Notes[^1].Body, StringComparison.Ordinal);
        await (await tenant.Api.PostJsonAsync($"/api/v1/tech-verifications/{request.Id}/cancel", new { })).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Confirm_WithoutPendingRequest_DoesNothingAndSendsNothing()
    {
        var (tenant, _, number) = await SetUpAsync();

        var received = await tenant.SimulateAsync(Mobile, number, "#confirm");

        Assert.Equal("#confirm without a pending request: nothing done", received.Outcome);
        Assert.Null(received.TechnicianVerificationId);
        Assert.Empty(await factory.SettledTextsToAsync(tenant, Mobile));
    }

    [Fact]
    public async Task Reject_FlagsTheTicket_AlertsAdmins_AndWarnsTheContact()
    {
        var (tenant, _, number) = await SetUpAsync();
        await tenant.SimulateAsync(Mobile, number, "#verify");
        var request = (await ListAsync(tenant, "open")).Single();
        var claimed = await (await tenant.Api.PostJsonAsync($"/api/v1/tech-verifications/{request.Id}/claim", new { })).ReadAsync<TechnicianVerificationView>();

        factory.Clock.Advance(TimeSpan.FromSeconds(30));
        var received = await tenant.SimulateAsync(Mobile, number, "# reject");

        Assert.Equal(request.Id, received.TechnicianVerificationId);
        Assert.Equal(TechnicianVerificationStatus.Rejected, (await (await tenant.Api.GetAsync($"/api/v1/tech-verifications/{request.Id}")).ReadAsync<TechnicianVerificationView>()).Status);
        var ticket = await TicketAsync(tenant, claimed.TicketReference!);
        Assert.NotNull(ticket.Ticket.FlaggedAt);
        Assert.Equal(TicketPriority.Urgent, ticket.Ticket.Priority);
        Assert.Contains("REJECTED", ticket.Notes[^1].Body, StringComparison.Ordinal);
        Assert.Contains(await tenant.TextsToAsync(Mobile, 2), t => t.Body.Contains("Do not go on with that call", StringComparison.Ordinal));
        var alert = await WaitForEmailAsync(tenant, tenant.OwnerEmail);
        Assert.Contains("rejected a caller", alert.Subject, StringComparison.Ordinal);
        Assert.Contains($"Ticket {claimed.TicketReference} is flagged", alert.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PendingRequests_AreCappedPerContact_AndVerifyTextsPerNumber()
    {
        var (tenant, _, number) = await SetUpAsync();

        var outcomes = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            outcomes.Add((await tenant.SimulateAsync(Mobile, number, "#verify")).Outcome);
        }

        Assert.Equal(3, outcomes.Count(o => o == "technician verification requested: code sent"));
        Assert.Equal("no code sent: the contact already has 3 pending requests", outcomes[3]);
        // Answering two makes room under the cap, but the number has used 4 of its 5 #verify texts this hour.
        await tenant.SimulateAsync(Mobile, number, "#confirm");
        await tenant.SimulateAsync(Mobile, number, "#confirm");
        Assert.Equal("technician verification requested: code sent", (await tenant.SimulateAsync(Mobile, number, "#verify")).Outcome);
        Assert.Equal("no code sent: too many #verify texts from this number", (await tenant.SimulateAsync(Mobile, number, "#verify")).Outcome);
        Assert.Equal(4, (await factory.SettledTextsToAsync(tenant, Mobile)).Count(t => t.Body.Contains("verification code", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Simulation_IsRefusedForNumbersOnARealProvider()
    {
        var (tenant, _, number) = await SetUpAsync(twilio: true);

        var problem = await (await tenant.Api.PostJsonAsync("/api/v1/outbox/inbound", new { from = Mobile, to = number, body = "#confirm" })).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("only numbers on the development outbox", problem["to"].Single(), StringComparison.Ordinal);
        var unknown = await (await tenant.Api.PostJsonAsync("/api/v1/outbox/inbound", new { from = Mobile, to = "+16505559999", body = "#verify" })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("must be one of your phone numbers", unknown["to"].Single());
    }

    private async Task<(TestTenant Tenant, ContactView Contact, string Number)> SetUpAsync(bool twilio = false) =>
        await factory.TenantWithVerificationNumberAsync(twilio ? Token : null);

    internal static async Task<IReadOnlyList<TechnicianVerificationView>> ListAsync(TestTenant tenant, string? status) =>
        (await (await tenant.Api.GetAsync("/api/v1/tech-verifications" + (status is null ? "" : "?status=" + status))).ReadAsync<Page<TechnicianVerificationView>>()).Items;

    private static async Task<TicketDetailView> TicketAsync(TestTenant tenant, string reference)
    {
        var tickets = await (await tenant.Api.GetAsync("/api/v1/tickets?state=&search=%23" + reference)).ReadAsync<Page<TicketView>>();
        return await (await tenant.Api.GetAsync($"/api/v1/tickets/{tickets.Items.Single().Id}")).ReadAsync<TicketDetailView>();
    }

    private static async Task<HashSet<string>> AuditAsync(TestTenant tenant, Guid id) =>
        (await (await tenant.Api.GetAsync($"/api/v1/audit?targetId={id}&pageSize=100")).ReadAsync<Page<AuditEntryView>>()).Items.Select(a => a.Action).ToHashSet();

    private static async Task<Vouch.Core.Features.Delivery.OutboxMessageView> WaitForEmailAsync(TestTenant tenant, string to)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var page = await (await tenant.Api.GetAsync("/api/v1/outbox?pageSize=100")).ReadAsync<Page<Vouch.Core.Features.Delivery.OutboxMessageView>>();
            if (page.Items.FirstOrDefault(m => m.To == to && m.Channel == Vouch.Core.Features.Delivery.Medium.Email) is { } email)
            {
                return email;
            }

            Assert.True(DateTime.UtcNow < deadline, "no alert e-mail within 15 s");
            await Task.Delay(50);
        }
    }
}

public sealed class TechnicianVerificationOnSqlite(SqliteVouch factory) : TechnicianVerificationTests<SqliteVouch>(factory), IClassFixture<SqliteVouch>;

public sealed class TechnicianVerificationOnPostgres(PostgresVouch factory) : TechnicianVerificationTests<PostgresVouch>(factory), IClassFixture<PostgresVouch>;
