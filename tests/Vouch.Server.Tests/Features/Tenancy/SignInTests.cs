using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Vouch.Core;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Tenancy;
using Vouch.Server.Tests.Infrastructure;

namespace Vouch.Server.Tests.Features.Tenancy;

/// <summary>Sign-in through the real pages: cookies, antiforgery, lockout, roles and the audit trail.</summary>
public sealed class SignInTests(SignInTests.Vouch factory) : IClassFixture<SignInTests.Vouch>
{
    private const string Password = "twelve chars long";

    [Fact]
    public async Task SignIn_MoreThanTheLimitPerMinute_AnswersTooManyRequests()
    {
        await using var limited = new SqliteVouch();
        await ((IAsyncLifetime)limited).InitializeAsync();
        await limited.CreateTenantAsync("Limited");
        var browser = limited.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 11; i++)
        {
            answers.Add((await browser.SignInAsync("nobody@nowhere.test", "wrong password")).StatusCode);
        }

        Assert.All(answers.Take(10), a => Assert.Equal(HttpStatusCode.OK, a));
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[10]);
    }

    [Fact]
    public async Task SignIn_RightPassword_OpensPagesAndIsAudited()
    {
        var (tenant, email) = await MemberAsync(MemberRole.Technician);
        var browser = Browser();

        var response = await browser.SignInAsync(email, Password);
        var contacts = await browser.GetAsync("/contacts");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, contacts.StatusCode);
        var signedOut = await browser.SubmitAsync("/logout", []);
        Assert.Equal("/login", signedOut.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/contacts")).StatusCode);
        var audit = await (await tenant.Api.GetAsync("/api/v1/audit?action=member.")).ReadAsync<Page<AuditEntryView>>();
        Assert.Equal(["member.signed_out", "member.signed_in"], audit.Items.Take(2).Select(a => a.Action));
        Assert.All(audit.Items.Take(2), a => Assert.Equal(ActorKind.Member, a.ActorKind));
    }

    [Fact]
    public async Task SignIn_WrongPasswordFiveTimes_LocksTheAccount()
    {
        var (tenant, email) = await MemberAsync(MemberRole.Technician);
        var browser = Browser();

        for (var i = 0; i < 5; i++)
        {
            var wrong = await browser.SignInAsync(email, "not the password");
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
            Assert.Contains("E-mail or password is wrong", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var right = await browser.SignInAsync(email, Password);

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        var failures = await (await tenant.Api.GetAsync("/api/v1/audit?action=member.sign_in_failed")).ReadAsync<Page<AuditEntryView>>();
        Assert.Equal(6, failures.Items.Count);
        Assert.EndsWith("locked out", failures.Items[0].Detail, StringComparison.Ordinal);
        Assert.EndsWith("wrong password", failures.Items[^1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_InactiveMember_IsRefusedWithTheSameMessage()
    {
        var (tenant, email) = await MemberAsync(MemberRole.Inactive);
        var browser = Browser();

        var response = await browser.SignInAsync(email, Password);
        var unknown = await browser.SignInAsync("nobody@nowhere.test", Password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("E-mail or password is wrong", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("E-mail or password is wrong", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var failures = await (await tenant.Api.GetAsync("/api/v1/audit?action=member.sign_in_failed")).ReadAsync<Page<AuditEntryView>>();
        Assert.EndsWith("inactive", failures.Items.Single().Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/contacts")).StatusCode);
    }

    [Fact]
    public async Task MemberMadeInactive_SessionEndsAtNextStampCheck()
    {
        var (tenant, email) = await MemberAsync(MemberRole.Technician);
        var browser = Browser();
        await browser.SignInAsync(email, Password);
        var members = await (await tenant.Api.GetAsync("/api/v1/members")).ReadAsync<List<MemberView>>();
        var before = await browser.GetAsync("/contacts");

        (await tenant.Api.PutJsonAsync($"/api/v1/members/{members.Single(m => m.Email == email).Id}/role", new { role = "inactive" })).EnsureSuccessStatusCode();
        factory.Clock.Advance(TimeSpan.FromMinutes(2));
        var after = await browser.GetAsync("/contacts");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/login", after.Headers.Location?.PathAndQuery ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Technician_ConfigurationPages_AreForbidden_AdminsMayOpenThem()
    {
        var (_, technician) = await MemberAsync(MemberRole.Technician);
        var (_, admin) = await MemberAsync(MemberRole.Admin);
        var techBrowser = Browser();
        var adminBrowser = Browser();
        await techBrowser.SignInAsync(technician, Password);
        await adminBrowser.SignInAsync(admin, Password);

        foreach (var page in new[] { "/members", "/api-keys", "/contacts/import" })
        {
            var denied = await techBrowser.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
            Assert.StartsWith("/forbidden", denied.Headers.Location?.PathAndQuery ?? denied.Headers.Location?.OriginalString, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await adminBrowser.GetAsync(page)).StatusCode);
        }
    }

    [Fact]
    public async Task Pages_WithoutSignIn_RedirectToLogin_AndCookieDoesNotOpenTheApi()
    {
        var (_, email) = await MemberAsync(MemberRole.Owner);
        var browser = Browser();

        var anonymous = await browser.GetAsync("/contacts");
        await browser.SignInAsync(email, Password);
        var api = await browser.GetAsync("/api/v1/contacts");

        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/login", anonymous.Headers.Location?.PathAndQuery ?? "", StringComparison.Ordinal);
        await api.ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Setup_AfterTenantExists_SendsToLogin()
    {
        await MemberAsync(MemberRole.Technician);

        var setup = await Browser().GetAsync("/setup");

        Assert.Equal(HttpStatusCode.Redirect, setup.StatusCode);
        Assert.Equal("/login", setup.Headers.Location?.OriginalString);
    }

    private HttpClient Browser() => factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private async Task<(TestTenant Tenant, string Email)> MemberAsync(MemberRole role)
    {
        var tenant = await factory.CreateTenantAsync("Sign in " + Guid.NewGuid().ToString("N")[..8]);
        var email = $"m-{Guid.NewGuid():N}@msp.test";
        if (role == MemberRole.Owner)
        {
            return (tenant, tenant.OwnerEmail);
        }

        var created = await tenant.Api.PostJsonAsync("/api/v1/members", new { email, displayName = "Member", password = Password, role = role.ToString().ToLowerInvariant() });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (tenant, email);
    }

    /// <summary>Vouch with a high sign-in rate limit, so these tests exercise lockout and roles rather than the limiter.</summary>
    public sealed class Vouch() : VouchFactory(TestDatabase.Sqlite, new Dictionary<string, string> { ["Vouch:SignInAttemptsPerMinute"] = "1000" });
}
