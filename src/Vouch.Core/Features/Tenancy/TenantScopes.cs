using Microsoft.Extensions.DependencyInjection;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Tenancy;

/// <summary>
/// For system work that spans tenants (sweeps, the delivery worker): acts on each tenant's items in a scope of its own,
/// as the system for that tenant, and saves that tenant's changes on their own.
/// </summary>
public static class TenantScopes
{
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
