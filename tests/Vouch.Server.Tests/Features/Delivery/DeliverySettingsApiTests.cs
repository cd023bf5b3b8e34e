using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Vouch.Core;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Delivery;
using Vouch.Core.Storage;
using Vouch.Server.Tests.Infrastructure;
using Vouch.Testing.StandIns;

namespace Vouch.Server.Tests.Features.Delivery;

/// <summary>Provider credentials are bound to the endpoint they were entered for, through the settings API.</summary>
public abstract class DeliverySettingsApiTests<TFactory>(TFactory factory) where TFactory : VouchFactory
{
    private const string Settings = "/api/v1/settings/delivery";
    private const string Password = "m365-Pw-stored-4711";

    // A relay as an admin sets it up first: Microsoft 365 with a user name and password.
    private static readonly Dictionary<string, object?> Microsoft365 = new()
    {
        ["emailProvider"] = "outbox",
        ["smtpHost"] = "smtp.office365.com",
        ["smtpPort"] = 587,
        ["smtpSecurity"] = "startTls",
        ["smtpUserName"] = "helpdesk@msp.example",
        ["smtpPassword"] = Password,
        ["smtpFromAddress"] = "helpdesk@msp.example",
    };

    [Theory]
    [InlineData("smtpHost", "relay.elsewhere.example")]
    [InlineData("smtpPort", 25)]
    [InlineData("smtpSecurity", "sslOnConnect")]
    [InlineData("smtpUserName", "someone-else@msp.example")]
    public async Task Update_EndpointPartChangesWithoutPassword_ClearsTheStoredPassword(string field, object value)
    {
        var tenant = await TenantWithRelayAsync();

        var changed = await (await tenant.Api.PutJsonAsync(Settings, new Dictionary<string, object?> { [field] = value })).ReadAsync<DeliverySettingsView>();

        Assert.False(changed.SmtpPasswordSet);
        Assert.Null(await StoredPasswordAsync(tenant));
    }

    [Fact]
    public async Task Update_EndpointUnchanged_KeepsTheStoredPassword()
    {
        var tenant = await TenantWithRelayAsync();

        var changed = await (await tenant.Api.PutJsonAsync(Settings, new { smtpHost = "SMTP.Office365.com", smtpFromName = "Help desk" })).ReadAsync<DeliverySettingsView>();

        Assert.True(changed.SmtpPasswordSet);
        Assert.NotNull(await StoredPasswordAsync(tenant));
    }

    // The finding: with SMTP in use, changing only the host kept the Microsoft 365 password, and Test sent it to the new host.
    [Fact]
    public async Task Update_SmtpInUse_HostChangedWithoutPassword_IsRefusedAndNothingChanges()
    {
        var tenant = await TenantWithRelayAsync();
        (await tenant.Api.PutJsonAsync(Settings, new { emailProvider = "smtp" })).EnsureSuccessStatusCode();

        var moved = await tenant.Api.PutJsonAsync(Settings, new { smtpHost = "relay.elsewhere.example" });
        var stored = await (await tenant.Api.GetAsync(Settings)).ReadAsync<DeliverySettingsView>();

        Assert.Equal(["smtpPassword"], (await moved.ProblemAsync(HttpStatusCode.BadRequest)).Keys);
        Assert.Equal(("smtp.office365.com", true), (stored.SmtpHost, stored.SmtpPasswordSet));
        Assert.NotNull(await StoredPasswordAsync(tenant));
    }

