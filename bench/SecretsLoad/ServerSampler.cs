using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace SecretsLoad;

/// <summary>
/// What the server holds while files stream through it, read from /proc once a second from just before the load until
/// just after it: its resident memory (VmRSS), the files in its local file region (count and bytes on disk) and the
/// machine's dirty page cache; and, over the whole load, what the server read from and wrote to storage
/// (/proc/PID/io <c>read_bytes</c> / <c>write_bytes</c>, i.e. what reached the block layer, not the page cache) and what
/// the machine's disks wrote (/proc/diskstats).
/// </summary>
internal sealed class ServerSampler : IAsyncDisposable
{
    private readonly int _pid;
    private readonly string _filesDir;
    private readonly List<ServerSample> _samples = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private (long Read, long Write, long Cancelled) _ioBefore;
    private long _diskBefore;
    private Task _loop = Task.CompletedTask;

    private ServerSampler(int pid, string filesDir) => (_pid, _filesDir) = (pid, filesDir);

    public static ServerSampler Start(int pid, string filesDir)
    {
        var sampler = new ServerSampler(pid, filesDir);
        sampler._ioBefore = sampler.Io();
        sampler._diskBefore = DiskWrittenBytes();
        sampler.Take();
        sampler._loop = sampler.LoopAsync();
        return sampler;
    }

    /// <summary>Stops sampling, takes the last sample and answers them all.</summary>
    public async Task<ServerSamples> StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        Take();
        var io = Io();
        return new ServerSamples([.. _samples], io.Read - _ioBefore.Read, io.Write - _ioBefore.Write, io.Cancelled - _ioBefore.Cancelled,
            DiskWrittenBytes() - _diskBefore);
    }

    /// <summary>
    /// Storage traffic from the start until now (after the sweep's wait, say): "server_dirtied_mib_SUFFIX=…
    /// server_write_cancelled_mib_SUFFIX=… machine_disk_write_mib_SUFFIX=…". Dirtied is what the server wrote into the page
    /// cache (/proc/PID/io write_bytes), cancelled what of it was deleted before it reached the disk.
    /// </summary>
    public string StorageSinceStart(string suffix)
    {
        var io = Io();
        const double MiB = 1024 * 1024;
        return string.Create(CultureInfo.InvariantCulture,
            $" server_dirtied_mib_{suffix}={(io.Write - _ioBefore.Write) / MiB:F0} server_write_cancelled_mib_{suffix}={(io.Cancelled - _ioBefore.Cancelled) / MiB:F0}" +
            $" machine_disk_write_mib_{suffix}={(DiskWrittenBytes() - _diskBefore) / MiB:F0}");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                Take();
            }
        }
        catch (OperationCanceledException)
        {
            // stopped
        }
    }

    private void Take()
    {
        var (files, bytes) = FileCount.Of(_filesDir);
        _samples.Add(new ServerSample(_clock.Elapsed.TotalSeconds, Kb($"/proc/{_pid}/status", "VmRSS:"), files, bytes, Kb("/proc/meminfo", "Dirty:")));
    }

    /// <summary>A "Name: 123 kB" line's number, or 0 when the file or line is not there.</summary>
    private static long Kb(string path, string name)
    {
        try
        {
            return File.ReadLines(path).Where(l => l.StartsWith(name, StringComparison.Ordinal))
                .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)).FirstOrDefault();
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private (long Read, long Write, long Cancelled) Io()
    {
        try
        {
            var io = File.ReadLines($"/proc/{_pid}/io").Select(l => l.Split(':', StringSplitOptions.TrimEntries))
                .ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));
            return (io["read_bytes"], io["write_bytes"], io["cancelled_write_bytes"]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or KeyNotFoundException)
        {
            return (0, 0, 0);
        }
    }

    /// <summary>Bytes written to the machine's physical disks (sectors of 512 bytes, /proc/diskstats; loop, zram and partitions left out).</summary>
    private static long DiskWrittenBytes()
    {
        long sectors = 0;
        foreach (var fields in File.ReadLines("/proc/diskstats").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
        {
            if (fields.Length > 9 && Directory.Exists($"/sys/block/{fields[2]}/device") && !fields[2].StartsWith("zram", StringComparison.Ordinal))
            {
                sectors += long.Parse(fields[9], CultureInfo.InvariantCulture);
            }
        }

        return sectors * 512;
    }
}

/// <summary>One sample: seconds since sampling began, the server's VmRSS, files and bytes in the file region, dirty page cache.</summary>
internal sealed record ServerSample(double At, long RssKb, int Files, long FileBytes, long DirtyKb);

