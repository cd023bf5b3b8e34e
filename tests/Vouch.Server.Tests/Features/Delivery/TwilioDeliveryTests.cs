using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Vouch.Core.Features.Delivery;
using Vouch.Core.Features.Directory;
using Vouch.Core.Features.Verification;
using Vouch.Core.Storage;
using Vouch.Server.Tests.Infrastructure;
using Vouch.Testing.StandIns;

namespace Vouch.Server.Tests.Features.Delivery;

/// <summary>Vouch whose Twilio API address points at a stand-in on loopback that follows Twilio's API description.</summary>
public sealed class TwilioVouch() : VouchFactory(TestDatabase.Sqlite)
{
    public TwilioStandIn Twilio { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Twilio = await TwilioStandIn.StartAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Twilio is not null)
        {
            await Twilio.DisposeAsync();
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Vouch:Twilio:ApiBaseUrl", Twilio.BaseUrl.ToString());
    }
}

public sealed partial class TwilioDeliveryTests(TwilioVouch factory) : IClassFixture<TwilioVouch>
{
    [Fact]
    public async Task ProviderAnswers500Twice_ThenAccepts_ExactlyOneMessageIsDelivered()
    {
        var (tenant, contact) = await TenantUsingTwilioAsync();
        var to = "+14155550" + Random.Shared.Next(100, 999);
        contact = await AddPhoneAsync(tenant, contact, to);
        var failuresLeft = 2;
        factory.Twilio.Answer = context => Volatile.Read(ref failuresLeft) > 0 && Interlocked.Decrement(ref failuresLeft) >= 0
            ? TwilioStandIn.ErrorAsync(context, StatusCodes.Status500InternalServerError, 20500, "Internal Server Error")
            : TwilioStandIn.CreatedAsync(context);

        var started = await (await tenant.Api.PostJsonAsync("/api/v1/verifications", new { contactId = contact.Id, channel = "sms_code", destination = to, note = NewNumberNote }))
            .ReadAsync<VerificationView>(HttpStatusCode.Created);

        await WaitForRequestsAsync(to, 1);
        Assert.Equal(DeliveryState.Queued, (await GetAsync(tenant, started.Id)).Delivery);
        factory.Clock.Advance(TimeSpan.FromSeconds(2));
        Wake();
        await WaitForRequestsAsync(to, 2);
        factory.Clock.Advance(TimeSpan.FromSeconds(4));
        Wake();
        await WaitForRequestsAsync(to, 3);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await GetAsync(tenant, started.Id)).Delivery != DeliveryState.Sent)
        {
            Assert.True(DateTime.UtcNow < deadline, "the verification never showed the message as sent");
            await Task.Delay(50);
        }

        // Nothing more goes out however long we wait, and the code the contact received works.
        factory.Clock.Advance(TimeSpan.FromMinutes(3));
        Wake();
        await Task.Delay(300);
        var requests = Requests(to);
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Equal(TwilioStandIn.FromNumber, r.Form["From"]));
        var code = CodePattern().Match(requests[^1].Form["Body"]).Value;
        var verified = await (await tenant.Api.PostJsonAsync($"/api/v1/verifications/{started.Id}/code", new { code })).ReadAsync<VerificationView>();
        Assert.Equal(VerificationStatus.Verified, verified.Status);

        // The message row no longer holds the text, and never held it readable.
        await using var db = factory.Services.GetRequiredService<IDbContextFactory<VouchDbContext>>().CreateDbContext();
        var stored = await db.OutboundMessages.IgnoreQueryFilters().SingleAsync(m => m.VerificationId == started.Id);
        Assert.Equal(MessageState.Sent, stored.State);
        Assert.Equal(3, stored.Attempts);
        Assert.Null(stored.TextBody);
        Assert.Empty((await (await tenant.Api.GetAsync("/api/v1/outbox")).ReadAsync<Vouch.Core.Page<OutboxMessageView>>()).Items);
    }

    [Fact]
    public async Task ConcurrentWorkers_NeverSendTheSameMessageTwice()
    {
        var (tenant, _) = await TenantUsingTwilioAsync();
        var numbers = Enumerable.Range(0, 25).Select(i => $"+1415555{2000 + i}").ToList();
        factory.Twilio.Answer = async context =>
        {
            // A slow provider keeps each worker's claim open while the others look for work.
            await Task.Delay(30);
            await TwilioStandIn.CreatedAsync(context);
        };

        // Three more workers beside the host's own, as if three more nodes ran, competing while the messages are queued.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var workers = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            while (numbers.Any(n => Requests(n).Count == 0) && DateTime.UtcNow < deadline)
            {
                await using var scope = factory.Services.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<Vouch.Core.Features.Tenancy.Caller>().ActAsSystemForAllTenants();
                if (await scope.ServiceProvider.GetRequiredService<DeliverMessages>().HandleAsync(2, CancellationToken.None) == 0)
                {
                    await Task.Delay(5);
                }
            }
        })).ToList();
        foreach (var number in numbers)
        {
            (await tenant.Api.PostJsonAsync("/api/v1/settings/delivery/test", new { channel = "sms", to = number })).EnsureSuccessStatusCode();
        }

        await Task.WhenAll(workers);
        Assert.True(numbers.All(n => Requests(n).Count > 0), "not every message was sent");
        await Task.Delay(200);
        Assert.All(numbers, n => Assert.Single(Requests(n)));
    }

    [Fact]
    public async Task ProviderRefusesTheNumber_VerificationFailsWithTheReason()
    {
        var (tenant, contact) = await TenantUsingTwilioAsync();
        var to = "+14155551" + Random.Shared.Next(100, 999);
        contact = await AddPhoneAsync(tenant, contact, to);
        factory.Twilio.Answer = context => context.Request.Form["To"] == to
            ? TwilioStandIn.ErrorAsync(context, StatusCodes.Status400BadRequest, 21211, $"The 'To' number {to} is not a valid phone number.")
            : TwilioStandIn.CreatedAsync(context);

        var started = await (await tenant.Api.PostJsonAsync("/api/v1/verifications", new { contactId = contact.Id, channel = "sms_link", destination = to, note = NewNumberNote }))
            .ReadAsync<VerificationView>(HttpStatusCode.Created);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        VerificationView view;
        while ((view = await GetAsync(tenant, started.Id)).Delivery != DeliveryState.Failed)
        {
            Assert.True(DateTime.UtcNow < deadline, "the permanent refusal never reached the verification");
            await Task.Delay(50);
        }

        Assert.Equal(VerificationStatus.Failed, view.Status);
        Assert.Contains("21211", view.DeliveryError, StringComparison.Ordinal);
        Assert.Single(Requests(to));
        var history = await (await tenant.Api.GetAsync($"/api/v1/contacts/{contact.Id}/verifications")).ReadAsync<ContactVerificationsView>();
        Assert.Equal(Shield.Failed, history.Shield.Shield);
    }

    [Fact]
    public async Task DeliverySettings_NeverReturnTheToken_AndRefuseIncompleteTwilio()
    {
        var tenant = await factory.CreateTenantAsync("Creds " + Guid.NewGuid().ToString("N")[..8]);

        var incomplete = await tenant.Api.PutJsonAsync("/api/v1/settings/delivery", new { smsProvider = "twilio", twilioAccountSid = TwilioStandIn.AccountSid });
        Assert.Contains("smsProvider", (await incomplete.ProblemAsync(HttpStatusCode.BadRequest)).Keys);
        var badSid = await tenant.Api.PutJsonAsync("/api/v1/settings/delivery", new { twilioAccountSid = "XX123" });
        Assert.Contains("twilioAccountSid", (await badSid.ProblemAsync(HttpStatusCode.BadRequest)).Keys);

        var saved = await tenant.Api.PutJsonAsync("/api/v1/settings/delivery", new
        {
            smsProvider = "twilio", twilioAccountSid = TwilioStandIn.AccountSid, twilioAuthToken = TwilioStandIn.AuthToken, twilioFromNumber = TwilioStandIn.FromNumber,
        });
        var body = await saved.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.DoesNotContain(TwilioStandIn.AuthToken, body, StringComparison.Ordinal);
        Assert.Contains("\"twilioAuthTokenSet\":true", body, StringComparison.Ordinal);
        Assert.DoesNotContain(TwilioStandIn.AuthToken, await (await tenant.Api.GetAsync("/api/v1/settings/delivery")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = factory.Services.GetRequiredService<IDbContextFactory<VouchDbContext>>().CreateDbContext();
        var stored = await db.DeliverySettings.IgnoreQueryFilters().SingleAsync(s => s.TenantId == tenant.Id);
        Assert.DoesNotContain(TwilioStandIn.AuthToken, stored.Twilio.AuthTokenProtected, StringComparison.Ordinal);
    }

    private async Task<(TestTenant, ContactView)> TenantUsingTwilioAsync()
    {
        var tenant = await factory.CreateTenantAsync("Twilio " + Guid.NewGuid().ToString("N")[..8]);
        (await tenant.Api.PutJsonAsync("/api/v1/settings/delivery", new
        {
            smsProvider = "twilio", twilioAccountSid = TwilioStandIn.AccountSid, twilioAuthToken = TwilioStandIn.AuthToken, twilioFromNumber = TwilioStandIn.FromNumber,
        })).EnsureSuccessStatusCode();
        var contact = await (await tenant.Api.PostJsonAsync("/api/v1/contacts", new { firstName = "Tia", lastName = "Wu" })).ReadAsync<ContactView>(HttpStatusCode.Created);
        return (tenant, contact);
    }

    // A number added to an existing contact needs a note before a code goes to it (RecentDestinationTests).
    private const string NewNumberNote = "confirmed with the contact's manager";

    private static async Task<ContactView> AddPhoneAsync(TestTenant tenant, ContactView contact, string number) =>
        await (await tenant.Api.PutJsonAsync($"/api/v1/contacts/{contact.Id}", new { firstName = contact.FirstName, lastName = contact.LastName, phones = new[] { new { number, type = "mobile" } } }))
            .ReadAsync<ContactView>();

    private static async Task<VerificationView> GetAsync(TestTenant tenant, Guid id) =>
        await (await tenant.Api.GetAsync($"/api/v1/verifications/{id}")).ReadAsync<VerificationView>();

    private void Wake() => factory.Services.GetRequiredService<DeliverySignal>().Wake();

    private List<TwilioStandIn.RecordedRequest> Requests(string to) => factory.Twilio.Requests.Where(r => r.Form.GetValueOrDefault("To") == to).ToList();

    /// <summary>Waits until Twilio got <paramref name="count"/> requests and the worker recorded the outcome of the last one.</summary>
    private async Task WaitForRequestsAsync(string to, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var pool = factory.Services.GetRequiredService<IDbContextFactory<VouchDbContext>>();
        while (true)
        {
            await using var db = pool.CreateDbContext();
            var rows = await db.OutboundMessages.IgnoreQueryFilters().AsNoTracking().Where(m => m.To == to).ToListAsync();
            if (Requests(to).Count >= count && rows.Sum(m => m.Attempts) >= count)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Twilio received {Requests(to).Count} of {count} requests; clock {factory.Clock.GetUtcNow():O}; "
                + string.Join("; ", rows.Select(m => $"{m.State} attempts {m.Attempts} next {m.NextAttemptAt:O} error {m.LastError}")));
            await Task.Delay(20);
        }

        Assert.Equal(count, Requests(to).Count);
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex CodePattern();
}
