using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Vouch.Core;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Delivery;
using Vouch.Core.Features.PhoneNumbers;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Storage;
using Vouch.Server.Tests.Infrastructure;
using static Vouch.Server.Tests.Infrastructure.Texting;
using Vouch.Testing.StandIns;

namespace Vouch.Server.Tests.Features.PhoneNumbers;

public abstract class PhoneNumbersApiTests<TFactory>(TFactory factory) where TFactory : VouchFactory
{
    [Fact]
    public async Task Add_ThenListGetUpdateDelete_RoundTripsEveryField_AndAuditsEachChange()
    {
        var tenant = await TenantAsync();
        var typed = NewNumber();

        var added = await (await tenant.Api.PostJsonAsync("/api/v1/phone-numbers", new { number = Local(typed), purpose = "verification", provider = "outbox", label = "  Front desk " }))
            .ReadAsync<PhoneNumberView>(HttpStatusCode.Created);
        var listed = await (await tenant.Api.GetAsync("/api/v1/phone-numbers")).ReadAsync<List<PhoneNumberView>>();
        var fetched = await (await tenant.Api.GetAsync($"/api/v1/phone-numbers/{added.Id}")).ReadAsync<PhoneNumberView>();
        var relabelled = await (await tenant.Api.PutJsonAsync($"/api/v1/phone-numbers/{added.Id}", new { label = "Verification line" })).ReadAsync<PhoneNumberView>();
        var toTwilio = await (await tenant.Api.PutJsonAsync($"/api/v1/phone-numbers/{added.Id}", new
        {
            provider = "twilio", twilioAccountSid = TwilioStandIn.AccountSid, twilioAuthToken = TwilioStandIn.AuthToken,
        })).ReadAsync<PhoneNumberView>();
        var cleared = await (await tenant.Api.PutJsonAsync($"/api/v1/phone-numbers/{added.Id}", new { label = "" })).ReadAsync<PhoneNumberView>();
        var deleted = await tenant.Api.DeleteAsync($"/api/v1/phone-numbers/{added.Id}");

        Assert.Equal((typed, PhoneNumberPurpose.Verification, MessageProvider.Outbox, "Front desk", null, false, null),
            (added.Number, added.Purpose, added.Provider, added.Label, added.TwilioAccountSid, added.HasTwilioAuthToken, added.WebhookUrl));
        Assert.Equal(factory.Clock.GetUtcNow().UtcDateTime, added.CreatedAt, TimeSpan.FromMilliseconds(1));
        Assert.Equal([added], listed);
        Assert.Equal(added, fetched);
        Assert.Equal(("Verification line", MessageProvider.Outbox), (relabelled.Label, relabelled.Provider));
        Assert.Equal((MessageProvider.Twilio, TwilioStandIn.AccountSid, true, "Verification line"), (toTwilio.Provider, toTwilio.TwilioAccountSid, toTwilio.HasTwilioAuthToken, toTwilio.Label));
        Assert.EndsWith("/webhooks/twilio/sms", toTwilio.WebhookUrl, StringComparison.Ordinal);
        Assert.Equal((null, MessageProvider.Twilio, true), (cleared.Label, cleared.Provider, cleared.HasTwilioAuthToken));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await (await tenant.Api.GetAsync($"/api/v1/phone-numbers/{added.Id}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await tenant.Api.DeleteAsync($"/api/v1/phone-numbers/{added.Id}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await tenant.Api.PutJsonAsync($"/api/v1/phone-numbers/{added.Id}", new { label = "x" })).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty(await (await tenant.Api.GetAsync("/api/v1/phone-numbers")).ReadAsync<List<PhoneNumberView>>());

        var audit = await (await tenant.Api.GetAsync($"/api/v1/audit?targetId={added.Id}")).ReadAsync<Page<AuditEntryView>>();
        Assert.Equal(
            ["phone_number.removed", "phone_number.updated", "settings.provider_address_changed", "phone_number.updated", "phone_number.updated", "phone_number.added"],
            audit.Items.Select(a => a.Action));
        Assert.Equal($"{typed} for verification through outbox, label Front desk", audit.Items[^1].Detail);
        Assert.Equal($"{typed} through twilio account {TwilioStandIn.AccountSid}, auth token set, label Verification line", audit.Items[3].Detail);
        Assert.Equal($"{typed} twilio: none -> {TwilioStandIn.AccountSid}", audit.Items[2].Detail);
    }

    [Fact]
    public async Task Add_BadFields_AnswersProblemNamingEachField()
    {
        var tenant = await TenantAsync();

        var invalid = await tenant.Api.PostJsonAsync("/api/v1/phone-numbers", new { number = "+1 555", provider = "twilio", twilioAccountSid = "AC123", label = new string('x', 101) });
        var missing = await tenant.Api.PostJsonAsync("/api/v1/phone-numbers", new { number = "" });
        var outboxWithSecrets = await tenant.Api.PostJsonAsync("/api/v1/phone-numbers", new { number = NewNumber(), provider = "outbox", twilioAccountSid = TwilioStandIn.AccountSid, twilioAuthToken = "x" });
        var email = await tenant.Api.PostJsonAsync("/api/v1/phone-numbers", new { number = NewNumber(), provider = "smtp" });
        var unknownProvider = await tenant.Api.PostJsonAsync("/api/v1/phone-numbers", new { number = NewNumber(), provider = "carrier-pigeon" });

        var problem = await invalid.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["label", "number", "twilioAccountSid", "twilioAuthToken"], problem.Keys.Order());
        Assert.Equal("is not a valid number for region US", problem["number"].Single());
        Assert.Equal("must be AC followed by 32 hexadecimal characters", problem["twilioAccountSid"].Single());
        Assert.Equal("is required for twilio numbers", problem["twilioAuthToken"].Single());
        var none = await missing.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(("is empty", "is required: outbox or twilio"), (none["number"].Single(), none["provider"].Single()));
        Assert.Equal(["twilioAccountSid", "twilioAuthToken"], (await outboxWithSecrets.ProblemAsync(HttpStatusCode.BadRequest)).Keys.Order());
        Assert.Equal("must be outbox or twilio", (await email.ProblemAsync(HttpStatusCode.BadRequest))["provider"].Single());
        Assert.Equal(["provider"], (await unknownProvider.ProblemAsync(HttpStatusCode.BadRequest)).Keys);
        Assert.Empty(await (await tenant.Api.GetAsync("/api/v1/phone-numbers")).ReadAsync<List<PhoneNumberView>>());
    }

