using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Vouch.Core;
using Vouch.Core.Features.Audit;
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
        var pool = factory.Services.GetRequiredService<IDbContextFactory<VouchDbContext>>();
        long movedTo;
        await using (var db = pool.CreateDbContext())
        {
            // Another node appended meanwhile: this node's remembered head is now stale.
            var head = await db.Tenants.Where(t => t.Id == tenant.Id).Select(t => t.AuditHeadSequence).SingleAsync();
            movedTo = head + 1;
            await db.Tenants.Where(t => t.Id == tenant.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.AuditHeadSequence, movedTo).SetProperty(t => t.AuditHeadHash, new string('a', 64)));
        }

        var created = await tenant.Api.PostJsonAsync("/api/v1/api-keys", new { name = "second", scope = "read" });
        created.EnsureSuccessStatusCode();

        var newest = (await (await tenant.Api.GetAsync("/api/v1/audit?action=api_key.created&pageSize=1")).ReadAsync<Page<AuditEntryView>>()).Items.Single();
        Assert.Equal(movedTo + 1, newest.Sequence);
        await using var check = pool.CreateDbContext();
        var entry = await check.AuditEntries.IgnoreQueryFilters().SingleAsync(a => a.Id == newest.Id);
        Assert.Equal(new string('a', 64), entry.PreviousHash);
    }
}

public sealed class AuditAppendOnSqlite(SqliteVouch factory) : AuditAppendTests<SqliteVouch>(factory), IClassFixture<SqliteVouch>;

public sealed class AuditAppendOnPostgres(PostgresVouch factory) : AuditAppendTests<PostgresVouch>(factory), IClassFixture<PostgresVouch>;
