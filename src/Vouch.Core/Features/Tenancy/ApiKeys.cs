using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Vouch.Core.Features.Audit;
using Vouch.Core.Storage;

namespace Vouch.Core.Features.Tenancy;

public sealed record ApiKeyView(Guid Id, string Name, ApiKeyScope Scope, string Hint, DateTime CreatedAt, DateTime? RevokedAt);

public sealed record CreatedApiKey(ApiKeyView Key, string Secret);

/// <summary>Lists the tenant's keys (never their secrets).</summary>
public sealed class ListApiKeys(VouchDbContext db)
{
    public async Task<IReadOnlyList<ApiKeyView>> HandleAsync(CancellationToken ct) =>
        await db.ApiKeys.AsNoTracking().OrderByDescending(k => k.CreatedAt)
            .Select(k => new ApiKeyView(k.Id, k.Name, k.Scope, k.Hint, k.CreatedAt, k.RevokedAt))
            .ToListAsync(ct);
}

public sealed record CreateApiKeyRequest(string? Name, ApiKeyScope? Scope);

/// <summary>Issues a key; the secret is in the answer once and nowhere else.</summary>
public sealed class CreateApiKey(VouchDbContext db, Caller caller, AuditLog audit, TimeProvider clock)
{
    public async Task<Outcome<CreatedApiKey>> HandleAsync(CreateApiKeyRequest request, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > 100)
        {
            errors.Add("name", "must be between 1 and 100 characters");
        }

        if (request.Scope is null)
        {
            errors.Add("scope", "is required: Read or Write");
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        if (!caller.CanConfigure)
        {
            return new Forbidden("only Owners, Admins and write keys can create API keys");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var memberId = caller.Kind == ActorKind.Member ? caller.ActorId : null;
        var (key, secret) = ApiKey.Issue(caller.TenantId!.Value, request.Name!, request.Scope!.Value, memberId, now);
        db.ApiKeys.Add(key);
        audit.Record("api_key.created", "api_key", key.Id.ToString(), $"{key.Name} ({key.Scope})");
        await db.SaveChangesAsync(ct);
        return new CreatedApiKey(new ApiKeyView(key.Id, key.Name, key.Scope, key.Hint, key.CreatedAt, null), secret);
    }
}

/// <summary>Revokes a key at once on this node; other nodes drop it from their cache within <see cref="ApiKeyAuthenticator.CacheLifetime"/>.</summary>
public sealed class RevokeApiKey(VouchDbContext db, Caller caller, AuditLog audit, TimeProvider clock, ApiKeyAuthenticator authenticator)
{
    public async Task<Outcome<ApiKeyView>> HandleAsync(Guid id, CancellationToken ct)
    {
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id, ct);
        if (key is null)
        {
            return new NotFound("api key");
        }

        if (!caller.CanConfigure)
        {
            return new Forbidden("only Owners, Admins and write keys can revoke API keys");
        }

        if (!key.IsRevoked)
        {
            key.Revoke(clock.GetUtcNow().UtcDateTime);
            audit.Record("api_key.revoked", "api_key", key.Id.ToString(), key.Name);
            await db.SaveChangesAsync(ct);
            authenticator.Forget(key.KeyHash);
        }

        return new ApiKeyView(key.Id, key.Name, key.Scope, key.Hint, key.CreatedAt, key.RevokedAt);
    }
}

public sealed record AuthenticatedKey(Guid TenantId, Guid KeyId, string Name, ApiKeyScope Scope);

/// <summary>Finds the tenant and scope of a presented key. Lookups are cached briefly: a search endpoint must not pay a query per call.</summary>
public sealed class ApiKeyAuthenticator(IMemoryCache cache, IServiceProvider services)
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(30);

    public async Task<AuthenticatedKey?> AuthenticateAsync(string presented, CancellationToken ct)
    {
        if (!presented.StartsWith(ApiKey.KeyPrefix, StringComparison.Ordinal) || presented.Length > 100)
        {
            return null;
        }

        // The hash lookup is by an index on a SHA-256 of a 256-bit secret, so timing reveals nothing useful.
        var hash = ApiKey.Hash(presented);
        if (cache.TryGetValue(CacheKey(hash), out AuthenticatedKey? cached))
        {
            return cached;
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VouchDbContext>();
        var found = await db.ApiKeys.IgnoreQueryFilters().AsNoTracking()
            .Where(k => k.KeyHash == hash && k.RevokedAt == null)
            .Select(k => new AuthenticatedKey(k.TenantId, k.Id, k.Name, k.Scope))
            .SingleOrDefaultAsync(ct);
        // Misses are not cached: random keys sprayed at the API must not fill the cache.
        if (found is not null)
        {
            cache.Set(CacheKey(hash), found, CacheLifetime);
        }

        return found;
    }

    public void Forget(string hash) => cache.Remove(CacheKey(hash));

    private static string CacheKey(string hash) => "api-key:" + hash;
}
