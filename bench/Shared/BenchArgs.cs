using System.Globalization;
using System.Net;
using System.Text;

namespace Bench;

/// <summary>
/// The command line of a bench/ load generator: <c>--name value</c> pairs and bare flags. Every address it hands out is
/// checked to be loopback, so a load run can only ever reach this machine.
/// </summary>
internal sealed class BenchArgs
{
    private readonly Dictionary<string, string> _values;
    private readonly HashSet<string> _flags;

    private BenchArgs(Dictionary<string, string> values, HashSet<string> flags) => (_values, _flags) = (values, flags);

    /// <summary>Reads <paramref name="args"/>; <paramref name="flags"/> are the names that take no value.</summary>
    public static BenchArgs Parse(IReadOnlyList<string> args, params string[] flags)
    {
        var values = new Dictionary<string, string>();
        var set = new HashSet<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : null;
            if (name is not null && flags.Contains(name))
            {
                set.Add(name);
            }
            else if (name is not null && i + 1 < args.Count)
            {
                values[name] = args[++i];
            }
            else
            {
                throw new ArgumentException($"unexpected argument '{args[i]}'");
            }
        }

        return new BenchArgs(values, set);
    }

    public bool Flag(string name) => _flags.Contains(name);

    public string Required(string name) =>
        _values.TryGetValue(name, out var v) && v.Length > 0 ? v : throw new ArgumentException($"--{name} is required");

    public string? Optional(string name) => _values.GetValueOrDefault(name);

    public double Number(string name, double fallback) =>
        _values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public int Count(string name, int fallback, int min)
    {
        var value = (int)Number(name, fallback);
        return value >= min ? value : throw new ArgumentException($"--{name} must be at least {min}");
    }

    /// <summary>A required URL whose host is a loopback address (127.0.0.0/8 or ::1).</summary>
    public Uri Loopback(string name)
    {
        var url = new Uri(Required(name));
        return IPAddress.TryParse(url.Host, out var address) && IPAddress.IsLoopback(address)
            ? url
            : throw new ArgumentException($"--{name} must be a loopback address (127.0.0.1 or ::1)");
    }
}

/// <summary>Latency percentiles as the bench lines print them.</summary>
internal static class Percentile
{
    /// <summary>The <paramref name="q"/>th percentile (nearest rank) of <paramref name="values"/>, in F2; "nan" when empty.</summary>
    public static string Of(IEnumerable<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return "nan";
        }

        var index = Math.Clamp((int)Math.Ceiling(q / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1);
        return sorted[index].ToString("F2", CultureInfo.InvariantCulture);
    }
}

/// <summary>The BENCH line every bench/ load generator prints: its first fields are the same everywhere.</summary>
internal static class BenchLine
{
    /// <summary>"BENCH clients=… {countName}=… rps=… p50_ms=… p90_ms=… p99_ms=… max_ms=… errors=…"; append the rest.</summary>
    public static StringBuilder Start(int clients, string countName, IReadOnlyCollection<double> latencies, double durationSeconds, int errors)
    {
        var inv = CultureInfo.InvariantCulture;
        return new StringBuilder("BENCH")
            .Append(inv, $" clients={clients}")
            .Append(inv, $" {countName}={latencies.Count}")
            .Append(inv, $" rps={latencies.Count / durationSeconds:F1}")
            .Append(inv, $" p50_ms={Percentile.Of(latencies, 50)} p90_ms={Percentile.Of(latencies, 90)} p99_ms={Percentile.Of(latencies, 99)}")
            .Append(inv, $" max_ms={(latencies.Count == 0 ? "nan" : latencies.Max().ToString("F2", inv))}")
            .Append(inv, $" errors={errors}");
    }
}

/// <summary>
/// The HTTP client settings of a load generator: kept-alive connections, no proxy, redirects or decompression; no cookies
/// unless given a jar (a browser's, e.g. for a page's antiforgery cookie).
/// </summary>
internal static class BenchHttp
{
    public static SocketsHttpHandler Handler(int maxConnections, CookieContainer? cookies = null) => new()
    {
        MaxConnectionsPerServer = maxConnections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        UseCookies = cookies is not null,
        CookieContainer = cookies ?? new CookieContainer(),
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
    };
}
