using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Vouch.Core;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Delivery;
using Vouch.Core.Features.Directory;
using Vouch.Core.Features.Tickets;
using Vouch.Core.Features.Verification;
using Vouch.Server.Tests.Infrastructure;
using static Vouch.Server.Tests.Infrastructure.Verifications;

namespace Vouch.Server.Tests.Features.Verification;

public abstract class VerificationsApiTests<TFactory>(TFactory factory) where TFactory : VouchFactory
{
    [Fact]
    public async Task SmsCode_ReadBackFromOutbox_VerifiesContactAndLogsEveryStep()
    {
        var (tenant, contact) = await TenantWithContactAsync();
        var ticket = await TicketAsync(tenant);

        var started = await (await tenant.Api.PostJsonAsync("/api/v1/verifications", new
        {
            contactId = contact.Id, channel = "sms_code", destination = "(415) 555-0199", ticketReference = $"T-{ticket.Number}",
        })).ReadAsync<VerificationView>(HttpStatusCode.Created);

        Assert.Equal(VerificationStatus.Pending, started.Status);
        Assert.Equal("•••0199", started.Destination);
        Assert.Equal(factory.Clock.GetUtcNow().UtcDateTime.AddMinutes(5), started.ExpiresAt, TimeSpan.FromSeconds(1));
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        var other = await StartAsync(tenant, contact, "email_code", "ann.lee@contoso.com");
        var message = await OutboxMessageAsync(tenant, started.Id);
        await OutboxMessageAsync(tenant, other.Id);
        var filtered = await (await tenant.Api.GetAsync($"/api/v1/outbox?verificationId={started.Id}")).ReadAsync<Page<OutboxMessageView>>();
        Assert.Equal(message.Id, filtered.Items.Single().Id);
        Assert.Equal(Medium.Sms, message.Channel);
        Assert.Equal("+14155550199", message.To);
        var code = Code(message.Body);

        var verified = await (await tenant.Api.PostJsonAsync($"/api/v1/verifications/{started.Id}/code", new { code = $"{code[..3]} {code[3..]}" }))
            .ReadAsync<VerificationView>();

        Assert.Equal(VerificationStatus.Verified, verified.Status);
        Assert.Equal(DeliveryState.Sent, verified.Delivery);
        Assert.Equal(factory.Clock.GetUtcNow().UtcDateTime.AddMinutes(15), verified.VerifiedUntil!.Value, TimeSpan.FromSeconds(1));
        var history = await (await tenant.Api.GetAsync($"/api/v1/contacts/{contact.Id}/verifications")).ReadAsync<ContactVerificationsView>();
        Assert.Equal(Shield.Verified, history.Shield.Shield);
        Assert.Equal([other.Id, started.Id], history.History.Select(v => v.Id));
        var resource = await (await tenant.Api.GetAsync($"/api/v1/contacts/{contact.Id}")).ReadAsync<ContactView>();
        Assert.Equal(Shield.Verified, resource.Verification!.Shield);
        Assert.Equal(started.Id, resource.Verification.VerificationId);
        Assert.Equal(VerificationChannel.SmsCode, resource.Verification.Channel);
        var actions = (await (await tenant.Api.GetAsync($"/api/v1/audit?targetId={started.Id}&pageSize=100")).ReadAsync<Page<AuditEntryView>>())
            .Items.Select(a => a.Action).ToHashSet();
        Assert.Superset(new HashSet<string> { "verification.sent", "verification.delivered", "verification.verified" }, actions);

        // The outcome is an internal note on the ticket the verification named.
        Assert.Equal(ticket.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), started.TicketReference);
        var note = (await (await tenant.Api.GetAsync($"/api/v1/tickets/{ticket.Id}")).ReadAsync<TicketDetailView>()).Notes.Single();
        Assert.True(note.IsInternal);
        Assert.StartsWith("Identity verification VERIFIED by API key", note.Body, StringComparison.Ordinal);
        Assert.Contains("sms_code to •••0199", note.Body, StringComparison.Ordinal);

