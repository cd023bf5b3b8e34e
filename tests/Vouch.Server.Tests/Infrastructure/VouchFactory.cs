using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.DependencyInjection;
using Vouch.Core.Features.Audit;
using Vouch.Core.Features.Tenancy;
using Vouch.Testing;
using Vouch.Testing.StandIns;

namespace Vouch.Server.Tests.Infrastructure;

public enum TestDatabase
{
    Sqlite,
    Postgres,
}

/// <summary>The real Vouch host on a real database: a fresh SQLite file, or a fresh database in the shared test PostgreSQL cluster.</summary>
public abstract class VouchFactory(TestDatabase database, IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<Program>, IAsyncLifetime
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly TempDirectory _data = new();
    private string? _postgres;

    public TestDatabase Database { get; } = database;

    /// <summary>The host's clock; starts at the real time so cookies issued by the framework line up with it.</summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public virtual async Task InitializeAsync()
    {
        if (Database == TestDatabase.Postgres)
        {
            _postgres = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync("vouch");
        }

        // Starts the host now, which migrates the database.
        _ = Services;
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    /// <summary>Stops the host, then drops its database and deletes its data folder; safe to call twice.</summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Interlocked.Exchange(ref _postgres, null) is { } connectionString)
        {
            await (await PostgresServer.SharedAsync()).DropDatabaseAsync(connectionString);
        }

        _data.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Creates a tenant with an Owner and a write key, as <c>init</c> does.</summary>
    public async Task<TestTenant> CreateTenantAsync(string name)
    {
        await using var scope = Services.CreateAsyncScope();
        var email = $"owner-{Guid.NewGuid():N}@{name.ToLowerInvariant().Replace(' ', '-')}.test";
        var created = await scope.ServiceProvider.GetRequiredService<CreateTenant>()
            .HandleAsync(new CreateTenantRequest(name, email, "Owner " + name, "a long enough password", "US", IssueApiKey: true), CancellationToken.None);
        Assert.True(created.Succeeded, created.Failure?.ToString());
        return new TestTenant(created.Value!.TenantId, created.Value.OwnerId, email, ApiClient(created.Value.ApiKey!), created.Value.ApiKey!);
    }

    /// <summary>Seals every audit entry saved so far, as the server's sealer does on its own within about a second.</summary>
    public async Task<int> SealAuditAsync() => (await SealAuditAsync(SealAuditRequest.Everything)).Sealed;

    public Task<SealAuditResult> SealAuditAsync(SealAuditRequest request) =>
        TenantScopes.RunAsSystemAsync<SealAuditEntries, SealAuditResult>(Services, h => h.HandleAsync(request, CancellationToken.None));

    public HttpClient ApiClient(string? apiKey)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    /// <summary>Issues another key for a tenant through the API of its write key.</summary>
    public async Task<HttpClient> KeyClientAsync(TestTenant tenant, ApiKeyScope scope)
    {
        var response = await tenant.Api.PostAsJsonAsync("/api/v1/api-keys", new { name = "extra " + scope, scope = scope.ToString().ToLowerInvariant() }, Json);
        response.EnsureSuccessStatusCode();
        var created = await response.Content.ReadFromJsonAsync<CreatedApiKey>(Json);
        return ApiClient(created!.Secret);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
        builder.UseSetting("Vouch:DataDirectory", _data.Path);

        // The stand-ins listen on loopback, which the outbound-address policy refuses by default; a test of the default
        // passes its own (empty) value in its settings.
        builder.UseSetting(LoopbackStandIns.AllowKey, LoopbackStandIns.Allow);
        if (_postgres is not null)
        {
            builder.UseSetting("Database:Provider", "postgres");
            builder.UseSetting("ConnectionStrings:Vouch", _postgres);
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
    }
}

/// <summary>Vouch on a fresh SQLite database file.</summary>
public sealed class SqliteVouch() : VouchFactory(TestDatabase.Sqlite);

/// <summary>Vouch on a fresh PostgreSQL database.</summary>
public sealed class PostgresVouch() : VouchFactory(TestDatabase.Postgres);

public sealed record TestTenant(Guid Id, Guid OwnerId, string OwnerEmail, HttpClient Api, string ApiKey);
