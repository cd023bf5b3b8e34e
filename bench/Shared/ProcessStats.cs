using System.Globalization;

namespace Bench;

/// <summary>
/// CPU time and memory read from /proc, so a load run can say what each request cost the server and who else was busy:
/// the server's CPU, that of watched processes with their children (PostgreSQL's backends are the postmaster's), this
/// process's own, and the whole machine's busy time.
/// </summary>
/// <param name="serverPid">the server's process id; 0 for none (every figure of it is then 0)</param>
/// <param name="clockTicks">the kernel's clock ticks per second (<c>getconf CLK_TCK</c>)</param>
/// <param name="watch"><c>name:PID,name:PID</c>, e.g. <c>standin:123,postgres:456</c>; empty for none</param>
internal sealed class ProcessStats(int serverPid, int clockTicks, string watch)
{
    private readonly Dictionary<string, string> _watched = watch.Split(',', StringSplitOptions.RemoveEmptyEntries)
        .Select(w => w.Split(':')).ToDictionary(w => w[1], w => w[0]); // pid -> name

    /// <summary>Everything at one moment; subtract two with <see cref="Snapshot.Since"/>.</summary>
    public Snapshot Take() => new(ServerCpuMs(), WatchedCpuMs(), (long)Environment.CpuUsage.TotalTime.TotalMilliseconds, MachineBusyMs());

    /// <summary>The server's user + system CPU time.</summary>
    public long ServerCpuMs() => serverPid == 0 ? 0 : CpuMs(Stat(serverPid.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The server's resident memory (VmRSS), MB.</summary>
    public long ServerRssMb() => serverPid == 0 ? 0
        : File.ReadLines($"/proc/{serverPid}/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024).FirstOrDefault();

    /// <summary>CPU of each watched process and its children, by name.</summary>
    public Dictionary<string, long> WatchedCpuMs()
    {
        var totals = _watched.Values.ToDictionary(name => name, _ => 0L);
        if (_watched.Count == 0)
        {
            return totals;
        }

        foreach (var dir in Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(d => d!.All(char.IsAsciiDigit)))
        {
            var fields = Stat(dir!);
            if (fields is not null && (_watched.TryGetValue(dir!, out var name) || _watched.TryGetValue(fields[1], out name)))
            {
                totals[name] += CpuMs(fields);
            }
        }

        return totals;
    }

    /// <summary>
    /// CPU time the whole machine spent busy (user, nice, system, irq, softirq, steal from /proc/stat), so what is left after
    /// the processes of the run is the neighbours' (and the kernel's work for nobody in particular).
    /// </summary>
    public long MachineBusyMs()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long Field(int i) => long.Parse(cpu[i], CultureInfo.InvariantCulture);
        return (Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8)) * 1000 / clockTicks;
    }

    /// <summary>The fields of /proc/PID/stat from the 3rd on (state, ppid, …), or null when the process is gone.</summary>
    private static string[]? Stat(string pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }

    // utime and stime are the 14th and 15th fields.
    private long CpuMs(string[]? fields) => fields is null ? 0
        : (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 1000 / clockTicks;

    /// <summary>CPU times at one moment: the server's, the watched processes', this process's and the machine's.</summary>
    internal sealed record Snapshot(long ServerMs, Dictionary<string, long> WatchedMs, long OwnMs, long MachineMs)
    {
        /// <summary>
        /// "server_cpu_ms=… rss_mb=… loadgen_cpu_ms=… NAME_cpu_ms=… others_cpu_ms=…" from <paramref name="before"/> to now;
        /// others is the machine's busy time less all of these.
        /// </summary>
        public string Since(Snapshot before, long rssMb)
        {
            var watched = WatchedMs.ToDictionary(w => w.Key, w => w.Value - before.WatchedMs.GetValueOrDefault(w.Key));
            var server = ServerMs - before.ServerMs;
            var own = OwnMs - before.OwnMs;
            var others = MachineMs - before.MachineMs - server - own - watched.Values.Sum();
            return string.Create(CultureInfo.InvariantCulture, $"server_cpu_ms={server} rss_mb={rssMb} loadgen_cpu_ms={own}") +
                string.Concat(watched.Select(w => string.Create(CultureInfo.InvariantCulture, $" {w.Key}_cpu_ms={w.Value}"))) +
                string.Create(CultureInfo.InvariantCulture, $" others_cpu_ms={others}");
        }
    }
}