        // A code works once.
        var replay = await tenant.Api.PostJsonAsync($"/api/v1/verifications/{started.Id}/code", new { code });
        Assert.Contains("status", (await replay.ProblemAsync(HttpStatusCode.Conflict)).Keys);
    }

    [Fact]
    public async Task WrongCodes_CountDownThenFail_AndTheRightCodeNoLongerWorks()
    {
        var (tenant, contact) = await TenantWithContactAsync();
        var started = await StartAsync(tenant, contact, "email_code", "ann.lee@contoso.com");
        var code = Code((await OutboxMessageAsync(tenant, started.Id)).Body);
        var wrong = code == "000000" ? "111111" : "000000";

        for (var remaining = 4; remaining >= 0; remaining--)
        {
            var response = await tenant.Api.PostJsonAsync($"/api/v1/verifications/{started.Id}/code", new { code = wrong });
            var errors = await response.ProblemAsync(HttpStatusCode.BadRequest);
            Assert.Contains(remaining == 0 ? "failed" : $"{remaining} attempts remain", errors["code"].Single());
        }

        var sixth = await tenant.Api.PostJsonAsync($"/api/v1/verifications/{started.Id}/code", new { code });
        await sixth.ProblemAsync(HttpStatusCode.Conflict);
        var view = await (await tenant.Api.GetAsync($"/api/v1/verifications/{started.Id}")).ReadAsync<VerificationView>();
        Assert.Equal(VerificationStatus.Failed, view.Status);
        Assert.Equal(0, view.AttemptsRemaining);
        var history = await (await tenant.Api.GetAsync($"/api/v1/contacts/{contact.Id}/verifications")).ReadAsync<ContactVerificationsView>();
        Assert.Equal(Shield.Failed, history.Shield.Shield);
    }

    [Fact]
    public async Task MalformedCodes_AreRefusedNamingTheField_WithoutUsingAnAttempt()
    {
        var (tenant, contact) = await TenantWithContactAsync();
        var started = await StartAsync(tenant, contact, "email_code", "ann.lee@contoso.com");
        var code = Code((await OutboxMessageAsync(tenant, started.Id)).Body);

        foreach (var malformed in new[] { "12345", "1234567", "12a456", "twelve", "123 45 6 7" })
        {
            var errors = await (await tenant.Api.PostJsonAsync($"/api/v1/verifications/{started.Id}/code", new { code = malformed })).ProblemAsync(HttpStatusCode.BadRequest);
            Assert.Contains("did not count as an attempt", errors["code"].Single());
        }

        Assert.Equal(5, (await (await tenant.Api.GetAsync($"/api/v1/verifications/{started.Id}")).ReadAsync<VerificationView>()).AttemptsRemaining);
        var verified = await (await tenant.Api.PostJsonAsync($"/api/v1/verifications/{started.Id}/code", new { code })).ReadAsync<VerificationView>();
        Assert.Equal(VerificationStatus.Verified, verified.Status);
    }

    [Fact]
    public async Task Code_AfterLifetime_IsRefusedAsExpired()
    {
        var (tenant, contact) = await TenantWithContactAsync();
        var started = await StartAsync(tenant, contact, "sms_code", "+14155550199");
        var code = Code((await OutboxMessageAsync(tenant, started.Id)).Body);

        factory.Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        var late = await tenant.Api.PostJsonAsync($"/api/v1/verifications/{started.Id}/code", new { code });

        Assert.Contains("expired", (await late.ProblemAsync(HttpStatusCode.Conflict))["status"].Single());
        var view = await (await tenant.Api.GetAsync($"/api/v1/verifications/{started.Id}")).ReadAsync<VerificationView>();
        Assert.Equal(VerificationStatus.Expired, view.Status);
        var resource = await (await tenant.Api.GetAsync($"/api/v1/contacts/{contact.Id}")).ReadAsync<ContactView>();
        Assert.Equal(Shield.None, resource.Verification!.Shield);
    }

    [Fact]
    public async Task Sweep_ExpiresUnansweredVerification_AndNotesItsTicket()
    {
        var (tenant, contact) = await TenantWithContactAsync();
        var ticket = await TicketAsync(tenant);
        var started = await (await tenant.Api.PostJsonAsync("/api/v1/verifications", new
        {
            contactId = contact.Id, channel = "email_link", destination = "ann.lee@contoso.com", ticketReference = $"#{ticket.Number}",
        })).ReadAsync<VerificationView>(HttpStatusCode.Created);

        factory.Clock.Advance(TimeSpan.FromMinutes(6));
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<Vouch.Core.Features.Tenancy.Caller>().ActAsSystemForAllTenants();
            Assert.True(await scope.ServiceProvider.GetRequiredService<ExpireVerifications>().HandleAsync(200, CancellationToken.None) >= 1);
        }

        Assert.Equal(VerificationStatus.Expired, (await (await tenant.Api.GetAsync($"/api/v1/verifications/{started.Id}")).ReadAsync<VerificationView>()).Status);
        var note = (await (await tenant.Api.GetAsync($"/api/v1/tickets/{ticket.Id}")).ReadAsync<TicketDetailView>()).Notes.Single();
        Assert.StartsWith("Identity verification EXPIRED", note.Body, StringComparison.Ordinal);
        var actions = (await (await tenant.Api.GetAsync($"/api/v1/audit?targetId={started.Id}&pageSize=100")).ReadAsync<Page<AuditEntryView>>()).Items.Select(a => a.Action);
        Assert.Contains("verification.expired", actions);
    }

    [Fact]
    public async Task NewVerification_SupersedesPendingOneOnSameChannel()
    {
        var (tenant, contact) = await TenantWithContactAsync();
        var first = await StartAsync(tenant, contact, "sms_code", "+14155550199");
        var firstCode = Code((await OutboxMessageAsync(tenant, first.Id)).Body);
        var second = await StartAsync(tenant, contact, "sms_code", "+14155550199");

        var old = await (await tenant.Api.GetAsync($"/api/v1/verifications/{first.Id}")).ReadAsync<VerificationView>();
        Assert.Equal(VerificationStatus.Superseded, old.Status);
        await (await tenant.Api.PostJsonAsync($"/api/v1/verifications/{first.Id}/code", new { code = firstCode })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(VerificationStatus.Pending, (await (await tenant.Api.GetAsync($"/api/v1/verifications/{second.Id}")).ReadAsync<VerificationView>()).Status);
    }

    [Fact]
    public async Task Destination_MustBeTheContactsOwn_AndPolicyCanRequireANote()
    {
        var (tenant, contact) = await TenantWithContactAsync();

        var stranger = await tenant.Api.PostJsonAsync("/api/v1/verifications", new { contactId = contact.Id, channel = "sms_code", destination = "+14155550100" });
        Assert.Contains("contact's phone numbers", (await stranger.ProblemAsync(HttpStatusCode.BadRequest))["destination"].Single());
        var emailToPhone = await tenant.Api.PostJsonAsync("/api/v1/verifications", new { contactId = contact.Id, channel = "email_link", destination = "+14155550199" });
        Assert.Contains("destination", (await emailToPhone.ProblemAsync(HttpStatusCode.BadRequest)).Keys);
        var missing = await tenant.Api.PostJsonAsync("/api/v1/verifications", new { channel = "carrier_pigeon" });
        Assert.Contains("channel", (await missing.ProblemAsync(HttpStatusCode.BadRequest)).Keys);
        var noTicket = await tenant.Api.PostJsonAsync("/api/v1/verifications", new { contactId = contact.Id, channel = "sms_code", destination = "+14155550199", ticketReference = "#9999" });
        Assert.Contains("no ticket #9999", (await noTicket.ProblemAsync(HttpStatusCode.BadRequest))["ticketReference"].Single());
        var noContact = await tenant.Api.PostJsonAsync("/api/v1/verifications", new { channel = "sms_code" });
        Assert.Equal(["contactId", "destination"], (await noContact.ProblemAsync(HttpStatusCode.BadRequest)).Keys.Order());

        (await tenant.Api.PutJsonAsync("/api/v1/settings/verification", new { requireNoteForNonDefaultDestination = true })).EnsureSuccessStatusCode();
        var office = "+44 20 7946 0958";
        var noNote = await tenant.Api.PostJsonAsync("/api/v1/verifications", new { contactId = contact.Id, channel = "sms_code", destination = office });
        Assert.Contains("note", (await noNote.ProblemAsync(HttpStatusCode.BadRequest)).Keys);
        await StartAsync(tenant, contact, "sms_code", "+14155550199");
        var withNote = await (await tenant.Api.PostJsonAsync("/api/v1/verifications", new { contactId = contact.Id, channel = "sms_code", destination = office, note = "Manager approval" }))
            .ReadAsync<VerificationView>(HttpStatusCode.Created);
        Assert.Equal("Manager approval", withNote.Note);
    }

    [Fact]
    public async Task Link_OpenedWithGetOnly_VerifiesNobody_ValidateDoesOnce()
    {
        var (tenant, contact) = await TenantWithContactAsync();
        var started = await StartAsync(tenant, contact, "email_link", "Ann.Lee@contoso.com");
        var message = await OutboxMessageAsync(tenant, started.Id);
        var link = new Uri(Verifications.LinkPattern().Match(message.Body).Value);
        Assert.Contains(link.ToString(), message.HtmlBody!, StringComparison.Ordinal);
        var visitor = factory.ApiClient(null);

        // A mail scanner fetches the link twice: the page is shown, nobody is verified.
        for (var i = 0; i < 2; i++)
        {
            var page = await visitor.GetAsync(link.PathAndQuery);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("Validate", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var opened = await (await tenant.Api.GetAsync($"/api/v1/verifications/{started.Id}")).ReadAsync<VerificationView>();
        Assert.Equal(VerificationStatus.Pending, opened.Status);
        Assert.NotNull(opened.LinkOpenedAt);

        var pressed = await visitor.SubmitAsync(link.PathAndQuery, []);
        Assert.Contains("you are verified", await pressed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var verified = await (await tenant.Api.GetAsync($"/api/v1/verifications/{started.Id}")).ReadAsync<VerificationView>();
        Assert.Equal(VerificationStatus.Verified, verified.Status);
        Assert.Equal("contact", verified.CompletedBy);

        var again = await visitor.GetAsync(link.PathAndQuery);
        Assert.Contains("expired or was already used", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var unknown = await visitor.GetAsync("/v/" + new string('A', 43));
        var (usedPage, unknownPage) = (await Text(again), await Text(unknown));
        Assert.True(usedPage == unknownPage, usedPage + "\n-----\n" + unknownPage);
    }

    [Fact]
    public async Task Cancel_StopsTheCode()
    {
        var (tenant, contact) = await TenantWithContactAsync();
        var started = await StartAsync(tenant, contact, "sms_code", "+14155550199");
        var code = Code((await OutboxMessageAsync(tenant, started.Id)).Body);

        var cancelled = await (await tenant.Api.DeleteAsync($"/api/v1/verifications/{started.Id}")).ReadAsync<VerificationView>();

        Assert.Equal(VerificationStatus.Cancelled, cancelled.Status);
        await (await tenant.Api.PostJsonAsync($"/api/v1/verifications/{started.Id}/code", new { code })).ProblemAsync(HttpStatusCode.Conflict);
        await (await tenant.Api.DeleteAsync($"/api/v1/verifications/{started.Id}")).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task AnotherTenant_SeesNothingAndChangesNothing()
    {
        var (tenant, contact) = await TenantWithContactAsync();
        var started = await StartAsync(tenant, contact, "sms_code", "+14155550199");
        var code = Code((await OutboxMessageAsync(tenant, started.Id)).Body);
        var other = await factory.CreateTenantAsync("Other " + Guid.NewGuid().ToString("N")[..8]);

        await (await other.Api.GetAsync($"/api/v1/verifications/{started.Id}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await other.Api.PostJsonAsync($"/api/v1/verifications/{started.Id}/code", new { code })).ProblemAsync(HttpStatusCode.NotFound);
        await (await other.Api.DeleteAsync($"/api/v1/verifications/{started.Id}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await other.Api.GetAsync($"/api/v1/contacts/{contact.Id}/verifications")).ProblemAsync(HttpStatusCode.NotFound);
        await (await other.Api.PostJsonAsync("/api/v1/verifications", new { contactId = contact.Id, channel = "sms_code", destination = "+14155550199" }))
            .ProblemAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain((await (await other.Api.GetAsync("/api/v1/outbox")).ReadAsync<Page<OutboxMessageView>>()).Items, m => m.VerificationId == started.Id);

        Assert.Equal(VerificationStatus.Pending, (await (await tenant.Api.GetAsync($"/api/v1/verifications/{started.Id}")).ReadAsync<VerificationView>()).Status);
    }

    [Fact]
    public async Task Settings_RefuseTemplatesWithoutTheSecretAndLifetimesOverTen()
    {
        var (tenant, _) = await TenantWithContactAsync();

        var errors = await (await tenant.Api.PutJsonAsync("/api/v1/settings/verification", new
        {
            lifetimeMinutes = 11,
            technicianLifetimeMinutes = 11,
            smsHelpText = new string('h', 301),
            templates = new { smsCode = "Hello {{ contact_first_name }}", emailLinkHtml = "<p>{{ code }}</p>", smsLink = "{% if %}" },
            branding = new { primaryColor = "red", logoUrl = "http://logo.example/x.png" },
        })).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(["branding.logoUrl", "branding.primaryColor", "lifetimeMinutes", "smsHelpText", "technicianLifetimeMinutes", "templates.emailLinkHtml", "templates.smsCode", "templates.smsLink"],
            errors.Keys.Order(StringComparer.Ordinal));
        var unchanged = await (await tenant.Api.GetAsync("/api/v1/settings/verification")).ReadAsync<VerificationSettingsView>();
        Assert.Equal(5, unchanged.LifetimeMinutes);
        Assert.Null(unchanged.Templates.SmsCode);
    }

    [Fact]
    public async Task CustomTemplate_IsUsedAndEscapedInHtml()
    {
        var (tenant, contact) = await TenantWithContactAsync();
        (await tenant.Api.PutJsonAsync("/api/v1/tenant", new { name = "Fix & <Co> " + Guid.NewGuid().ToString("N")[..6] })).EnsureSuccessStatusCode();
        (await tenant.Api.PutJsonAsync("/api/v1/settings/verification", new
        {
            lifetimeMinutes = 7,
            templates = new { smsCode = "Code {{ code }} from {{ msp_name }}, {{ expires_in_minutes }} min" },
        })).EnsureSuccessStatusCode();

        var sms = await OutboxMessageAsync(tenant, (await StartAsync(tenant, contact, "sms_code", "+14155550199")).Id);
        var email = await OutboxMessageAsync(tenant, (await StartAsync(tenant, contact, "email_code", "ann.lee@contoso.com")).Id);

        Assert.Matches(@"^Code \d{6} from Fix & <Co> \w+, 7 min$", sms.Body);
        Assert.Contains("Fix &amp; &lt;Co&gt;", email.HtmlBody!, StringComparison.Ordinal);
        Assert.DoesNotContain("<Co>", email.HtmlBody!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_RefuseTemplatesOverABoundOrIncludingAnother_NamingTheField()
    {
        var (tenant, _) = await TenantWithContactAsync();

        var errors = await (await tenant.Api.PutJsonAsync("/api/v1/settings/verification", new
        {
            templates = new
            {
                // Doubles a string 22 times: 25 million characters that the old check built and accepted.
                smsCode = "{% assign s = code %}{% for i in (1..22) %}{% assign s = s | append: s %}{% endfor %}{{ code }}",
                smsLink = "{% include 'other' %}{{ link }}",
                // Fine for a short name, 10,000 rounds for the longest one a contact may have.
                emailCodeText = "{% assign n = contact_first_name | size %}{% for i in (1..n) %}{% for j in (1..n) %}{% endfor %}{% endfor %}{{ code }}",
            },
        })).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(["templates.emailCodeText", "templates.smsCode", "templates.smsLink"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.StartsWith("makes a value longer than 1,600 characters", errors["templates.smsCode"].Single(), StringComparison.Ordinal);
        Assert.StartsWith("uses {% include %}", errors["templates.smsLink"].Single(), StringComparison.Ordinal);
        Assert.EndsWith("(with the longest names and lifetime allowed)", errors["templates.emailCodeText"].Single(), StringComparison.Ordinal);
        var unchanged = await (await tenant.Api.GetAsync("/api/v1/settings/verification")).ReadAsync<VerificationSettingsView>();
        Assert.Null(unchanged.Templates.SmsCode);
    }

    [Fact]
    public async Task Send_TemplateFailingForALongName_SendsTheBuiltInOneAuditsItAndShowsAdmins()
    {
        var (tenant, _) = await TenantWithContactAsync();
        var longName = new string('M', 100);
        var contact = await (await tenant.Api.PostJsonAsync("/api/v1/contacts", new
        {
            firstName = longName, lastName = "Lee", phones = new[] { new { number = "(415) 555-0142", type = "mobile", isDefault = true } },
        })).ReadAsync<ContactView>(HttpStatusCode.Created);
        // A template saved before the save check rendered with the longest names: fine for "Ann", 10,000 rounds for this contact.
        await SaveTemplatesDirectlyAsync(tenant, new MessageTemplates
        {
            SmsCode = "{% assign n = contact_first_name | size %}{% for i in (1..n) %}{% for j in (1..n) %}{% endfor %}{% endfor %}Code {{ code }}",
        });

        var started = await StartAsync(tenant, contact, "sms_code", "+14155550142");

        var message = await OutboxMessageAsync(tenant, started.Id);
        var code = Code(message.Body);
        Assert.StartsWith("Verify ", message.Body, StringComparison.Ordinal);
        Assert.Contains($": your verification code is {code}.", message.Body, StringComparison.Ordinal);
        var fallback = (await (await tenant.Api.GetAsync("/api/v1/audit?action=template.fallback")).ReadAsync<Page<AuditEntryView>>()).Items.Single();
        Assert.Equal("verification_settings", fallback.TargetType);
        Assert.Equal("templates.smsCode", fallback.TargetId);
        Assert.Equal($"runs more than 10,000 steps or nests more than 10 deep; the built-in template was used for verification {started.Id}", fallback.Detail);
        Assert.DoesNotContain(code, fallback.Detail!, StringComparison.Ordinal);

        var admin = await factory.SignedInAsync(await tenant.AddMemberAsync("admin"));
        var page = Regex.Replace(await (await admin.GetAsync("/settings/verification")).Content.ReadAsStringAsync(), @"\s+", " ");
        Assert.Contains("the last send used the built-in template because <em>SMS code template</em> runs more than 10,000 steps", page, StringComparison.Ordinal);

        // Saving the settings (the template corrected) clears the notice; the audit log keeps the entry.
        (await tenant.Api.PutJsonAsync("/api/v1/settings/verification", new { templates = new { smsCode = "Code {{ code }}" } })).EnsureSuccessStatusCode();
        Assert.DoesNotContain("template-fallback", await (await admin.GetAsync("/settings/verification")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task SaveTemplatesDirectlyAsync(TestTenant tenant, MessageTemplates templates)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Vouch.Core.Features.Tenancy.Caller>().ActAsSystem(tenant.Id);
        var db = scope.ServiceProvider.GetRequiredService<Vouch.Core.Storage.VouchDbContext>();
        var settings = await db.VerificationSettings.SingleOrDefaultAsync();
        if (settings is null)
        {
            settings = new VerificationSettings(tenant.Id);
            db.VerificationSettings.Add(settings);
        }

        settings.Templates = templates;
        await db.SaveChangesAsync();
        scope.ServiceProvider.GetRequiredService<TenantProfiles>().Forget(tenant.Id);
    }

    private Task<(TestTenant, ContactView)> TenantWithContactAsync() => factory.TenantWithContactAsync("Verify");

    private static async Task<TicketView> TicketAsync(TestTenant tenant)
    {
        var company = await (await tenant.Api.PostJsonAsync("/api/v1/companies", new { name = "Contoso " + Guid.NewGuid().ToString("N")[..6] })).ReadAsync<CompanyView>(HttpStatusCode.Created);
        return await (await tenant.Api.PostJsonAsync("/api/v1/tickets", new { companyId = company.Id, summary = "Caller asks for a password reset" })).ReadAsync<TicketView>(HttpStatusCode.Created);
    }

    private static async Task<string> Text(HttpResponseMessage response) =>
        Regex.Replace(LinkPages.WithoutNonce(await response.Content.ReadAsStringAsync()), "<input[^>]*>", "");

}

public sealed class VerificationsApiOnSqlite(SqliteVouch factory) : VerificationsApiTests<SqliteVouch>(factory), IClassFixture<SqliteVouch>;

public sealed class VerificationsApiOnPostgres(PostgresVouch factory) : VerificationsApiTests<PostgresVouch>(factory), IClassFixture<PostgresVouch>;