/// <summary>The samples of a run and the storage traffic over it.</summary>
internal sealed record ServerSamples(IReadOnlyList<ServerSample> Samples, long ServerReadBytes, long ServerWriteBytes, long ServerCancelledWriteBytes,
    long DiskWriteBytes)
{
    private const double MiB = 1024 * 1024;

    public void Report(StringBuilder line)
    {
        var peak = Samples.MaxBy(s => s.RssKb)!;
        line.Append(CultureInfo.InvariantCulture,
                $" rss_start_mb={Samples[0].RssKb / 1024.0:F0} rss_peak_mb={peak.RssKb / 1024.0:F0} rss_peak_at_s={peak.At:F0} rss_end_mb={Samples[^1].RssKb / 1024.0:F0}")
            .Append(CultureInfo.InvariantCulture, $" rss_samples={Samples.Count} files_peak={Samples.Max(s => s.Files)} files_peak_mib={Samples.Max(s => s.FileBytes) / MiB:F0}")
            .Append(CultureInfo.InvariantCulture, $" dirty_peak_mib={Samples.Max(s => s.DirtyKb) / 1024.0:F0} server_disk_read_mib={ServerReadBytes / MiB:F0}")
            .Append(CultureInfo.InvariantCulture, $" server_dirtied_mib={ServerWriteBytes / MiB:F0} server_write_cancelled_mib={ServerCancelledWriteBytes / MiB:F0}")
            .Append(CultureInfo.InvariantCulture, $" machine_disk_write_mib={DiskWriteBytes / MiB:F0}");
    }

    /// <summary>One line with every sample: "SERIES t_s:rss_mb:files:files_mib:dirty_mib …".</summary>
    public string Series() => "SERIES t_s:rss_mb:files:files_mib:dirty_mib " + string.Join(' ', Samples.Select(s =>
        string.Create(CultureInfo.InvariantCulture, $"{s.At:F0}:{s.RssKb / 1024.0:F0}:{s.Files}:{s.FileBytes / MiB:F0}:{s.DirtyKb / 1024.0:F0}")));
}

/// <summary>Files (including partial uploads) and their bytes under a folder; 0 when there is no such folder.</summary>
internal static class FileCount
{
    private static readonly EnumerationOptions Everything = new() { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };

    public static (int Files, long Bytes) Of(string folder)
    {
        if (folder.Length == 0)
        {
            return (0, 0);
        }

        // The sweep deletes files and folders while this walks them: try again when a folder vanished under it.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if (!Directory.Exists(folder))
                {
                    return (0, 0);
                }

                var files = 0;
                long bytes = 0;
                foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*", Everything))
                {
                    files++;
                    try
                    {
                        bytes += file.Length;
                    }
                    catch (IOException)
                    {
                        // deleted meanwhile
                    }
                }

                return (files, bytes);
            }
            catch (IOException) when (attempt < 5)
            {
            }
        }
    }
}

/// <summary>
/// After a file run: waits until the sweep has deleted every file from the server's local file region (a consumed secret's
/// files go after its 45 s download window, the sweep runs every 10 s), at most <c>--sweep-wait</c> seconds after the load
/// ended, and checks that none is left.
/// </summary>
internal sealed record SweepWait(int FilesAtStart, long BytesAtStart, double StartS, int FilesLeft, double EndS)
{
    public static async Task<SweepWait?> RunAsync(string folder, int maxSeconds, Stopwatch sinceLoadEnded, RunChecks checks)
    {
        if (folder.Length == 0 || maxSeconds == 0)
        {
            return null;
        }

        var start = sinceLoadEnded.Elapsed.TotalSeconds;
        var (files, bytes) = FileCount.Of(folder);
        var left = files;
        while (left > 0 && sinceLoadEnded.Elapsed.TotalSeconds < maxSeconds)
        {
            await Task.Delay(1000);
            left = FileCount.Of(folder).Files;
        }

        var wait = new SweepWait(files, bytes, start, left, sinceLoadEnded.Elapsed.TotalSeconds);
        checks.Add("files swept", left == 0,
            string.Create(CultureInfo.InvariantCulture, $"{files} files ({bytes / 1024.0 / 1024.0:F0} MiB) in the file region {start:F0} s after the load ended; ") +
            (left == 0
                ? string.Create(CultureInfo.InvariantCulture, $"none left {wait.EndS:F0} s after it")
                : string.Create(CultureInfo.InvariantCulture, $"{left} still there {wait.EndS:F0} s after it")) +
            " (download window 45 s after a reveal, sweep every 10 s)");
        return wait;
    }

    public void Report(StringBuilder line) => line.Append(CultureInfo.InvariantCulture,
        $" files_after_checks={FilesAtStart} files_after_checks_s={StartS:F0} files_left={FilesLeft} files_left_at_s={EndS:F0}");
}
