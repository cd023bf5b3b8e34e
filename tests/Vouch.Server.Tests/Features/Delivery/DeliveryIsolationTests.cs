using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Vouch.Core.Features.Delivery;
using Vouch.Core.Features.Verification;
using Vouch.Core.Storage;
using Vouch.Server.Tests.Infrastructure;
using Vouch.Testing;
using Vouch.Testing.StandIns;
using static Vouch.Server.Tests.Infrastructure.Verifications;

namespace Vouch.Server.Tests.Features.Delivery;

/// <summary>One tenant's slow or hung provider delays only that tenant's messages.</summary>
public abstract class DeliveryIsolationTests<TFactory>(TFactory factory) where TFactory : VouchFactory
{
    private const string Settings = "/api/v1/settings/delivery";
    private static readonly TimeSpan SendTimeout = new DeliveryOptions().SendTimeout;

    // The finding: a relay that accepted connections and never answered held every other tenant's codes back, because a
    // delivery pass waited for its whole batch.
    [Fact]
    public async Task HungRelayOfOneTenant_OtherTenantsCodeIsDeliveredMeanwhile_AndTheHungSendBecomesARetry()
    {
        await using var hung = new ScriptedSmtpServer(silent: true);
        await using var working = new ScriptedSmtpServer();
        var (slow, slowContact) = await TenantWithRelayAsync("Hung", hung);
        var (other, otherContact) = await TenantWithRelayAsync("Prompt", working);

        var stuck = await StartAsync(slow, slowContact, "email_code", "ann.lee@contoso.com");
        await hung.Connected.WaitAsync(TimeSpan.FromSeconds(15));
        var prompt = await StartAsync(other, otherContact, "email_code", "ann.lee@contoso.com");

        // No time passes on the host's clock: the hung send is still in flight while the other tenant's code goes out.
        var sent = await WaitForAsync(other, prompt.Id, v => v.Delivery == DeliveryState.Sent, "the other tenant's code to be sent");
        Assert.Equal(VerificationStatus.Pending, sent.Status);
        Assert.Contains(working.Received, line => line.StartsWith("RCPT TO:<ann.lee@contoso.com>", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(DeliveryState.Queued, (await GetAsync(slow, stuck.Id)).Delivery);

        // The hung send's own deadline ends it as a transient failure, with a retry.
        factory.Clock.Advance(SendTimeout);
        var retried = await MessageAsync(stuck.Id, m => m.Attempts == 1, "the hung send to be recorded as a retry");
        Assert.Equal(MessageState.Queued, retried.State);
        Assert.Equal($"No answer from {hung.Host}:{hung.Port} within {SendTimeout.TotalSeconds:0} s", retried.LastError);
        Assert.Null(retried.LockedUntil);
        Assert.True(retried.NextAttemptAt > factory.Clock.GetUtcNow().UtcDateTime);
        Assert.Equal(VerificationStatus.Pending, (await GetAsync(slow, stuck.Id)).Status);
    }

    // A message's claim used to last two minutes, so a message whose node died mid-send waited that long to be retried.
    [Fact]
    public async Task SendInFlight_ClaimLastsTheDeadlineAndAMarginOnly()
    {
        await using var hung = new ScriptedSmtpServer(silent: true);
        var (tenant, contact) = await TenantWithRelayAsync("Claim", hung);
        var started = await StartAsync(tenant, contact, "email_code", "ann.lee@contoso.com");
        await hung.Connected.WaitAsync(TimeSpan.FromSeconds(15));

        var claimed = await MessageAsync(started.Id, m => m.LockedUntil is not null, "the message to be claimed");

        Assert.InRange(claimed.LockedUntil!.Value - factory.Clock.GetUtcNow().UtcDateTime, SendTimeout, TimeSpan.FromMinutes(1));
        factory.Clock.Advance(SendTimeout); // ends the hung send before the next test
        await MessageAsync(started.Id, m => m.Attempts == 1, "the hung send to end");
    }

    [Fact]
    public async Task RelayFailsFiveTimesInARow_ItsTenantIsPausedWithTheReason_OthersAreNot_AndItResumesAfterThePause()
    {
        var port = Loopback.ClosedPort();
        var (tenant, _) = await TenantWithRelayAsync("Breaker", Loopback.Host, port);
        var (other, _) = await TenantWithRelayAsync("Bystander", Loopback.Host, Loopback.ClosedPort());
        var endpoint = $"{Loopback.Host}:{port}";

        for (var i = 0; i < new DeliveryOptions().PauseAfterFailures; i++)
        {
            var failing = await TestEmailAsync(tenant);
            await MessageAsync(failing, m => m.Attempts == 1, $"failure {i + 1} to be recorded");
        }

        var paused = Assert.Single((await ViewAsync(tenant)).Paused);
        Assert.Equal((Medium.Email, endpoint, 5), (paused.Medium, paused.Endpoint, paused.Failures));
        Assert.StartsWith($"Could not connect to {endpoint}", paused.LastError, StringComparison.Ordinal);
        Assert.Equal($"E-mail delivery through {endpoint} paused until {paused.Until:HH:mm} UTC: {paused.LastError}, 5 times in a row", paused.Message);
        Assert.Empty((await ViewAsync(other)).Paused);

        // While paused, a new message is not tried: it waits for the end of the pause, and says why.
        var waiting = await TestEmailAsync(tenant);
        var deferred = await MessageAsync(waiting, m => m.LastError is not null, "the new message to be put off");
        Assert.Equal((0, MessageState.Queued), (deferred.Attempts, deferred.State));
        Assert.Equal(paused.Until, deferred.NextAttemptAt, TimeSpan.FromMilliseconds(1)); // PostgreSQL keeps microseconds
        Assert.Equal($"not tried: delivery through {endpoint} is paused after repeated failures", deferred.LastError);

        // The relay comes back; after the pause one message tries it, succeeds, and the pause is lifted.
        await using var relay = new ScriptedSmtpServer(port: port);
        factory.Clock.Advance(new DeliveryOptions().PauseFor);
        factory.Services.GetRequiredService<DeliverySignal>().Wake();
        await Eventually.ReadAsync(
            async () => ((await ViewAsync(tenant)).Paused.Count, (await OutboundRows.ReadAsync(factory, waiting))?.State),
            state => state is (0, MessageState.Sent),
            _ => "delivery never resumed after the pause",
            between: () =>
            {
                factory.Clock.Advance(DeliveryOutcomes.BusyRetry);
                factory.Services.GetRequiredService<DeliverySignal>().Wake();
            });
    }

    private Task<(TestTenant, Vouch.Core.Features.Directory.ContactView)> TenantWithRelayAsync(string name, ScriptedSmtpServer relay) =>
        TenantWithRelayAsync(name, relay.Host, relay.Port);

    private async Task<(TestTenant, Vouch.Core.Features.Directory.ContactView)> TenantWithRelayAsync(string name, string host, int port)
    {
        var (tenant, contact) = await factory.TenantWithContactAsync(name);
        (await tenant.Api.PutJsonAsync(Settings, new
        {
            emailProvider = "smtp", smtpHost = host, smtpPort = port, smtpSecurity = "none", smtpFromAddress = "helpdesk@msp.example",
        })).EnsureSuccessStatusCode();
        return (tenant, contact);
    }

    private static async Task<Guid> TestEmailAsync(TestTenant tenant) =>
        (await (await tenant.Api.PostJsonAsync($"{Settings}/test", new { channel = "email", to = "ann.lee@contoso.com" }))
            .ReadAsync<OutboxMessageView>(HttpStatusCode.Created)).Id;

    private static async Task<DeliverySettingsView> ViewAsync(TestTenant tenant) =>
        await (await tenant.Api.GetAsync(Settings)).ReadAsync<DeliverySettingsView>();

    private static async Task<VerificationView> GetAsync(TestTenant tenant, Guid id) =>
        await (await tenant.Api.GetAsync($"/api/v1/verifications/{id}")).ReadAsync<VerificationView>();

    private static Task<VerificationView> WaitForAsync(TestTenant tenant, Guid id, Func<VerificationView, bool> done, string what) =>
        Eventually.ReadAsync(() => GetAsync(tenant, id), done, view => $"timed out waiting for {what}: {view.Delivery}", TimeSpan.FromSeconds(10));

    /// <summary>The message of a verification (or the message itself, by its id), once <paramref name="done"/> holds.</summary>
    private async Task<OutboundMessage> MessageAsync(Guid id, Func<OutboundMessage, bool> done, string what) =>
        (await Eventually.ReadAsync(() => OutboundRows.ReadAsync(factory, id), m => m is not null && done(m),
            m => $"timed out waiting for {what}: {m?.State}, {m?.Attempts} attempts, {m?.LastError}"))!;
}

/// <summary>A queued message as the database holds it, by its own id or its verification's.</summary>
internal static class OutboundRows
{
    public static async Task<OutboundMessage?> ReadAsync(VouchFactory host, Guid id)
    {
        await using var db = host.Services.GetRequiredService<IDbContextFactory<VouchDbContext>>().CreateDbContext();
        return await db.OutboundMessages.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(m => m.Id == id || m.VerificationId == id);
    }
}

public sealed class DeliveryIsolationOnSqlite(SqliteVouch factory) : DeliveryIsolationTests<SqliteVouch>(factory), IClassFixture<SqliteVouch>;

public sealed class DeliveryIsolationOnPostgres(PostgresVouch factory) : DeliveryIsolationTests<PostgresVouch>(factory), IClassFixture<PostgresVouch>;

public sealed class AbandonedDeliveryTests
{
    // A node that dies mid-send never records the outcome; the next node sends the message again once the claim runs
    // out (delivery is at least once), a minute later rather than two.
    [Fact]
    public async Task NodeDiesWithASendInFlight_NextNodeSendsItAfterTheShortClaim()
    {
        using var data = new TempDirectory();
        await using var relay = new ScriptedSmtpServer(silent: true);
        Guid verificationId;

        var first = new VouchOnFolder(data.Path, new Uri("http://127.0.0.1:9/"));
        await first.InitializeAsync();
        try
        {
            var (tenant, contact) = await first.TenantWithContactAsync("Dies");
            (await tenant.Api.PutJsonAsync("/api/v1/settings/delivery", new
            {
                emailProvider = "smtp", smtpHost = relay.Host, smtpPort = relay.Port, smtpSecurity = "none", smtpFromAddress = "helpdesk@msp.example",
            })).EnsureSuccessStatusCode();
            verificationId = (await StartAsync(tenant, contact, "email_code", "ann.lee@contoso.com")).Id;
            await relay.Connected.WaitAsync(TimeSpan.FromSeconds(15));
        }
        finally
        {
            await first.DisposeAsync();
        }

        relay.Silent = false;
        await using var second = new VouchOnFolder(data.Path, new Uri("http://127.0.0.1:9/"));
        await second.InitializeAsync();
        second.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(5));
        second.Services.GetRequiredService<DeliverySignal>().Wake();

        await Eventually.ReadAsync(
            () => OutboundRows.ReadAsync(second, verificationId),
            m => m?.State == MessageState.Sent,
            m => $"the abandoned message was not sent again: {m?.State}, locked until {m?.LockedUntil:O}",
            between: () => second.Services.GetRequiredService<DeliverySignal>().Wake());
        Assert.Equal(2, relay.Connections);
    }
}
