using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace Vouch.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster shared by every test in the process. It is created on first use with initdb in a
/// temp directory, listens only on 127.0.0.1 with durability switched off (tests never need crash safety, and fsync
/// dominates their run time), and is stopped and deleted when the process exits. Each test class gets its own database
/// through <see cref="CreateDatabaseAsync"/>, so classes can run in parallel without seeing each other's rows.
/// </summary>
public sealed class PostgresServer
{
    private const string PostgresRoot = "/usr/lib/postgresql";
    private const string OsUser = "postgres";
    private const int StartAttempts = 3;
    private const string ClusterPrefix = "vouch-pg-";
    private const string OwnerFile = "owner.pid";

    // ExecutionAndPublication: many test classes ask at once, exactly one cluster may be started.
    private static readonly Lazy<Task<PostgresServer>> Shared =
        new(() => Task.Run(() => StartAsync(CancellationToken.None)), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _binDirectory;
    private readonly TempDirectory _root;
    private readonly bool _asPostgresUser;
    private int _stopped;

    private PostgresServer(string binDirectory, TempDirectory root, bool asPostgresUser)
    {
        _binDirectory = binDirectory;
        _root = root;
        _asPostgresUser = asPostgresUser;
    }

    /// <summary>Always the loopback address: tests must not talk to anything else.</summary>
    public string Host => "127.0.0.1";

    /// <summary>The TCP port the cluster listens on.</summary>
    public int Port { get; private set; }

    /// <summary>Connection string for the <c>postgres</c> maintenance database (superuser, no pooling).</summary>
    public string AdminConnectionString => BuildConnectionString("postgres", pooling: false);

    private string DataDirectory => _root.Combine("data");

    private string SocketDirectory => _root.Combine("sock");

    private string LogFile => _root.Combine("postgres.log");

    /// <summary>Starts the process-wide cluster on first call and returns the same instance afterwards.</summary>
    public static Task<PostgresServer> SharedAsync() => Shared.Value;

    /// <summary>
    /// Creates an empty database named <paramref name="prefix"/> plus a random suffix and returns a pooled connection
    /// string for it. Drop it with <see cref="DropDatabaseAsync"/> when the test class is done.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var name = UniqueDatabaseName(prefix);
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE {QuoteIdentifier(name)}";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return BuildConnectionString(name, pooling: true);
    }

    /// <summary>Drops the database named in <paramref name="connectionString"/>, closing any connections still open to it.</summary>
    public async Task DropDatabaseAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        if (string.IsNullOrEmpty(database) || database is "postgres" or "template0" or "template1")
        {
            throw new ArgumentException($"Refusing to drop database '{database}'.", nameof(connectionString));
        }

        // Idle pooled connections would otherwise be killed under the pool's feet by WITH (FORCE).
        using (var pooled = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS {QuoteIdentifier(database)} WITH (FORCE)";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private string BuildConnectionString(string database, bool pooling)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = Port,
            Username = "postgres",
            Database = database,
            Pooling = pooling,
        };
        if (pooling)
        {
            builder.MaxPoolSize = 50;
        }

