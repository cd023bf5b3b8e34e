using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Vouch.Core.Storage;
using Vouch.Server.Tests.Infrastructure;

namespace Vouch.Server.Tests.Features.Audit;

public abstract class AuditAppendTests<TFactory>(TFactory factory) where TFactory : VouchFactory
{
    [Fact]
    public async Task Append_AfterAnotherNodeMovedTheHead_LinksAfterTheNewHead()
    {
        var tenant = await factory.CreateTenantAsync("Chain " + Guid.NewGuid().ToString("N")[..8]);
        (await tenant.Api.PostJsonAsync("/api/v1/api-keys", new { name = "first", scope = "read" })).EnsureSuccessStatusCode();
        var movedTo = await MoveHeadAsAnotherNodeAsync(tenant.Id);

        var created = await tenant.Api.PostJsonAsync("/api/v1/api-keys", new { name = "second", scope = "read" });
        created.EnsureSuccessStatusCode();

        await AssertNewestLinkedAfterAsync(tenant.Id, "api_key.created", movedTo);
    }

    [Fact]
    public async Task TenantChange_AfterAnotherNodeMovedTheHead_IsSavedAndLinkedAfterTheNewHead()
    {
        // The tenant row carries the head, and its sequence is a concurrency token: a rename read before another node's
        // append must still land, with its entry linked after that append.
        var tenant = await factory.CreateTenantAsync("Chain " + Guid.NewGuid().ToString("N")[..8]);
        (await tenant.Api.PostJsonAsync("/api/v1/api-keys", new { name = "first", scope = "read" })).EnsureSuccessStatusCode();
        var movedTo = await MoveHeadAsAnotherNodeAsync(tenant.Id);
        var name = "Renamed " + Guid.NewGuid().ToString("N")[..8];

        (await tenant.Api.PutJsonAsync("/api/v1/tenant", new { name })).EnsureSuccessStatusCode();

        await AssertNewestLinkedAfterAsync(tenant.Id, "tenant.updated", movedTo);
        await using var db = factory.Services.GetRequiredService<IDbContextFactory<VouchDbContext>>().CreateDbContext();
        var row = await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == tenant.Id);
        Assert.Equal(name, row.Name);
        Assert.Equal(movedTo + 1, row.AuditHeadSequence);
    }

    // Another node appended meanwhile: this node's remembered head is now stale.
    private async Task<long> MoveHeadAsAnotherNodeAsync(Guid tenantId)
    {
        await using var db = factory.Services.GetRequiredService<IDbContextFactory<VouchDbContext>>().CreateDbContext();
        var movedTo = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.AuditHeadSequence).SingleAsync() + 1;
        await db.Tenants.Where(t => t.Id == tenantId)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.AuditHeadSequence, movedTo).SetProperty(t => t.AuditHeadHash, new string('a', 64)));
        return movedTo;
    }

    private async Task AssertNewestLinkedAfterAsync(Guid tenantId, string action, long movedTo)
    {
        await using var db = factory.Services.GetRequiredService<IDbContextFactory<VouchDbContext>>().CreateDbContext();
        var newest = await db.AuditEntries.IgnoreQueryFilters().AsNoTracking().Where(a => a.TenantId == tenantId && a.Action == action)
            .OrderByDescending(a => a.Sequence).FirstAsync();
        Assert.Equal(movedTo + 1, newest.Sequence);
        Assert.Equal(new string('a', 64), newest.PreviousHash);
    }
}

public sealed class AuditAppendOnSqlite(SqliteVouch factory) : AuditAppendTests<SqliteVouch>(factory), IClassFixture<SqliteVouch>;

public sealed class AuditAppendOnPostgres(PostgresVouch factory) : AuditAppendTests<PostgresVouch>(factory), IClassFixture<PostgresVouch>;
