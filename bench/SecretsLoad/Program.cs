using Bench;

namespace SecretsLoad;

/// <summary>
/// The secret-link round trip of issue 5 under load: N clients each create a secret through the API as a technician's
/// tool would (encrypted on the client, end to end) and reveal it as the recipient's browser would (open the link's page,
/// take its antiforgery token, post Reveal, decrypt with the key from the link's fragment and compare with what was sent),
/// back to back for a warm-up and a measured period; with <c>--scenario file</c> each secret also carries a file, uploaded
/// after the create and downloaded after the reveal. Then it checks through the API that every secret created was
/// revealed exactly once. Prints one BENCH line and CHECK lines; exits 4 when a check failed.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        try
        {
            return await new LoadRun(LoadOptions.Parse(BenchArgs.Parse(args, "verbose"))).ExecuteAsync();
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"SecretsLoad: {e.Message}\nusage: SecretsLoad {LoadOptions.Usage}");
            return 2;
        }
    }
}

internal sealed record LoadOptions(Uri BaseUrl, string ApiKey, string Scenario, int ContentBytes, int Clients, double DurationSeconds,
    double WarmupSeconds, int SecondRevealEvery, int LifetimeMinutes, int TimeoutMs, int ServerPid, int ClockTicks, string Watch, bool Verbose,
    int FileBytes, int DecryptEvery, string FilesDir, int SweepWaitSeconds)
{
    public const string Usage =
        "--base http://127.0.0.1:PORT --key vch_… (write scope)\n" +
        "                   [--scenario text|file] [--bytes 1024 (content per secret)] [--clients 16] [--duration 15] [--warmup 3]\n" +
        "                   [--second-reveal-every 50 (0: never)] [--lifetime-minutes 60] [--timeout-ms 10000]\n" +
        "                   [--server-pid PID --clk-tck 100] [--watch postgres:PID (CPU of each and its children)] [--verbose]\n" +
        "                   file scenario: [--file-bytes 10485760 (one file per secret)] [--decrypt-every 10 (downloads)]\n" +
        "                   [--files-dir DATA/files (the server's local file region: files on disk, swept)] [--sweep-wait 90 (s)]";

    public static LoadOptions Parse(BenchArgs a) => new(a.Loopback("base"), a.Required("key"), a.Optional("scenario") ?? "text",
        a.Count("bytes", 1024, 1), a.Count("clients", 16, 1), a.Number("duration", 15), a.Number("warmup", 3),
        a.Count("second-reveal-every", 50, 0), a.Count("lifetime-minutes", 60, 5), a.Count("timeout-ms", 10000, 1),
        a.Count("server-pid", 0, 0), a.Count("clk-tck", 100, 1), a.Optional("watch") ?? "", a.Flag("verbose"),
        a.Count("file-bytes", 10 * 1024 * 1024, 0), a.Count("decrypt-every", 10, 1), a.Optional("files-dir") ?? "", a.Count("sweep-wait", 90, 0));
}
