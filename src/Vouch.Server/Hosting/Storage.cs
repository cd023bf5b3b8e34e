using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Vouch.Core.Features.Tenancy;
using Vouch.Core.Storage;
using Vouch.Data.Postgres;
using Vouch.Data.Sqlite;

namespace Vouch.Server.Hosting;

/// <summary>Chooses the database from configuration and brings its schema up to date at start-up.</summary>
public static class Storage
{
    public static IServiceCollection AddVouchStorage(this IServiceCollection services)
    {
        // Resolved from the final configuration (tests and hosts may add settings after the builder is made).
        services.AddSingleton(sp => Resolve(sp.GetRequiredService<IConfiguration>()));
        // Contexts are pooled (building one per request showed in profiles); each scope binds its own Caller.
        services.AddPooledDbContextFactory<VouchDbContext>((sp, options) =>
        {
            var settings = sp.GetRequiredService<StorageSettings>();
            if (settings.Provider == "postgres")
            {
                options.UseVouchPostgres(settings.ConnectionString);
            }
            else
            {
                options.UseVouchSqlite(settings.ConnectionString);
            }
        });
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<VouchDbContext>>().CreateDbContext()
            .Bind(sp.GetRequiredService<Caller>()));
        return services;
    }

    /// <summary>Reads and checks the database settings; a wrong value stops start-up with a message that names the key.</summary>
    public static StorageSettings Resolve(IConfiguration configuration)
    {
        var provider = (configuration[$"{DatabaseOptions.Section}:Provider"] ?? "sqlite").Trim().ToLowerInvariant();
        var connectionString = configuration.GetConnectionString("Vouch");
        switch (provider)
        {
            case "sqlite":
                var dataDirectory = configuration[$"{VouchOptions.Section}:DataDirectory"] is { Length: > 0 } d ? d : "./data";
                return new StorageSettings("sqlite", string.IsNullOrWhiteSpace(connectionString) ? SqliteStorage.ConnectionStringFor(dataDirectory) : connectionString);
            case "postgres":
            case "postgresql":
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new OptionsValidationException("ConnectionStrings:Vouch", typeof(DatabaseOptions),
                        ["ConnectionStrings:Vouch is required when Database:Provider is 'postgres' (e.g. Host=localhost;Database=vouch;Username=vouch;Password=...)."]);
                }

                return new StorageSettings("postgres", connectionString);
            default:
                throw new OptionsValidationException("Database:Provider", typeof(DatabaseOptions),
                    [$"Database:Provider must be 'sqlite' or 'postgres', not '{provider}'."]);
        }
    }

    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct)
    {
        var settings = services.GetRequiredService<StorageSettings>();
        if (settings.Provider == "sqlite")
        {
            await SqliteStorage.PrepareAsync(settings.ConnectionString, ct);
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VouchDbContext>();
        await db.Database.MigrateAsync(ct);
    }
}

public sealed record StorageSettings(string Provider, string ConnectionString);