        return builder.ConnectionString;
    }

    private static string UniqueDatabaseName(string prefix)
    {
        var cleaned = new StringBuilder();
        foreach (var c in prefix.ToLowerInvariant())
        {
            cleaned.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' ? c : '_');
        }

        // Identifiers are limited to 63 bytes; keep room for "_" and the 8-character suffix.
        var stem = cleaned.Length == 0 ? "test" : cleaned.ToString(0, Math.Min(cleaned.Length, 54));
        return $"{stem}_{Guid.NewGuid().ToString("N")[..8]}";
    }

    private static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    private static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken)
    {
        var binDirectory = FindBinDirectory();

        // PostgreSQL refuses to run as root, so as root the server runs as the "postgres" OS user, which needs
        // to own its directories and to reach them: /root is private, /tmp is not.
        var asPostgresUser = OperatingSystem.IsLinux() && Environment.UserName == "root";
        var parent = asPostgresUser ? "/tmp" : Path.GetTempPath();
        RemoveOrphanedClusters(binDirectory, parent, asPostgresUser);
        var root = new TempDirectory(ClusterPrefix, parent);
        var server = new PostgresServer(binDirectory, root, asPostgresUser);

        // Registered before starting so that even a half-started cluster is stopped and its files removed.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        try
        {
            Directory.CreateDirectory(server.SocketDirectory);
            await File.WriteAllTextAsync(root.Combine(OwnerFile), Environment.ProcessId.ToString(), cancellationToken);
            if (asPostgresUser)
            {
                await RunAsync("chown", ["-R", $"{OsUser}:{OsUser}", root.Path], cancellationToken);
            }

            await server.RunPgAsync(
                "initdb",
                ["-D", server.DataDirectory, "--auth=trust", "--no-sync", "-U", "postgres", "-E", "UTF8", "--locale=C"],
                cancellationToken);

            // The free port is only free until someone else grabs it, so retry with a new one if the bind loses the race.
            for (var attempt = 1; ; attempt++)
            {
                server.Port = FindFreePort();
                try
                {
                    await server.RunPgAsync(
                        "pg_ctl",
                        [
                            "-D", server.DataDirectory, "-l", server.LogFile, "-w", "-t", "60",
                            "-o",
                            $"-c listen_addresses=127.0.0.1 -p {server.Port} -k {server.SocketDirectory} -c fsync=off " +
                            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
                            "start",
                        ],
                        cancellationToken);
                    return server;
                }
                catch (InvalidOperationException) when (attempt < StartAttempts)
                {
                }
            }
        }
        catch (Exception ex)
        {
            // Read the server log before Stop deletes it: it usually names the real cause.
            var log = File.Exists(server.LogFile) ? await File.ReadAllTextAsync(server.LogFile, CancellationToken.None) : "";
            server.Stop();
            if (ex is OperationCanceledException)
            {
                throw;
            }

            throw new InvalidOperationException($"Could not start the test PostgreSQL cluster: {ex.Message}\n{log}", ex);
        }
    }

    // A test process killed outright (Ctrl+C, a crash, the runner's kill after its exit timeout) never runs
    // ProcessExit; its cluster would keep running forever. Clean those up: their owner process no longer exists.
    private static void RemoveOrphanedClusters(string binDirectory, string parent, bool asPostgresUser)
    {
        foreach (var dir in Directory.GetDirectories(parent, ClusterPrefix + "*"))
        {
            try
            {
                var ownerFile = Path.Combine(dir, OwnerFile);
                if (!File.Exists(ownerFile) || !int.TryParse(File.ReadAllText(ownerFile), out var owner)
                    || IsRunning(owner))
                {
                    continue;
                }

                var orphan = new PostgresServer(binDirectory, TempDirectory.Adopt(dir), asPostgresUser);
                orphan.Stop();
            }
            catch (IOException)
            {
                // Another test process is cleaning the same directory; leave it to that one.
            }
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string FindBinDirectory()
    {
        // Debian installs each major version side by side; use the newest. /usr/local/bin may hold wrappers, not the real tools.
        var candidates = Directory.Exists(PostgresRoot)
            ? Directory.GetDirectories(PostgresRoot)
                .Select(dir => (Dir: dir, Version: int.TryParse(Path.GetFileName(dir), out var v) ? v : -1))
                .Where(c => c.Version >= 0 && File.Exists(Path.Combine(c.Dir, "bin", "initdb"))
                            && File.Exists(Path.Combine(c.Dir, "bin", "pg_ctl")))
                .OrderByDescending(c => c.Version)
                .ToList()
            : [];
        if (candidates.Count == 0)
        {
            throw new InvalidOperationException(
                $"PostgreSQL server binaries not found (looked for {PostgresRoot}/<version>/bin/initdb). " +
                "Run ./test.sh from the repository root: it installs the postgresql package when missing " +
                "(or install it yourself with: apt-get install -y postgresql).");
        }

        return Path.Combine(candidates[0].Dir, "bin");
    }

    private static int FindFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private Task RunPgAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_binDirectory, tool);
        return _asPostgresUser
            ? RunAsync("runuser", ["-u", OsUser, "--", path, .. arguments], cancellationToken)
            : RunAsync(path, arguments, cancellationToken);
    }

    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            // The postgres user cannot read root's home; start where every user may be.
            WorkingDirectory = "/",
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start {fileName}.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await stdout}{await stderr}");
        }
    }

    // Runs from ProcessExit, where nothing async is awaited and the test runner may kill the process moments later
    // (deleting a data directory takes longer than that). So hand stop-and-delete to a small shell that outlives
    // this process, and wait for it only while we are allowed to.
    private void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        try
        {
            var pgCtl = Path.Combine(_binDirectory, "pg_ctl");
            string[] stop = _asPostgresUser
                ? ["runuser", "-u", OsUser, "--", pgCtl, "-D", DataDirectory, "-m", "immediate", "-w", "stop"]
                : [pgCtl, "-D", DataDirectory, "-m", "immediate", "-w", "stop"];
            var startInfo = new ProcessStartInfo("/bin/sh")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = "/",
            };
            // $1 is the directory to delete, the rest is the stop command; nothing is interpolated into the script.
            // Output goes to /dev/null so that the shell survives this process's pipes closing (no SIGPIPE).
            foreach (var argument in (string[])
                     ["-c", "exec >/dev/null 2>&1 </dev/null; root=$1; shift; [ -f \"$root/data/postmaster.pid\" ] && \"$@\"; rm -rf -- \"$root\"",
                      "sh", _root.Path, .. stop])
            {
                startInfo.ArgumentList.Add(argument);
            }

            using var process = Process.Start(startInfo);
            process?.StandardInput.Close();
            process?.WaitForExit(TimeSpan.FromSeconds(20));
        }
        catch (Exception)
        {
            // Best effort: the process is exiting and must not hang or crash on cleanup.
        }
        finally
        {
            // Covers a failed shell start; a no-op when the shell already deleted everything.
            _root.Dispose();
        }
    }
}
