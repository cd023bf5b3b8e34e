using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Vouch.Core.Features.SecureSend;
using Vouch.Core.Storage;
using Vouch.Server.Tests.Infrastructure;

namespace Vouch.Server.Tests.Features.SecureSend;

/// <summary>The contact page's "Send a secret" handler, as secure-send.js calls it after encrypting in the browser.</summary>
public sealed class SecretPagesTests(SqliteVouch factory) : IClassFixture<SqliteVouch>
{
    [Fact]
    public async Task CopyLink_StoresTheEnvelope_AndAnswersTheLinkWithoutAKey()
    {
        var (tenant, contact, _) = await factory.TenantWithVerificationNumberAsync();
        var tess = await factory.SignedInAsync(await tenant.AddMemberAsync("technician"));
        var (envelope, key) = SecretEnvelope.Seal("printer admin: 8812");
        var page = $"/contacts/{contact.Id}";

        var answer = await tess.SubmitAsync(page, page + "?handler=Secret", new() { ["Envelope"] = envelope, ["Delivery"] = "link", ["LifetimeMinutes"] = "5" });

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        using var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        var link = json.RootElement.GetProperty("link").GetString()!;
        Assert.DoesNotContain('#', link);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("sentTo").ValueKind);
        var stored = await StoredAsync(tenant.Id);
        Assert.Equal((envelope, contact.Id), (stored.Single().Envelope, stored.Single().ContactId));
        var revealed = await factory.ApiClient(null).SubmitAsync(new Uri(link).AbsolutePath, new Uri(link).AbsolutePath + "?handler=Reveal", []);
        Assert.Equal("printer admin: 8812", SecretEnvelope.Open(await revealed.Content.ReadAsStringAsync(), key));
    }

    [Fact]
    public async Task SmsToANumberThatIsNotTheContacts_OrWithoutTheKey_IsRefusedAndStoresNothing()
    {
        var (tenant, contact, _) = await factory.TenantWithVerificationNumberAsync();
        var tess = await factory.SignedInAsync(await tenant.AddMemberAsync("technician"));
        var page = $"/contacts/{contact.Id}";

        var answer = await tess.SubmitAsync(page, page + "?handler=Secret", new()
        {
            ["Envelope"] = SecretEnvelope.Seal("x").Envelope,
            ["Delivery"] = "sms",
            ["Destination"] = "+1 415 555 0100",
        });

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        using var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        var errors = json.RootElement.GetProperty("errors");
        Assert.Equal("must be one of the contact's phone numbers", errors.GetProperty("destination")[0].GetString());
        Assert.StartsWith("is required to text or e-mail the link", errors.GetProperty("key")[0].GetString(), StringComparison.Ordinal);
        Assert.Empty(await StoredAsync(tenant.Id));
    }

    private async Task<List<Secret>> StoredAsync(Guid tenantId)
    {
        await using var db = factory.Services.GetRequiredService<IDbContextFactory<VouchDbContext>>().CreateDbContext();
        return await db.Secrets.IgnoreQueryFilters().Where(s => s.TenantId == tenantId).ToListAsync();
    }
}
