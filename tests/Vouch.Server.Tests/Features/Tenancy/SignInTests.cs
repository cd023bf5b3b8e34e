using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.DependencyInjection;
using Vouch.Server.Features.Tenancy;
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
    public async Task SignIn_FiveWrongFromOneAddress_BacksOffThatAddressOnly_AndOnlyForAWhile()
    {
        var (_, email) = await MemberAsync(MemberRole.Technician);
        var guesser = Browser(IPAddress.Parse("203.0.113.9"));

        for (var i = 0; i < 5; i++)
        {
            await guesser.SignInAsync(email, "not the password");
        }

        var guesserRight = await guesser.SignInAsync(email, Password);
        var memberElsewhere = await Browser(IPAddress.Parse("198.51.100.4")).SignInAsync(email, Password);
        factory.Clock.Advance(TimeSpan.FromSeconds(31));
        var guesserLater = await Browser(IPAddress.Parse("203.0.113.9")).SignInAsync(email, Password);

        Assert.Equal(HttpStatusCode.OK, guesserRight.StatusCode); // the form again, with the one failure message
        Assert.Contains(LoginFailure, await guesserRight.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, memberElsewhere.StatusCode); // five wrong passwords lock nobody out
        Assert.Equal(HttpStatusCode.Redirect, guesserLater.StatusCode);
    }

    [Fact]
    public async Task SignIn_EveryRefusal_HashesOnce_SoNoneAnswersFasterThanAWrongPassword()
    {
        var (_, email) = await MemberAsync(MemberRole.Technician);
        var (_, inactive) = await MemberAsync(MemberRole.Inactive);
        var browser = Browser(IPAddress.Parse("192.0.2.77"));
        async Task<int> HashesAsync(string who, string password)
        {
            var before = factory.Hashes;
            var answer = await browser.SignInAsync(who, password);
            Assert.Contains(LoginFailure, await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            return factory.Hashes - before;
        }

        var wrong = await HashesAsync(email, "not the password");
        var unknown = await HashesAsync("nobody@nowhere.test", Password);
        var notAllowed = await HashesAsync(inactive, Password);
        var tooLong = await HashesAsync(email, new string('x', PasswordRules.MaxLength + 1));
        for (var i = 0; i < 4; i++)
        {
            await browser.SignInAsync(email, "not the password");
        }

        var backingOff = await HashesAsync(email, Password);

        Assert.Equal([1, 1, 1, 1, 1], new[] { wrong, unknown, notAllowed, tooLong, backingOff });
    }

    [Theory]
    [InlineData("password1234")]
    [InlineData("qwertyuiop12")]
    [InlineData("aaaaaaaaaaaaaaaa")]
    [InlineData("123456789012")]
    public async Task CreateMember_CommonPassword_IsRefusedNamingThePassword(string password)
    {
        var tenant = await factory.CreateTenantAsync("Weak " + Guid.NewGuid().ToString("N")[..8]);

        var answer = await tenant.Api.PostJsonAsync("/api/v1/members", new { email = $"w-{Guid.NewGuid():N}@msp.test", displayName = "Weak", password, role = "technician" });

        Assert.Contains("too easy to guess", (await answer.ProblemAsync(HttpStatusCode.BadRequest))["password"].Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateMember_PasswordOverTheCap_IsRefused_APassphraseIsTaken()
    {
        var tenant = await factory.CreateTenantAsync("Long " + Guid.NewGuid().ToString("N")[..8]);
        async Task<HttpResponseMessage> CreateAsync(string password) =>
            await tenant.Api.PostJsonAsync("/api/v1/members", new { email = $"l-{Guid.NewGuid():N}@msp.test", displayName = "Long", password, role = "technician" });

        var tooLong = await CreateAsync(string.Concat(Enumerable.Repeat("correct horse battery staple ", 5)));
        var passphrase = await CreateAsync("lantern quietly orbits marmalade");

        Assert.Contains($"at most {PasswordRules.MaxLength}", (await tooLong.ProblemAsync(HttpStatusCode.BadRequest))["password"].Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, passphrase.StatusCode);
    }

    [Fact]
    public async Task MemberMadeInactive_LiveConnectionClosesAtOnce_AndCannotReopen()
    {
        var (tenant, email) = await MemberAsync(MemberRole.Technician);
        var cookies = new CookieContainer();
        var browser = Browser(IPAddress.Parse("192.0.2.50"), cookies);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync(email, Password)).StatusCode);
        using var live = await OpenHubAsync(cookies);
        var members = await (await tenant.Api.GetAsync("/api/v1/members")).ReadAsync<List<MemberView>>();

        (await tenant.Api.PutJsonAsync($"/api/v1/members/{members.Single(m => m.Email == email).Id}/role", new { role = "inactive" })).EnsureSuccessStatusCode();

        await ClosedAsync(live);
        using var again = await OpenHubAsync(cookies, expectHandshake: false);
        await ClosedAsync(again); // the cookie still looks valid for up to a minute; the stamp behind it does not
    }

    private async Task<System.Net.WebSockets.WebSocket> OpenHubAsync(CookieContainer cookies, bool expectHandshake = true)
    {
        var client = factory.Server.CreateWebSocketClient();
        client.ConfigureRequest = r => r.Headers.Cookie = cookies.GetCookieHeader(factory.Server.BaseAddress);
        var socket = await client.ConnectAsync(new Uri(factory.Server.BaseAddress, "hubs/verifications").ToString().Replace("http", "ws", StringComparison.Ordinal) is var url
            ? new Uri(url) : null!, CancellationToken.None);
        await socket.SendAsync("{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray(), System.Net.WebSockets.WebSocketMessageType.Text, true, CancellationToken.None);
        if (expectHandshake)
        {
            var buffer = new byte[1024];
            var handshake = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));
            Assert.Equal("{}\u001e", System.Text.Encoding.UTF8.GetString(buffer, 0, handshake.Count));
        }

        return socket;
    }

    // A closed connection ends its receive with a close frame or an error; anything else (a ping) is read past.
    private static async Task ClosedAsync(System.Net.WebSockets.WebSocket socket)
    {
        var buffer = new byte[4096];
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            Assert.True(DateTime.UtcNow < deadline, "the live connection stayed open");
            try
            {
                var frame = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(deadline - DateTime.UtcNow);
                if (frame.MessageType == System.Net.WebSockets.WebSocketMessageType.Close)
                {
                    return;
                }
            }
            catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or IOException or OperationCanceledException)
            {
                return;
            }
        }
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

    private const string LoginFailure = "E-mail or password is wrong";

    private HttpClient Browser() => factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    // A browser at its own address (the test server's connections have none otherwise), keeping its cookies.
    private HttpClient Browser(IPAddress address, CookieContainer? cookies = null) =>
        new(new CookieContainerHandler(cookies ?? new CookieContainer()) { InnerHandler = factory.Server.CreateHandler(c => c.Connection.RemoteIpAddress = address) })
        {
            BaseAddress = factory.Server.BaseAddress,
        };

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

    /// <summary>
    /// Vouch with a high sign-in rate limit, so these tests exercise back-off and roles rather than the limiter, and a
    /// password hasher that counts its checks.
    /// </summary>
    public sealed class Vouch() : VouchFactory(TestDatabase.Sqlite, new Dictionary<string, string> { ["Vouch:SignInAttemptsPerMinute"] = "1000" })
    {
        private int _hashes;

        public int Hashes => Volatile.Read(ref _hashes);

        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddSingleton<IPasswordHasher<Member>>(new CountingHasher(this)));
        }

        private sealed class CountingHasher(Vouch factory) : IPasswordHasher<Member>
        {
            private readonly PasswordHasher<Member> _inner = new();

            public string HashPassword(Member user, string password) => _inner.HashPassword(user, password);

            public PasswordVerificationResult VerifyHashedPassword(Member user, string hashedPassword, string providedPassword)
            {
                Interlocked.Increment(ref factory._hashes);
                return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
            }
        }
    }
}