    [Fact]
    public async Task Add_NumberAnotherTenantHas_IsRefusedWithoutNamingTheTenant()
    {
        var owner = await TenantAsync("Owning MSP");
        var other = await TenantAsync();
        var number = NewNumber();
        (await owner.Api.PostJsonAsync("/api/v1/phone-numbers", new { number, provider = "outbox" })).EnsureSuccessStatusCode();

        var again = await owner.Api.PostJsonAsync("/api/v1/phone-numbers", new { number = Local(number), provider = "outbox" });
        var taken = await other.Api.PostJsonAsync("/api/v1/phone-numbers", new { number, provider = "twilio", twilioAccountSid = TwilioStandIn.AccountSid, twilioAuthToken = "secret-token" });
        var body = await taken.Content.ReadAsStringAsync();

        Assert.Equal("is already one of your numbers", (await again.ProblemAsync(HttpStatusCode.Conflict))["number"].Single());
        Assert.Equal(["number"], (await taken.ProblemAsync(HttpStatusCode.Conflict)).Keys);
        Assert.DoesNotContain("Owning", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(owner.Id.ToString(), body, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await (await other.Api.GetAsync("/api/v1/phone-numbers")).ReadAsync<List<PhoneNumberView>>());

        // Once removed, the number is free for any tenant.
        var ownerNumber = (await (await owner.Api.GetAsync("/api/v1/phone-numbers")).ReadAsync<List<PhoneNumberView>>()).Single();
        (await owner.Api.DeleteAsync($"/api/v1/phone-numbers/{ownerNumber.Id}")).EnsureSuccessStatusCode();
        (await other.Api.PostJsonAsync("/api/v1/phone-numbers", new { number, provider = "outbox" })).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task TwilioNumber_TokenIsNeverReturned_StoredEncrypted_AndKeptWhenAbsent()
    {
        var tenant = await TenantAsync();
        const string token = "number-token-5b1e0c9a77d24f0e";

        var addedResponse = await tenant.Api.PostJsonAsync("/api/v1/phone-numbers", new
        {
            number = NewNumber(), provider = "twilio", twilioAccountSid = TwilioStandIn.AccountSid, twilioAuthToken = token,
        });
        var addedBody = await addedResponse.Content.ReadAsStringAsync();
        var added = await addedResponse.ReadAsync<PhoneNumberView>(HttpStatusCode.Created);
        var protectedBefore = await StoredTokenAsync(added.Id);
        var relabelled = await tenant.Api.PutJsonAsync($"/api/v1/phone-numbers/{added.Id}", new { label = "Kept token", twilioAuthToken = "" });
        var protectedAfter = await StoredTokenAsync(added.Id);
        var bodies = new[]
        {
            addedBody,
            await relabelled.Content.ReadAsStringAsync(),
            await (await tenant.Api.GetAsync($"/api/v1/phone-numbers/{added.Id}")).Content.ReadAsStringAsync(),
            await (await tenant.Api.GetAsync("/api/v1/phone-numbers")).Content.ReadAsStringAsync(),
            await (await tenant.Api.GetAsync("/api/v1/audit/export")).Content.ReadAsStringAsync(),
        };

        Assert.All(bodies, body => Assert.DoesNotContain(token, body, StringComparison.Ordinal));
        Assert.Contains("\"hasTwilioAuthToken\":true", addedBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, relabelled.StatusCode);
        Assert.NotNull(protectedBefore);
        Assert.DoesNotContain(token, protectedBefore, StringComparison.Ordinal);
        Assert.Equal(protectedBefore, protectedAfter);
        await using var scope = factory.Services.CreateAsyncScope();
        Assert.Equal(token, scope.ServiceProvider.GetRequiredService<ISecretProtector>().Unprotect(protectedAfter!));

        // Back to the outbox: the credentials are dropped, and a twilio number needs them given again.
        var toOutbox = await (await tenant.Api.PutJsonAsync($"/api/v1/phone-numbers/{added.Id}", new { provider = "outbox" })).ReadAsync<PhoneNumberView>();
        var backWithoutToken = await tenant.Api.PutJsonAsync($"/api/v1/phone-numbers/{added.Id}", new { provider = "twilio" });
        Assert.Equal((MessageProvider.Outbox, null, false), (toOutbox.Provider, toOutbox.TwilioAccountSid, toOutbox.HasTwilioAuthToken));
        Assert.Null(await StoredTokenAsync(added.Id));
        Assert.Equal(["twilioAccountSid", "twilioAuthToken"], (await backWithoutToken.ProblemAsync(HttpStatusCode.BadRequest)).Keys.Order());
    }

    // A stored token belongs to the account it was entered for: a new SID with the old token would hand it to another account.
    [Fact]
    public async Task Update_AccountSidChangedWithoutToken_IsRefused_WithTokenAuditsOldAndNewAccount()
    {
        var tenant = await TenantAsync();
        var otherSid = "AC" + new string('c', 32);
        const string newToken = "other-account-token-3c1d";
        var added = await (await tenant.Api.PostJsonAsync("/api/v1/phone-numbers", new
        {
            number = NewNumber(), provider = "twilio", twilioAccountSid = TwilioStandIn.AccountSid, twilioAuthToken = TwilioStandIn.AuthToken,
        })).ReadAsync<PhoneNumberView>(HttpStatusCode.Created);
        var before = await StoredTokenAsync(added.Id);

        var refused = await tenant.Api.PutJsonAsync($"/api/v1/phone-numbers/{added.Id}", new { twilioAccountSid = otherSid });
        var afterRefusal = await StoredTokenAsync(added.Id);
        var moved = await (await tenant.Api.PutJsonAsync($"/api/v1/phone-numbers/{added.Id}", new { twilioAccountSid = otherSid, twilioAuthToken = newToken }))
            .ReadAsync<PhoneNumberView>();
        var audit = await (await tenant.Api.GetAsync($"/api/v1/audit?targetId={added.Id}&action=settings.provider_address_changed")).ReadAsync<Page<AuditEntryView>>();

        Assert.Equal(["twilioAuthToken"], (await refused.ProblemAsync(HttpStatusCode.BadRequest)).Keys);
        Assert.Equal(before, afterRefusal);
        Assert.Equal((otherSid, true), (moved.TwilioAccountSid, moved.HasTwilioAuthToken));
        await using var scope = factory.Services.CreateAsyncScope();
        Assert.Equal(newToken, scope.ServiceProvider.GetRequiredService<ISecretProtector>().Unprotect((await StoredTokenAsync(added.Id))!));
        var entry = audit.Items.First(a => a.Action == "settings.provider_address_changed");
        Assert.Equal($"{added.Number} twilio: {TwilioStandIn.AccountSid} -> {otherSid}; the secret stored for the old address was dropped", entry.Detail);
        Assert.DoesNotContain(newToken, entry.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadKey_ListsAndReads_ButCannotAddChangeOrRemove()
    {
        var tenant = await TenantAsync();
        var reader = await factory.KeyClientAsync(tenant, ApiKeyScope.Read);
        var number = await AddOutboxNumberAsync(tenant);

        Assert.Single(await (await reader.GetAsync("/api/v1/phone-numbers")).ReadAsync<List<PhoneNumberView>>());
        Assert.Equal(number.Id, (await (await reader.GetAsync($"/api/v1/phone-numbers/{number.Id}")).ReadAsync<PhoneNumberView>()).Id);
        await (await reader.PostJsonAsync("/api/v1/phone-numbers", new { number = NewNumber(), provider = "outbox" })).ProblemAsync(HttpStatusCode.Forbidden);
        await (await reader.PutJsonAsync($"/api/v1/phone-numbers/{number.Id}", new { label = "Mine" })).ProblemAsync(HttpStatusCode.Forbidden);
        await (await reader.DeleteAsync($"/api/v1/phone-numbers/{number.Id}")).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(number, (await (await tenant.Api.GetAsync("/api/v1/phone-numbers")).ReadAsync<List<PhoneNumberView>>()).Single());
    }

    [Fact]
    public async Task Technician_IsRefusedEveryChange_ByTheUseCases()
    {
        var tenant = await TenantAsync();
        var number = await AddOutboxNumberAsync(tenant);
        await tenant.AddMemberAsync("technician");
        var member = (await (await tenant.Api.GetAsync("/api/v1/members")).ReadAsync<List<MemberView>>()).Single(m => m.Role == MemberRole.Technician);

        await using var scope = factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Caller>().ActAsMember(tenant.Id, member.Id, "Tech", MemberRole.Technician);
        var services = scope.ServiceProvider;
        var add = await services.GetRequiredService<AddPhoneNumber>().HandleAsync(new AddPhoneNumberRequest(NewNumber(), null, MessageProvider.Outbox, null, null, null), CancellationToken.None);
        var update = await services.GetRequiredService<UpdatePhoneNumber>().HandleAsync(number.Id, new UpdatePhoneNumberRequest("Mine", null, null, null), CancellationToken.None);
        var delete = await services.GetRequiredService<DeletePhoneNumber>().HandleAsync(number.Id, CancellationToken.None);
        var list = await services.GetRequiredService<ListPhoneNumbers>().HandleAsync(CancellationToken.None);

        Assert.IsType<Forbidden>(add.Failure);
        Assert.IsType<Forbidden>(update.Failure);
        Assert.IsType<Forbidden>(delete.Failure);
        Assert.Equal((number.Id, null), (list.Single().Id, list.Single().Label));
    }

    [Fact]
    public async Task OptedOutNumber_VerificationSmsIsRefused_EmailStillWorks_AndQueuedTextsFail()
    {
        var (tenant, contact) = await factory.TenantWithContactAsync("Opt-out");
        await factory.OptOutAsync(tenant.Id, "+14155550199");

        var sms = await tenant.Api.PostJsonAsync("/api/v1/verifications", new { contactId = contact.Id, channel = "sms_code", destination = "(415) 555-0199" });
        var otherNumber = await tenant.Api.PostJsonAsync("/api/v1/verifications", new { contactId = contact.Id, channel = "sms_code", destination = "+44 20 7946 0958" });
        var email = await tenant.Api.PostJsonAsync("/api/v1/verifications", new { contactId = contact.Id, channel = "email_code", destination = "ann.lee@contoso.com" });
        var test = await (await tenant.Api.PostJsonAsync("/api/v1/settings/delivery/test", new { channel = "sms", to = "+14155550199" })).ReadAsync<OutboxMessageView>(HttpStatusCode.Created);

        Assert.Equal("has opted out of texts (replied STOP); use another channel", (await sms.ProblemAsync(HttpStatusCode.BadRequest))["destination"].Single());
        Assert.Equal(HttpStatusCode.Created, otherNumber.StatusCode);
        Assert.Equal(HttpStatusCode.Created, email.StatusCode);
        var failed = await factory.SettledAsync(test.Id);
        Assert.Equal((MessageState.Failed, DeliverMessages.OptedOutReason), (failed.State, failed.LastError));

        // The opt-out belongs to the tenant it was texted to: another tenant still reaches the number.
        var (other, otherContact) = await factory.TenantWithContactAsync("Not opted out");
        var elsewhere = await other.Api.PostJsonAsync("/api/v1/verifications", new { contactId = otherContact.Id, channel = "sms_code", destination = "(415) 555-0199" });
        Assert.Equal(HttpStatusCode.Created, elsewhere.StatusCode);
    }

    private async Task<TestTenant> TenantAsync(string prefix = "Numbers") => await factory.CreateTenantAsync(prefix + " " + Guid.NewGuid().ToString("N")[..8]);

    private static async Task<PhoneNumberView> AddOutboxNumberAsync(TestTenant tenant) =>
        await (await tenant.Api.PostJsonAsync("/api/v1/phone-numbers", new { number = NewNumber(), provider = "outbox" })).ReadAsync<PhoneNumberView>(HttpStatusCode.Created);

    /// <summary>The number as a US person types it, read in the tenant's default region.</summary>
    private static string Local(string e164) => $"({e164[2..5]}) {e164[5..8]}-{e164[8..]}";

    private async Task<string?> StoredTokenAsync(Guid id)
    {
        await using var db = factory.Services.GetRequiredService<IDbContextFactory<VouchDbContext>>().CreateDbContext();
        return await db.PhoneNumbers.IgnoreQueryFilters().Where(n => n.Id == id).Select(n => n.TwilioAuthTokenProtected).SingleAsync();
    }
}

public sealed class PhoneNumbersApiOnSqlite(SqliteVouch factory) : PhoneNumbersApiTests<SqliteVouch>(factory), IClassFixture<SqliteVouch>;

public sealed class PhoneNumbersApiOnPostgres(PostgresVouch factory) : PhoneNumbersApiTests<PostgresVouch>(factory), IClassFixture<PostgresVouch>;
