using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Vouch.Core;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Storage;
using Vouch.Server.Tests.Infrastructure;

namespace Vouch.Server.Tests.Features.Audit;

public abstract class AuditSealingTests<TFactory>(TFactory factory) where TFactory : VouchFactory
{
    [Fact]
    public async Task Entry_IsListedAtOnce_AndSealedIntoTheChainWithoutBeingAsked()
    {
        var tenant = await factory.CreateTenantAsync("Seal " + Guid.NewGuid().ToString("N")[..8]);
        var created = await (await tenant.Api.PostJsonAsync("/api/v1/api-keys", new { name = "listed", scope = "read" })).ReadAsync<CreatedApiKey>(System.Net.HttpStatusCode.Created);

        // Listed as soon as the change is saved, sealed or not.
        var listed = await ListAsync(tenant, "api_key.created");
        Assert.Equal(created.Key.Id.ToString(), listed[0].TargetId);

        // The server's sealer links it on its own, shortly after.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((await ListAsync(tenant, "api_key.created"))[0].Sequence is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the entry was not sealed within 15 s");
            await Task.Delay(50);
        }

        Assert.Null(await BreakAsync(tenant.Id));
    }

    [Fact]
    public async Task Seal_ManyConcurrentChanges_MakesOneGaplessChain_AndKeepsTheOrderOfChangesMadeOneAfterAnother()
    {
        var tenant = await factory.CreateTenantAsync("Seal " + Guid.NewGuid().ToString("N")[..8]);
        var before = (await ListAsync(tenant, "api_key.created")).Count; // the key the tenant was created with
        var saves = Enumerable.Range(0, 24).Select(i => tenant.Api.PostJsonAsync("/api/v1/api-keys", new { name = $"k{i}", scope = "read" }));
        foreach (var response in await Task.WhenAll(saves))
        {
            response.EnsureSuccessStatusCode();
        }

        var inTurn = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var created = await (await tenant.Api.PostJsonAsync("/api/v1/api-keys", new { name = $"then{i}", scope = "read" })).ReadAsync<CreatedApiKey>(System.Net.HttpStatusCode.Created);
            inTurn.Add(created.Key.Id.ToString());
        }

        await factory.SealAuditAsync();

        await using var db = Context();
        var chain = await db.AuditEntries.IgnoreQueryFilters().AsNoTracking().Where(a => a.TenantId == tenant.Id).OrderBy(a => a.Sequence).ToListAsync();
        Assert.Equal(Enumerable.Range(1, chain.Count).Select(i => (long?)i), chain.Select(a => a.Sequence));
        Assert.Equal(before + 27, chain.Count(a => a.Action == "api_key.created"));
        // Concurrent changes are chained in the order they were sealed; a change made after another is chained after it.
        Assert.Equal(inTurn, chain.TakeLast(3).Select(a => a.TargetId));
        var head = await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == tenant.Id);
        Assert.Equal((chain.Count, chain[^1].Hash), (head.AuditHeadSequence, head.AuditHeadHash));
        Assert.Null(await BreakAsync(tenant.Id));
    }

    [Fact]
    public async Task Seal_AfterAnotherNodeMovedTheHead_LinksAfterTheNewHead()
    {
        var tenant = await factory.CreateTenantAsync("Seal " + Guid.NewGuid().ToString("N")[..8]);
        await factory.SealAuditAsync();
        long movedTo;
        await using (var db = Context())
        {
            // Another node sealed entries of its own meanwhile (only its head is simulated here).
            movedTo = await db.Tenants.Where(t => t.Id == tenant.Id).Select(t => t.AuditHeadSequence).SingleAsync() + 1;
            await db.Tenants.Where(t => t.Id == tenant.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.AuditHeadSequence, movedTo).SetProperty(t => t.AuditHeadHash, new string('a', 64)));
        }

        var created = await (await tenant.Api.PostJsonAsync("/api/v1/api-keys", new { name = "after", scope = "read" })).ReadAsync<CreatedApiKey>(System.Net.HttpStatusCode.Created);
        await factory.SealAuditAsync();

        await using var check = Context();
        var entry = await check.AuditEntries.IgnoreQueryFilters().AsNoTracking().SingleAsync(a => a.TenantId == tenant.Id && a.TargetId == created.Key.Id.ToString());
        Assert.Equal(movedTo + 1, entry.Sequence);
        Assert.Equal(new string('a', 64), entry.PreviousHash);
    }

    [Fact]
    public async Task Seal_TwoSealersAtOnce_NeverForkTheChain()
    {
        var tenant = await factory.CreateTenantAsync("Seal " + Guid.NewGuid().ToString("N")[..8]);
        for (var round = 0; round < 5; round++)
        {
            var saves = Enumerable.Range(0, 8).Select(i => tenant.Api.PostJsonAsync("/api/v1/api-keys", new { name = $"r{round}k{i}", scope = "read" }));
            foreach (var response in await Task.WhenAll(saves))
            {
                response.EnsureSuccessStatusCode();
            }

            // Two passes race each other (and the server's own sealer): each entry must end in the chain exactly once.
            await Task.WhenAll(factory.SealAuditAsync(), factory.SealAuditAsync());
        }

        await factory.SealAuditAsync();
        await using var db = Context();
        var sequences = await db.AuditEntries.IgnoreQueryFilters().AsNoTracking().Where(a => a.TenantId == tenant.Id).Select(a => a.Sequence).ToListAsync();
        Assert.Equal(Enumerable.Range(1, sequences.Count).Select(i => (long?)i), sequences.Order());
        Assert.Null(await BreakAsync(tenant.Id));
    }

    [Fact]
    public async Task TenantRename_WhileTheChainMoves_IsSaved()
    {
        // The head lives on the tenant row; a rename must not fail or undo a head moved between its read and its save.
        var tenant = await factory.CreateTenantAsync("Seal " + Guid.NewGuid().ToString("N")[..8]);
        var renames = Enumerable.Range(0, 6).Select(i => tenant.Api.PutJsonAsync("/api/v1/tenant", new { name = $"Renamed {tenant.Id:N} {i}" }));
        var sealing = Enumerable.Range(0, 6).Select(_ => factory.SealAuditAsync());
        foreach (var response in await Task.WhenAll(renames))
        {
            response.EnsureSuccessStatusCode();
        }

        await Task.WhenAll(sealing);
        await factory.SealAuditAsync();
        Assert.Null(await BreakAsync(tenant.Id));
    }

    [Fact]
    public async Task Seal_EntryEditedUnsealedAndHeadWoundBack_IsNotSealedAgain()
    {
        var tenant = await CreateSealedTenantAsync(keys: 2);
        var last = await ForgeAsync(tenant.Id, fromSequence: null);

        var result = await factory.SealAuditAsync(SealAuditRequest.Everything);

        var refusal = Assert.Single(result.Refused, r => r.TenantId == tenant.Id);
        Assert.Contains("moved back", refusal.Reason, StringComparison.Ordinal);
        await using var db = Context();
        Assert.Null((await db.AuditEntries.IgnoreQueryFilters().AsNoTracking().SingleAsync(a => a.Id == last)).Sequence);
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var verified = await VerifyAsync(tenant.Id);
        Assert.False(verified.IsIntact);
        Assert.Equal(last, verified.Unsealed?.OldestId);
    }

    [Fact]
    public async Task VerifySeal_OldEntriesUnsealedAndHeadWoundBack_SealsNoneOfThemAndReportsThem()
    {
        // A server that has not seen the chain before (the command line, or a node just started) finds an hour-old
        // entry edited, it and every later entry unsealed, and the head wound back to the entry before it.
        var tenant = await CreateSealedTenantAsync(keys: 3);
        factory.Clock.Advance(TimeSpan.FromHours(1));
        await ForgeAsync(tenant.Id, fromSequence: 2);

        await FreshSealerAsync(new SealAuditRequest(VerifyAuditChain.SealedWithin));

        await using var db = Context();
        var entries = db.AuditEntries.IgnoreQueryFilters().AsNoTracking().Where(a => a.TenantId == tenant.Id);
        Assert.Equal([1L], await entries.Where(a => a.Sequence != null).Select(a => a.Sequence!.Value).ToListAsync());
        var verified = await VerifyAsync(tenant.Id);
        Assert.Null(verified.Break);
        Assert.Equal(await entries.CountAsync() - 1, verified.Unsealed?.Count);
    }

    [Fact]
    public async Task Seal_EntryRecordedWellBeforeTheNewestSealedOne_IsHeldBack_OneRecordedMomentsBeforeIsSealed()
    {
        var tenant = await CreateSealedTenantAsync(keys: 1);
        factory.Clock.Advance(TimeSpan.FromMinutes(5));
        await (await tenant.Api.PostJsonAsync("/api/v1/api-keys", new { name = "newest", scope = "read" })).ReadAsync<CreatedApiKey>(System.Net.HttpStatusCode.Created);
        await factory.SealAuditAsync();
        await using var db = Context();
        var newest = await db.AuditEntries.IgnoreQueryFilters().AsNoTracking().Where(a => a.TenantId == tenant.Id).MaxAsync(a => a.OccurredAt);
        var late = new AuditEntry(Guid.CreateVersion7(), tenant.Id, newest.AddSeconds(-5), "test.committed_late", ActorKind.System, null, null, null, null, null, null);
        var old = new AuditEntry(Guid.CreateVersion7(), tenant.Id, newest.AddMinutes(-2), "test.unsealed_old", ActorKind.System, null, null, null, null, null, null);
        db.AuditEntries.AddRange(late, old);
        await db.SaveChangesAsync();

        var result = await factory.SealAuditAsync(SealAuditRequest.Everything);

        Assert.Contains(result.Refused, r => r.TenantId == tenant.Id && r.Reason.Contains("before the newest sealed entry", StringComparison.Ordinal));
        await using var check = Context();
        Assert.NotNull((await check.AuditEntries.IgnoreQueryFilters().AsNoTracking().SingleAsync(a => a.Id == late.Id)).Sequence);
        Assert.Null((await check.AuditEntries.IgnoreQueryFilters().AsNoTracking().SingleAsync(a => a.Id == old.Id)).Sequence);
        var verified = await VerifyAsync(tenant.Id);
        Assert.Null(verified.Break);
        Assert.Equal(old.Id, verified.Unsealed?.OldestId);
    }

    private async Task<TestTenant> CreateSealedTenantAsync(int keys)
    {
        var tenant = await factory.CreateTenantAsync("Seal " + Guid.NewGuid().ToString("N")[..8]);
        for (var i = 0; i < keys; i++)
        {
            await (await tenant.Api.PostJsonAsync("/api/v1/api-keys", new { name = $"k{i}", scope = "read" })).ReadAsync<CreatedApiKey>(System.Net.HttpStatusCode.Created);
        }

        await factory.SealAuditAsync();
        return tenant;
    }

    // What someone writing the database does: edits an entry (the last one, or fromSequence), clears its seal and every
    // later one, and winds the head back to the entry before it, so that a sealer would hash the forgery anew.
    private async Task<Guid> ForgeAsync(Guid tenantId, long? fromSequence)
    {
        await using var db = Context();
        var entries = db.AuditEntries.IgnoreQueryFilters().Where(a => a.TenantId == tenantId);
        var from = fromSequence ?? await entries.MaxAsync(a => a.Sequence) ?? 0;
        var edited = await entries.Where(a => a.Sequence == from).Select(a => a.Id).SingleAsync();
        var before = await entries.Where(a => a.Sequence == from - 1).Select(a => a.Hash).SingleAsync();
        await entries.Where(a => a.Id == edited).ExecuteUpdateAsync(s => s.SetProperty(a => a.Detail, "forged"));
        await entries.Where(a => a.Sequence >= from)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Sequence, (long?)null).SetProperty(a => a.PreviousHash, (string?)null).SetProperty(a => a.Hash, (string?)null));
        await db.Tenants.Where(t => t.Id == tenantId)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.AuditHeadSequence, from - 1).SetProperty(t => t.AuditHeadHash, before!));
        return edited;
    }

    private async Task<SealAuditResult> FreshSealerAsync(SealAuditRequest request)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Caller>().ActAsSystemForAllTenants();
        var sealer = ActivatorUtilities.CreateInstance<SealAuditEntries>(scope.ServiceProvider, new AuditHeadWatermarks());
        return await sealer.HandleAsync(request, CancellationToken.None);
    }

    private async Task<TenantChainResult> VerifyAsync(Guid tenantId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Caller>().ActAsSystem(tenantId);
        return (await scope.ServiceProvider.GetRequiredService<VerifyAuditChain>().HandleAsync(CancellationToken.None)).Single();
    }

    private static async Task<List<AuditEntryView>> ListAsync(TestTenant tenant, string action) =>
        (await (await tenant.Api.GetAsync($"/api/v1/audit?action={action}")).ReadAsync<Page<AuditEntryView>>()).Items.ToList();

    private async Task<ChainBreak?> BreakAsync(Guid tenantId) => (await VerifyAsync(tenantId)).Break;

    private VouchDbContext Context() => factory.Services.GetRequiredService<IDbContextFactory<VouchDbContext>>().CreateDbContext();
}

public sealed class AuditSealingOnSqlite(SqliteVouch factory) : AuditSealingTests<SqliteVouch>(factory), IClassFixture<SqliteVouch>;

public sealed class AuditSealingOnPostgres(PostgresVouch factory) : AuditSealingTests<PostgresVouch>(factory), IClassFixture<PostgresVouch>;