    [Fact]
    public async Task Update_SmtpInUse_HostChangedWithNewPassword_SavesAndAuditsOldAndNewAddressWithoutSecrets()
    {
        var tenant = await TenantWithRelayAsync();
        (await tenant.Api.PutJsonAsync(Settings, new { emailProvider = "smtp" })).EnsureSuccessStatusCode();
        const string newPassword = "relay-Pw-new-0815";

        var changed = await (await tenant.Api.PutJsonAsync(Settings, new { smtpHost = "relay.elsewhere.example", smtpPassword = newPassword }))
            .ReadAsync<DeliverySettingsView>();
        await factory.SealAuditAsync();
        var audit = await (await tenant.Api.GetAsync("/api/v1/audit?action=settings.provider_address_changed")).ReadAsync<Page<AuditEntryView>>();
        var export = await (await tenant.Api.GetAsync("/api/v1/audit/export")).Content.ReadAsStringAsync();

        Assert.True(changed.SmtpPasswordSet);
        var entries = audit.Items.Where(a => a.Action == "settings.provider_address_changed").Select(a => a.Detail).ToList();
        Assert.Contains(
            "smtp: smtp.office365.com:587 StartTls as helpdesk@msp.example -> relay.elsewhere.example:587 StartTls as helpdesk@msp.example; the secret stored for the old address was dropped",
            entries);
        Assert.DoesNotContain(Password, export, StringComparison.Ordinal);
        Assert.DoesNotContain(newPassword, export, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_UserNameWithoutTls_IsRefused()
    {
        var tenant = await factory.CreateTenantAsync("Relay " + Guid.NewGuid().ToString("N")[..8]);

        var refused = await tenant.Api.PutJsonAsync(Settings, new Dictionary<string, object?>(Microsoft365) { ["smtpSecurity"] = "none" });

        Assert.Equal(["smtpSecurity"], (await refused.ProblemAsync(HttpStatusCode.BadRequest)).Keys);
    }

    [Fact]
    public async Task Update_TwilioAccountChangedWithoutToken_ClearsTheToken_AndInUseIsRefused()
    {
        var tenant = await factory.CreateTenantAsync("Twilio " + Guid.NewGuid().ToString("N")[..8]);
        var otherSid = "AC" + new string('b', 32);
        (await tenant.Api.PutJsonAsync(Settings, new
        {
            smsProvider = "twilio", twilioAccountSid = TwilioStandIn.AccountSid, twilioAuthToken = TwilioStandIn.AuthToken, twilioFromNumber = TwilioStandIn.FromNumber,
        })).EnsureSuccessStatusCode();

        var inUse = await tenant.Api.PutJsonAsync(Settings, new { twilioAccountSid = otherSid });
        var unused = await (await tenant.Api.PutJsonAsync(Settings, new { smsProvider = "outbox", twilioAccountSid = otherSid })).ReadAsync<DeliverySettingsView>();

        Assert.Contains("twilioAuthToken", (await inUse.ProblemAsync(HttpStatusCode.BadRequest)).Keys);
        Assert.Equal((otherSid, false), (unused.TwilioAccountSid, unused.TwilioAuthTokenSet));
    }

    private async Task<TestTenant> TenantWithRelayAsync()
    {
        var tenant = await factory.CreateTenantAsync("Relay " + Guid.NewGuid().ToString("N")[..8]);
        var saved = await (await tenant.Api.PutJsonAsync(Settings, Microsoft365)).ReadAsync<DeliverySettingsView>();
        Assert.True(saved.SmtpPasswordSet);
        return tenant;
    }

    private async Task<string?> StoredPasswordAsync(TestTenant tenant)
    {
        await using var db = factory.Services.GetRequiredService<IDbContextFactory<VouchDbContext>>().CreateDbContext();
        var settings = await db.DeliverySettings.IgnoreQueryFilters().AsNoTracking().SingleAsync(s => s.TenantId == tenant.Id);
        return settings.Smtp.PasswordProtected;
    }
}

public sealed class DeliverySettingsApiOnSqlite(SqliteVouch factory) : DeliverySettingsApiTests<SqliteVouch>(factory), IClassFixture<SqliteVouch>;

public sealed class DeliverySettingsApiOnPostgres(PostgresVouch factory) : DeliverySettingsApiTests<PostgresVouch>(factory), IClassFixture<PostgresVouch>;
