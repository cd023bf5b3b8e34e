using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Npgsql;
using Vouch.Core.Storage;

namespace Vouch.Data.Postgres;

/// <summary>PostgreSQL for production and scale-out, with this assembly's migrations.</summary>
public static class PostgresStorage
{
    public const int DefaultMaxAutoPrepare = 64;

    public const int DefaultMaxPoolSize = 20;

    public static DbContextOptionsBuilder UseVouchPostgres(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(WithVouchDefaults(connectionString), npgsql => npgsql
            .MigrationsAssembly(typeof(PostgresStorage).Assembly.GetName().Name)
            .UseQuerySplittingBehavior(QuerySplittingBehavior.SingleQuery));

    /// <summary>
    /// Vouch's defaults for a PostgreSQL connection string, each only where the string does not set it itself:
    /// <list type="bullet">
    /// <item><c>Max Auto Prepare=64;Auto Prepare Min Usages=2</c>: Npgsql prepares statements used more than once (0 turns
    /// it off, e.g. behind a pooler that cannot keep prepared statements). Vouch sends the same few statements on every
    /// request; preparing them measured 28% more inbound texts per second.</item>
    /// <item><c>Maximum Pool Size=20</c> per node, instead of Npgsql's 100: PostgreSQL serves short statements best with a
    /// few active connections per core, and more only make its backends contend (on 2 cores, 20 against 100 measured 33%
    /// more inbound texts per second and 28% less PostgreSQL CPU per text); it also keeps up to five nodes inside
    /// PostgreSQL's default <c>max_connections</c> of 100.</item>
    /// <item><c>No Reset On Close=true</c>: a connection going back to the pool keeps its session as it is instead of having
    /// PostgreSQL run a seven-command reset (RESET ALL, UNLISTEN, unlocking advisory locks, …) before its next use. EF Core
    /// opens and closes a pooled connection for every query, so the reset ran six or seven times per inbound text, and
    /// Vouch sets nothing on a session that a reset would have to undo: no SET, LISTEN, temporary tables or session
    /// advisory locks (migrations lock a table inside their transaction).</item>
    /// </list>
    /// </summary>
    public static string WithVouchDefaults(string connectionString)
    {
        // Npgsql takes each keyword with or without its spaces, in any case.
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()).ToHashSet();
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Contains("maxautoprepare"))
        {
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
            if (!given.Contains("autoprepareminusages"))
            {
                builder.AutoPrepareMinUsages = 2;
            }
        }

        if (!given.Contains("maximumpoolsize") && !given.Contains("maxpoolsize"))
        {
            builder.MaxPoolSize = DefaultMaxPoolSize;
        }

        if (!given.Contains("noresetonclose"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }
}

/// <summary>Used by <c>dotnet ef</c> to generate this provider's migrations; it never connects.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<VouchDbContext>
{
    public VouchDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<VouchDbContext>();
        builder.UseVouchPostgres("Host=localhost;Database=vouch_design");
        return new VouchDbContext(builder.Options);
    }
}
