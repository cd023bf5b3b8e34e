using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Vouch.Core;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Storage;
using Vouch.Server.Tests.Infrastructure;

namespace Vouch.Server.Tests.Features.Tenancy;

public abstract class TenancyApiTests<TFactory>(TFactory factory) where TFactory : VouchFactory
{
    [Fact]
    public async Task Members_CreateAndChangeRole_AreAudited()
    {
        var tenant = await factory.CreateTenantAsync("Members " + Guid.NewGuid().ToString("N")[..8]);

        var created = await (await tenant.Api.PostJsonAsync("/api/v1/members", new { email = $"tech-{Guid.NewGuid():N}@msp.test", displayName = "Tia Tech", password = "twelve chars long", role = "technician" }))
            .ReadAsync<MemberView>(HttpStatusCode.Created);
        var promoted = await (await tenant.Api.PutJsonAsync($"/api/v1/members/{created.Id}/role", new { role = "admin" })).ReadAsync<MemberView>();
        var members = await (await tenant.Api.GetAsync("/api/v1/members")).ReadAsync<List<MemberView>>();
        var audit = await (await tenant.Api.GetAsync("/api/v1/audit?action=member.")).ReadAsync<Page<AuditEntryView>>();

        Assert.Equal(MemberRole.Admin, promoted.Role);
        Assert.Equal(2, members.Count);
        Assert.Equal(["member.role_changed", "member.created", "member.created"], audit.Items.Select(a => a.Action));
        Assert.Equal(ActorKind.ApiKey, audit.Items[0].ActorKind);
        Assert.Equal(created.Id.ToString(), audit.Items[0].TargetId);
    }

    [Fact]
    public async Task Members_WriteKeyCannotTouchOwnersOrDemoteLastOwner()
    {
        var tenant = await factory.CreateTenantAsync("Owners " + Guid.NewGuid().ToString("N")[..8]);

        var makeOwner = await tenant.Api.PostJsonAsync("/api/v1/members", new { email = $"o-{Guid.NewGuid():N}@msp.test", password = "twelve chars long", role = "owner" });
        var demote = await tenant.Api.PutJsonAsync($"/api/v1/members/{tenant.OwnerId}/role", new { role = "technician" });
        var weakPassword = await tenant.Api.PostJsonAsync("/api/v1/members", new { email = $"w-{Guid.NewGuid():N}@msp.test", password = "short", role = "technician" });
        var duplicate = await tenant.Api.PostJsonAsync("/api/v1/members", new { email = tenant.OwnerEmail, password = "twelve chars long", role = "technician" });

        await makeOwner.ProblemAsync(HttpStatusCode.Forbidden);
        await demote.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("password", (await weakPassword.ProblemAsync(HttpStatusCode.BadRequest)).Keys);
        Assert.Contains("email", (await duplicate.ProblemAsync(HttpStatusCode.Conflict)).Keys);
    }

    [Fact]
    public async Task LastOwner_CannotBeDemotedEvenByAnOwner()
    {
        var tenant = await factory.CreateTenantAsync("Last owner " + Guid.NewGuid().ToString("N")[..8]);
        await using var scope = factory.Services.CreateAsyncScope();
        var caller = scope.ServiceProvider.GetRequiredService<Caller>();
        caller.ActAsMember(tenant.Id, tenant.OwnerId, "Owner", MemberRole.Owner);

        var result = await scope.ServiceProvider.GetRequiredService<ChangeMemberRole>()
            .HandleAsync(new ChangeMemberRoleRequest(tenant.OwnerId, MemberRole.Admin), CancellationToken.None);

        var conflict = Assert.IsType<Conflict>(result.Failure);
        Assert.Equal("role", conflict.Field);
    }

