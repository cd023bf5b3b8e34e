using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Vouch.Core.Storage;

namespace Vouch.Data.Sqlite;

/// <summary>The embedded default: a SQLite file in WAL mode, with this assembly's migrations.</summary>
public static class SqliteStorage
{
    public static DbContextOptionsBuilder UseVouchSqlite(this DbContextOptionsBuilder options, string connectionString)
    {
        SqliteNative.Configure();
        return options.UseSqlite(connectionString, sqlite => sqlite
                .MigrationsAssembly(typeof(SqliteStorage).Assembly.GetName().Name)
                .UseQuerySplittingBehavior(QuerySplittingBehavior.SingleQuery))
            .AddInterceptors(ConnectionPragmas.Instance);
    }

    /// <summary>The connection string for a database file in <paramref name="dataDirectory"/>.</summary>
    public static string ConnectionStringFor(string dataDirectory) =>
        new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "vouch.db"), Pooling = true }.ToString();

    // No ANALYZE: statistics taken while tables are small mislead the planner later; the indexes are designed to be
    // chosen by SQLite's defaults.

    /// <summary>WAL lets readers run beside the one writer; it is a property of the file, so it is set once at start-up.</summary>
    public static async Task PrepareAsync(string connectionString, CancellationToken ct)
    {
        SqliteNative.Configure();
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource is { Length: > 0 } file && file != ":memory:" && Path.GetDirectoryName(Path.GetFullPath(file)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Per-connection settings: a writer waits for the lock instead of failing, and WAL commits skip the full fsync.
    /// They stick to the native connection, which the pool reuses, so each native connection is set up only once.
    /// </summary>
    private sealed class ConnectionPragmas : DbConnectionInterceptor
    {
        public static readonly ConnectionPragmas Instance = new();

        private readonly ConditionalWeakTable<object, object> _prepared = new();

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Apply(connection);
            return Task.CompletedTask;
        }

        private void Apply(DbConnection connection)
        {
            var handle = ((SqliteConnection)connection).Handle;
            if (handle is null || _prepared.TryGetValue(handle, out _))
            {
                return;
            }

            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;";
            command.ExecuteNonQuery();
            _prepared.AddOrUpdate(handle, handle);
        }
    }
}

/// <summary>
/// Process-wide settings of the native SQLite library, applied before it opens its first connection. By default SQLite
/// keeps memory statistics behind one global mutex taken on every allocation; preparing a statement allocates hundreds of
/// times, so concurrent requests queued on that mutex (measured: about a sixth of a phone search's CPU). Nothing reads the
/// statistics.
/// </summary>
internal static class SqliteNative
{
    private const int ConfigMemStatus = 9; // SQLITE_CONFIG_MEMSTATUS

    private static int _configured;

    public static void Configure()
    {
        if (Interlocked.Exchange(ref _configured, 1) == 1)
        {
            return;
        }

        SQLitePCL.Batteries_V2.Init();
        // Refused (SQLITE_MISUSE) once the library is initialised, e.g. if something else opened a connection first;
        // SQLite then simply keeps its statistics.
        _ = SQLitePCL.raw.sqlite3_config(ConfigMemStatus, 0);
    }
}

/// <summary>Used by <c>dotnet ef</c> to generate this provider's migrations.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<VouchDbContext>
{
    public VouchDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<VouchDbContext>();
        builder.UseVouchSqlite("Data Source=design-time.db");
        return new VouchDbContext(builder.Options);
    }
}
