using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Vouch.Core.Features.Delivery;
using Vouch.Core.Features.Verification;
using Vouch.Core.Ports;
using Vouch.Core.Storage;
using Vouch.Server.Tests.Infrastructure;
using Vouch.Testing.StandIns;
using static Vouch.Server.Tests.Infrastructure.Verifications;

namespace Vouch.Server.Tests.Features.Delivery;

/// <summary>Delivery through a tenant's SMTP relay: what a tenant learns about the relay, and which relays Vouch connects to.</summary>
public abstract class SmtpDeliveryTests<TFactory>(TFactory factory) where TFactory : VouchFactory
{
    private const string Settings = "/api/v1/settings/delivery";

    // The finding: a relay's reply came back verbatim in the verification's delivery error, so a tenant could point the
    // relay at a server inside Vouch's network and read its banner through Vouch.
    [Fact]
    public async Task RelayRefusesWithItsOwnText_TenantSeesAClassifiedErrorNotTheReply()
    {
        const string banner = "db01.corp.internal Redis 7.2.4 ERR wrong number of arguments";
        await using var relay = new ScriptedSmtpServer(new() { ["RCPT"] = $"550 {banner}" });
        var (tenant, contact) = await factory.TenantWithContactAsync("Relay");
        (await tenant.Api.PutJsonAsync(Settings, new
        {
            emailProvider = "smtp", smtpHost = relay.Host, smtpPort = relay.Port, smtpSecurity = "none", smtpFromAddress = "helpdesk@msp.example",
        })).EnsureSuccessStatusCode();

        var started = await StartAsync(tenant, contact, "email_code", "ann.lee@contoso.com");
        var failed = await FailedAsync(tenant, started.Id);
        var test = await (await tenant.Api.PostJsonAsync($"{Settings}/test", new { channel = "email", to = "ann.lee@contoso.com" }))
            .ReadAsync<OutboxMessageView>(HttpStatusCode.Created);
        var testMessage = await factory.SettledAsync(test.Id);
        await factory.SealAuditAsync();
        var audit = await (await tenant.Api.GetAsync("/api/v1/audit/export")).Content.ReadAsStringAsync();

        Assert.Equal($"{relay.Host}:{relay.Port} refused the recipient with 550", failed.DeliveryError);
        Assert.Equal((MessageState.Failed, failed.DeliveryError), (testMessage.State, testMessage.LastError));
        Assert.Contains("refused the recipient with 550", audit, StringComparison.Ordinal);
        foreach (var word in new[] { "db01", "Redis", "ERR wrong" })
        {
            Assert.DoesNotContain(word, audit, StringComparison.Ordinal);
        }
    }

    // Settings saved before the policy, or a name that resolves elsewhere since it was saved, are refused when connecting.
    [Fact]
    public async Task StoredRelayOnLoopback_DefaultPolicy_IsRefusedAtConnectTime()
    {
        await using var relay = new ScriptedSmtpServer();
        await using var production = new DefaultOutboundVouch(factory.Database);
        await production.InitializeAsync();
        var (tenant, contact) = await production.TenantWithContactAsync("Stored relay");
        (await tenant.Api.PutJsonAsync(Settings, new { smtpFromAddress = "helpdesk@msp.example" })).EnsureSuccessStatusCode();
        await using (var db = production.Services.GetRequiredService<IDbContextFactory<VouchDbContext>>().CreateDbContext())
        {
            var stored = await db.DeliverySettings.IgnoreQueryFilters().SingleAsync(s => s.TenantId == tenant.Id);
            stored.EmailProvider = MessageProvider.Smtp;
            stored.Smtp.PointAt(relay.Host, relay.Port, SmtpSecurity.None, null);
            await db.SaveChangesAsync();
        }

        var started = await StartAsync(tenant, contact, "email_code", "ann.lee@contoso.com");
        var failed = await FailedAsync(tenant, started.Id);

        Assert.Equal($"{relay.Host}:{relay.Port}: {relay.Host} is an internal address (loopback, private, link-local, multicast or reserved), which Vouch does not connect to",
            failed.DeliveryError);
        Assert.False(relay.Connected.IsCompleted);
    }

    [Fact]
    public async Task Update_DefaultPolicy_InternalRelayHostsAreRefused()
    {
        string[] hosts =
        [
            "127.0.0.1", "localhost", "10.1.2.3", "172.20.0.5", "192.168.1.25", "169.254.169.254", "100.100.100.200", "0.0.0.0",
            "[::1]", "::ffff:10.0.0.1", "fd00::25", "fe80::1",
        ];
        await using var production = new DefaultOutboundVouch(factory.Database);
        await production.InitializeAsync();
        var tenant = await production.CreateTenantAsync("Scan " + Guid.NewGuid().ToString("N")[..8]);

        foreach (var host in hosts)
        {
            var refused = await tenant.Api.PutJsonAsync(Settings, new { smtpHost = host });
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{host} was accepted");
            Assert.Equal(["smtpHost"], (await refused.ProblemAsync(HttpStatusCode.BadRequest)).Keys);
        }

        var accepted = await (await tenant.Api.PutJsonAsync(Settings, new { smtpHost = "smtp.office365.com" })).ReadAsync<DeliverySettingsView>();
        Assert.Equal("smtp.office365.com", accepted.SmtpHost);
    }

    private static Task<VerificationView> FailedAsync(TestTenant tenant, Guid id) =>
        Eventually.ReadAsync(
            async () => await (await tenant.Api.GetAsync($"/api/v1/verifications/{id}")).ReadAsync<VerificationView>(),
            view => view.Delivery == DeliveryState.Failed,
            view => $"the delivery never failed: {view.Delivery}");
}

/// <summary>Vouch with the production default of the outbound-address policy: nothing internal allowed.</summary>
public sealed class DefaultOutboundVouch(TestDatabase database) : VouchFactory(database, new Dictionary<string, string> { [LoopbackStandIns.AllowKey] = "" });

public sealed class SmtpDeliveryOnSqlite(SqliteVouch factory) : SmtpDeliveryTests<SqliteVouch>(factory), IClassFixture<SqliteVouch>;

public sealed class SmtpDeliveryOnPostgres(PostgresVouch factory) : SmtpDeliveryTests<PostgresVouch>(factory), IClassFixture<PostgresVouch>;