    [Fact]
    public async Task ApiKeys_SecretShownOnce_RevokedKeyStopsWorking()
    {
        var tenant = await factory.CreateTenantAsync("Keys " + Guid.NewGuid().ToString("N")[..8]);

        var response = await tenant.Api.PostJsonAsync("/api/v1/api-keys", new { name = "psa sync", scope = "read" });
        var created = await response.ReadAsync<CreatedApiKey>(HttpStatusCode.Created);
        var client = factory.ApiClient(created.Secret);
        var before = await client.GetAsync("/api/v1/contacts");
        var listed = await (await tenant.Api.GetAsync("/api/v1/api-keys")).ReadAsync<List<ApiKeyView>>();
        var listedBody = await (await tenant.Api.GetAsync("/api/v1/api-keys")).Content.ReadAsStringAsync();
        var revoked = await (await tenant.Api.DeleteAsync($"/api/v1/api-keys/{created.Key.Id}")).ReadAsync<ApiKeyView>();
        var after = await client.GetAsync("/api/v1/contacts");
        var invalid = await tenant.Api.PostJsonAsync("/api/v1/api-keys", new { name = "" });

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(2, listed.Count);
        Assert.DoesNotContain(created.Secret, listedBody, StringComparison.Ordinal);
        Assert.NotNull(revoked.RevokedAt);
        await after.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(["name", "scope"], (await invalid.ProblemAsync(HttpStatusCode.BadRequest)).Keys.Order());
        await using var scope = factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Caller>().ActAsSystem(tenant.Id);
        var stored = await scope.ServiceProvider.GetRequiredService<VouchDbContext>().ApiKeys.SingleAsync(k => k.Id == created.Key.Id);
        Assert.NotEqual(created.Secret, stored.KeyHash);
        Assert.Equal(ApiKey.Hash(created.Secret), stored.KeyHash);
    }

    [Fact]
    public async Task Audit_ChainStaysValid_AndTamperingIsNamed()
    {
        var tenant = await factory.CreateTenantAsync("Audit " + Guid.NewGuid().ToString("N")[..8]);
        for (var i = 0; i < 3; i++)
        {
            (await tenant.Api.PostJsonAsync("/api/v1/api-keys", new { name = $"k{i}", scope = "read" })).EnsureSuccessStatusCode();
        }

        await factory.SealAuditAsync();
        var audit = await (await tenant.Api.GetAsync("/api/v1/audit?pageSize=2")).ReadAsync<Page<AuditEntryView>>();
        Assert.Equal([6L, 5L], audit.Items.Select(a => a.Sequence));
        Assert.True(audit.HasMore);
        var export = await (await tenant.Api.GetAsync("/api/v1/audit/export")).ReadAsync<List<ExportedAuditEntry>>();
        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], export.Select(a => a.Sequence));
        Assert.All(export.Skip(1).Zip(export), pair => Assert.Equal(pair.Second.Hash, pair.First.PreviousHash));

        await using var scope = factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Caller>().ActAsSystem(tenant.Id);
        var verify = scope.ServiceProvider.GetRequiredService<VerifyAuditChain>();
        Assert.Null((await verify.HandleAsync(CancellationToken.None)).Single().Break);

        var db = scope.ServiceProvider.GetRequiredService<VouchDbContext>();
        await db.AuditEntries.Where(a => a.Sequence == 4).ExecuteUpdateAsync(s => s.SetProperty(a => a.Detail, "nothing happened"));
        var broken = (await verify.HandleAsync(CancellationToken.None)).Single().Break;

        Assert.Equal(4, broken?.Sequence);
    }

    [Fact]
    public async Task Tenant_UpdateRegion_ChangesHowLocalNumbersParse()
    {
        var tenant = await factory.CreateTenantAsync("Region " + Guid.NewGuid().ToString("N")[..8]);

        var updated = await (await tenant.Api.PutJsonAsync("/api/v1/tenant", new { defaultRegion = "gb" })).ReadAsync<TenantView>();
        var contact = await (await tenant.Api.PostJsonAsync("/api/v1/contacts", new { firstName = "Uma", phones = new[] { new { number = "020 7946 0958", type = "office" } } }))
            .ReadAsync<Vouch.Core.Features.Directory.ContactView>(HttpStatusCode.Created);
        var badRegion = await tenant.Api.PutJsonAsync("/api/v1/tenant", new { defaultRegion = "XX" });

        Assert.Equal("GB", updated.DefaultRegion);
        Assert.Equal("+442079460958", contact.Phones.Single().Number);
        Assert.Contains("defaultRegion", (await badRegion.ProblemAsync(HttpStatusCode.BadRequest)).Keys);
    }
}

public sealed class TenancyApiOnSqlite(SqliteVouch factory) : TenancyApiTests<SqliteVouch>(factory), IClassFixture<SqliteVouch>;

public sealed class TenancyApiOnPostgres(PostgresVouch factory) : TenancyApiTests<PostgresVouch>(factory), IClassFixture<PostgresVouch>;
