using Microsoft.Extensions.DependencyInjection;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Tenancy;

/// <summary>For system work that spans tenants (sweeps, the delivery worker, the audit sealer).</summary>
public static class TenantScopes
{
    /// <summary>Runs a use case in a scope of its own, as the system for every tenant.</summary>
    public static async Task<TResult> RunAsSystemAsync<THandler, TResult>(IServiceProvider services, Func<THandler, Task<TResult>> run)
        where THandler : notnull
    {
        await using var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Caller>().ActAsSystemForAllTenants();
        return await run(scope.ServiceProvider.GetRequiredService<THandler>());
    }

    /// <summary>Acts on each tenant's items in a scope of its own, as the system for that tenant, and saves that tenant's changes on their own.</summary>
    public static async Task ForEachTenantAsync<T>(IServiceScopeFactory scopes, IEnumerable<T> items, Func<T, Guid> tenantOf,
        Func<IServiceProvider, Guid, IEnumerable<T>, Task> work, CancellationToken ct)
    {
        foreach (var tenant in items.GroupBy(tenantOf))
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<Caller>().ActAsSystem(tenant.Key);
            await work(scope.ServiceProvider, tenant.Key, tenant);
            await scope.ServiceProvider.GetRequiredService<VouchDbContext>().SaveChangesAsync(ct);
        }
    }
}
