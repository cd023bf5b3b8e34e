using System.Net;
using Vouch.Core;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Directory;
using Vouch.Core.Features.Verification;
using Vouch.Server.Tests.Infrastructure;
using static Vouch.Server.Tests.Infrastructure.Verifications;

namespace Vouch.Server.Tests.Features.Verification;

/// <summary>
/// "I have a new phone, send the code there": a number or address added to an existing contact is marked recently
/// changed, a verification to it needs a note (and by policy an Admin), and every change to the directory is audited with
/// the numbers and addresses masked.
/// </summary>
public abstract class RecentDestinationTests<TFactory>(TFactory factory) where TFactory : VouchFactory
{
    private const string NewMobile = "+14155550188";

    [Fact]
    public async Task NumberAddedToAContact_NeedsANote_UntilTheWindowPasses_AndTheChangeIsAuditedMasked()
    {
        var (tenant, contact) = await factory.TenantWithContactAsync("Recent");
        var original = await Send(tenant, contact, "+14155550199", note: null); // created with it: no note needed
        Assert.Equal(HttpStatusCode.Created, original.StatusCode);

        var updated = await AddMobileAsync(tenant, contact);

        Assert.Null(updated.Phones.Single(p => p.Number == "+14155550199").ChangedAt);
        Assert.Equal(factory.Clock.GetUtcNow().UtcDateTime, updated.Phones.Single(p => p.Number == NewMobile).ChangedAt!.Value, TimeSpan.FromSeconds(1));
        var refused = await (await Send(tenant, contact, NewMobile, note: null)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("was added to the contact on", refused["note"].Single(), StringComparison.Ordinal);
        var withNote = await (await Send(tenant, contact, NewMobile, note: "confirmed with her manager on the office line")).ReadAsync<VerificationView>(HttpStatusCode.Created);

        var audit = await AuditAsync(tenant);
        var change = audit.Single(a => a.Action == "contact.updated" && a.TargetId == contact.Id.ToString());
        Assert.Contains("phones added •••0188", change.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(NewMobile, change.Detail, StringComparison.Ordinal);
        Assert.Contains("added to the contact", audit.Single(a => a.TargetId == withNote.Id.ToString() && a.Action == "verification.sent").Detail, StringComparison.Ordinal);

        factory.Clock.Advance(TimeSpan.FromDays(7));
        Assert.Equal(HttpStatusCode.Created, (await Send(tenant, contact, NewMobile, note: null)).StatusCode);
    }

    [Fact]
    public async Task WindowOfZeroDays_TurnsTheRuleOff()
    {
        var (tenant, contact) = await factory.TenantWithContactAsync("Off");
        (await tenant.Api.PutJsonAsync("/api/v1/settings/verification", new { recentDestinationDays = 0 })).EnsureSuccessStatusCode();
        await AddMobileAsync(tenant, contact);

        Assert.Equal(HttpStatusCode.Created, (await Send(tenant, contact, NewMobile, note: null)).StatusCode);
        var refused = await (await tenant.Api.PutJsonAsync("/api/v1/settings/verification", new { recentDestinationDays = 366 })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(refused.ContainsKey("recentDestinationDays"));
    }

    [Fact]
    public async Task ImportedNumbers_DoNotCountAsChanged()
    {
        var tenant = await factory.CreateTenantAsync("Import " + Guid.NewGuid().ToString("N")[..8]);
        var report = await (await tenant.Api.PostAsync("/api/v1/contacts/import",
            new StringContent($"first_name,last_name,email,mobile\nZoe,Park,zoe@contoso.com,{NewMobile}\n", System.Text.Encoding.UTF8, "text/csv"))).ReadAsync<ImportReport>();
        var contact = await (await tenant.Api.GetAsync($"/api/v1/contacts/{report.Rows.Single().ContactId}")).ReadAsync<ContactView>();

        Assert.Null(contact.Phones.Single().ChangedAt);
        Assert.Equal(HttpStatusCode.Created, (await Send(tenant, contact, NewMobile, note: null)).StatusCode);
    }

    [Theory]
    [InlineData(true, "technician", false)]
    [InlineData(true, "admin", true)]
    [InlineData(false, "technician", true)]
    public async Task AdminOnlyPolicy_RefusesTechnicians_AdminsSendWithANote(bool adminOnly, string role, bool sends)
    {
        var (tenant, contact) = await factory.TenantWithContactAsync("Policy");
        (await tenant.Api.PutJsonAsync("/api/v1/settings/verification", new { recentDestinationNeedsAdmin = adminOnly })).EnsureSuccessStatusCode();
        await AddMobileAsync(tenant, contact);
        var member = await factory.SignedInAsync(await tenant.AddMemberAsync(role));
        var page = $"/contacts/{contact.Id}";

        var shown = await (await member.GetAsync(page)).Content.ReadAsStringAsync();
        var answer = await member.SubmitAsync(page, $"{page}?handler=Send&channel=SmsCode&destination={Uri.EscapeDataString(NewMobile)}",
            new Dictionary<string, string> { ["Send.Note"] = "caller's manager confirmed the new phone" });

        Assert.Contains("note required</span>", shown, StringComparison.Ordinal);
        var history = await (await tenant.Api.GetAsync($"/api/v1/contacts/{contact.Id}/verifications")).ReadAsync<ContactVerificationsView>();
        if (sends)
        {
            Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
            Assert.Single(history.History);
        }
        else
        {
            Assert.Contains("only an Owner or Admin", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Empty(history.History);
        }
    }

    [Fact]
    public async Task CompaniesAndContacts_CreatedChangedAndDeleted_AreAudited()
    {
        var tenant = await factory.CreateTenantAsync("Directory " + Guid.NewGuid().ToString("N")[..8]);
        var company = await (await tenant.Api.PostJsonAsync("/api/v1/companies", new { name = "Contoso", mainPhone = "+14155552671" })).ReadAsync<CompanyView>(HttpStatusCode.Created);
        (await tenant.Api.PutJsonAsync($"/api/v1/companies/{company.Id}", new { name = "Contoso Ltd", mainPhone = "+14155552672" })).EnsureSuccessStatusCode();
        var contact = await (await tenant.Api.PostJsonAsync("/api/v1/contacts", new
        {
            firstName = "Ann", lastName = "Lee", companyId = company.Id, emails = new[] { new { address = "ann.lee@contoso.com" } },
        })).ReadAsync<ContactView>(HttpStatusCode.Created);
        (await tenant.Api.PutJsonAsync($"/api/v1/contacts/{contact.Id}", new
        {
            firstName = "Ann", lastName = "Lee", companyId = company.Id, emails = new[] { new { address = "ann@attacker.example" } },
        })).EnsureSuccessStatusCode();
        (await tenant.Api.DeleteAsync($"/api/v1/contacts/{contact.Id}")).EnsureSuccessStatusCode();
        (await tenant.Api.DeleteAsync($"/api/v1/companies/{company.Id}")).EnsureSuccessStatusCode();

        var audit = await AuditAsync(tenant);
        string Detail(string action) => audit.Single(a => a.Action == action).Detail ?? "";

        Assert.Contains("'Contoso'; main phone •••2671", Detail("company.created"), StringComparison.Ordinal);
        Assert.Equal("name 'Contoso' -> 'Contoso Ltd'; main phone •••2671 -> •••2672", Detail("company.updated"));
        Assert.Contains("e-mails a••••••@contoso.com", Detail("contact.created"), StringComparison.Ordinal);
        Assert.Equal("e-mails added a••@attacker.example; e-mails removed a••••••@contoso.com; default e-mail a••••••@contoso.com -> a••@attacker.example", Detail("contact.updated"));
        Assert.Contains("'Ann Lee'", Detail("contact.deleted"), StringComparison.Ordinal);
        Assert.Contains("'Contoso Ltd'", Detail("company.deleted"), StringComparison.Ordinal);
        Assert.DoesNotContain(audit, a => a.Detail?.Contains("attacker.example", StringComparison.Ordinal) == true && a.Detail.Contains("ann@", StringComparison.Ordinal));
    }

    private static async Task<ContactView> AddMobileAsync(TestTenant tenant, ContactView contact) =>
        await (await tenant.Api.PutJsonAsync($"/api/v1/contacts/{contact.Id}", new
        {
            firstName = contact.FirstName,
            lastName = contact.LastName,
            emails = contact.Emails.Select(e => new { address = e.Address, isDefault = e.IsDefault }),
            phones = contact.Phones.Select(p => new { number = p.Number, type = p.Type.ToString().ToLowerInvariant(), isDefault = p.IsDefault })
                .Append(new { number = NewMobile, type = "mobile", isDefault = false }),
        })).ReadAsync<ContactView>();

    private static Task<HttpResponseMessage> Send(TestTenant tenant, ContactView contact, string destination, string? note) =>
        tenant.Api.PostJsonAsync("/api/v1/verifications", new { contactId = contact.Id, channel = "sms_code", destination, note });

    private static async Task<IReadOnlyList<AuditEntryView>> AuditAsync(TestTenant tenant) =>
        (await (await tenant.Api.GetAsync("/api/v1/audit?pageSize=100")).ReadAsync<Page<AuditEntryView>>()).Items;
}

public sealed class RecentDestinationOnSqlite(SqliteVouch factory) : RecentDestinationTests<SqliteVouch>(factory), IClassFixture<SqliteVouch>;

public sealed class RecentDestinationOnPostgres(PostgresVouch factory) : RecentDestinationTests<PostgresVouch>(factory), IClassFixture<PostgresVouch>;
