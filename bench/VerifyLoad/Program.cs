using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Bench;

namespace VerifyLoad;

/// <summary>
/// The end-user verification round trip under load, as a technician's tool would drive it through the public API:
/// create an sms_code verification, read the code back from the development outbox, submit it.
/// N clients run round trips back to back for a warm-up and then a measured period; each client uses its own share of
/// the contacts, so no two clients ever verify the same contact at the same time (a second send would supersede the first).
/// Prints one line: BENCH clients=… roundtrips=… rps=… p50_ms=… p90_ms=… p99_ms=… max_ms=… errors=… and per-step figures.
/// </summary>
internal static partial class Program
{
    private static async Task<int> Main(string[] args)
    {
        Options options;
        try
        {
            options = Options.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"VerifyLoad: {e.Message}\n{Options.Usage}");
            return 2;
        }

        var contacts = File.ReadLines(options.ContactsFile)
            .Select(line => line.Split(',', 2))
            .Where(parts => parts.Length == 2 && Guid.TryParse(parts[0], out _))
            .Select(parts => new Contact(Guid.Parse(parts[0]), parts[1].Trim()))
            .ToArray();
        if (contacts.Length < options.Clients * 2)
        {
            await Console.Error.WriteLineAsync($"VerifyLoad: {contacts.Length} contacts in {options.ContactsFile}; need at least two per client");
            return 2;
        }

        using var handler = BenchHttp.Handler(options.Clients);
        using var http = new HttpClient(handler) { BaseAddress = options.BaseUrl, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);

        var run = new Run(options, contacts, http);
        return await run.ExecuteAsync();
    }

    internal sealed record Contact(Guid Id, string Destination);

    [GeneratedRegex(@"\b\d{6}\b")]
    internal static partial Regex CodePattern();
}

internal sealed class Run(Options options, Program.Contact[] contacts, HttpClient http)
{
    private readonly List<Sample> _samples = [];
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _errors = [];
    private long _warmupRoundTrips;
    private long _stragglers;

    public async Task<int> ExecuteAsync()
    {
        var clock = Stopwatch.StartNew();
        var measureFrom = TimeSpan.FromSeconds(options.WarmupSeconds);
        var measureUntil = measureFrom + TimeSpan.FromSeconds(options.DurationSeconds);
        var start = Random.Shared.Next(contacts.Length);
        var clients = Enumerable.Range(0, options.Clients)
            .Select(i => Task.Run(() => ClientAsync(i, start, clock, measureFrom, measureUntil)))
            .ToArray();
        await Task.WhenAll(clients);

        Report(clock.Elapsed);
        return 0;
    }

    private async Task ClientAsync(int client, int start, Stopwatch clock, TimeSpan measureFrom, TimeSpan measureUntil)
    {
        // Client i uses contacts start+i, start+i+N, start+i+2N, … (mod the list): disjoint between clients.
        var share = contacts.Length / options.Clients;
        var n = 0;
        while (clock.Elapsed < measureUntil)
        {
            var contact = contacts[(start + client + (n++ % share) * options.Clients) % contacts.Length];
            var began = clock.Elapsed;
            var (sample, error) = await RoundTripAsync(contact, clock);
            var ended = clock.Elapsed;
            lock (_gate)
            {
                if (began < measureFrom)
                {
                    _warmupRoundTrips++;
                }
                else if (ended > measureUntil)
                {
                    _stragglers++;
                }
                else if (error is not null)
                {
                    _errors[error] = _errors.GetValueOrDefault(error) + 1;
                }
                else
                {
                    _samples.Add(sample);
                }
            }

            if (error is not null && options.Verbose)
            {
                await Console.Error.WriteLineAsync($"client {client}: {error}");
            }
        }
    }

    private async Task<(Sample Sample, string? Error)> RoundTripAsync(Program.Contact contact, Stopwatch clock)
    {
        var t0 = clock.Elapsed;
        Guid id;
        try
        {
            using var create = await http.PostAsync("/api/v1/verifications", Json(new StartRequest(contact.Id, "sms_code", contact.Destination)));
            if (create.StatusCode != HttpStatusCode.Created)
            {
                return (default, $"create:{(int)create.StatusCode}");
            }

            var view = await create.Content.ReadFromJsonAsync(BenchJson.Default.VerificationDto);
            id = view!.Id;
        }
        catch (Exception e)
        {
            return (default, "create:" + e.GetType().Name);
        }

        var t1 = clock.Elapsed;
        var polls = 0;
        string? code = null;
        var deadline = t1 + TimeSpan.FromMilliseconds(options.TimeoutMs);
        try
        {
            while (code is null)
            {
                if (polls > 0)
                {
                    if (clock.Elapsed > deadline)
                    {
                        return (default, "outbox:timeout");
                    }

                    await Task.Delay(options.PollMs);
                }

                polls++;
                using var response = await http.GetAsync($"/api/v1/outbox?verificationId={id}");
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    return (default, $"outbox:{(int)response.StatusCode}");
                }

                var items = await response.Content.ReadFromJsonAsync(BenchJson.Default.OutboxPageDto);
                var mine = items!.Items.FirstOrDefault(m => m.VerificationId == id);
                if (mine is null)
                {
                    // The message row is written with the verification, so it is always there.
                    return (default, "outbox:missing");
                }

                if (string.Equals(mine.State, "sent", StringComparison.OrdinalIgnoreCase))
                {
                    var match = Program.CodePattern().Match(mine.Body ?? "");
                    if (!match.Success)
                    {
                        return (default, "outbox:no-code");
                    }

                    code = match.Value;
                }
                else if (!string.Equals(mine.State, "queued", StringComparison.OrdinalIgnoreCase))
                {
                    return (default, "outbox:" + mine.State);
                }
            }
        }
        catch (Exception e)
        {
            return (default, "outbox:" + e.GetType().Name);
        }

        var t2 = clock.Elapsed;
        try
        {
            using var submit = await http.PostAsync($"/api/v1/verifications/{id}/code", Json(new CodeRequest(code)));
            if (submit.StatusCode != HttpStatusCode.OK)
            {
                return (default, $"code:{(int)submit.StatusCode}");
            }

            var view = await submit.Content.ReadFromJsonAsync(BenchJson.Default.VerificationDto);
            if (!string.Equals(view!.Status, "verified", StringComparison.OrdinalIgnoreCase))
            {
                return (default, "code:status-" + view.Status);
            }
        }
        catch (Exception e)
        {
            return (default, "code:" + e.GetType().Name);
        }

        var t3 = clock.Elapsed;
        return (new Sample(Ms(t3 - t0), Ms(t1 - t0), Ms(t2 - t1), Ms(t3 - t2), polls), null);
    }

    private static double Ms(TimeSpan span) => span.TotalMilliseconds;

    private static StringContent Json<T>(T value)
    {
        var body = JsonSerializer.Serialize(value, typeof(T), BenchJson.Default);
        return new StringContent(body, Encoding.UTF8, "application/json");
    }

    private void Report(TimeSpan elapsed)
    {
        var total = _samples.Select(s => s.TotalMs).Order().ToArray();
        var errors = _errors.Values.Sum();
        static string P(IEnumerable<double> values, double q) => Percentile.Of(values, q);

        var inv = CultureInfo.InvariantCulture;
        var line = BenchLine.Start(options.Clients, "roundtrips", total, options.DurationSeconds, errors)
            .Append(inv, $" create_p50_ms={P(_samples.Select(s => s.CreateMs).Order().ToArray(), 50)} create_p99_ms={P(_samples.Select(s => s.CreateMs).Order().ToArray(), 99)}")
            .Append(inv, $" outbox_p50_ms={P(_samples.Select(s => s.OutboxMs).Order().ToArray(), 50)} outbox_p99_ms={P(_samples.Select(s => s.OutboxMs).Order().ToArray(), 99)}")
            .Append(inv, $" code_p50_ms={P(_samples.Select(s => s.CodeMs).Order().ToArray(), 50)} code_p99_ms={P(_samples.Select(s => s.CodeMs).Order().ToArray(), 99)}")
            .Append(inv, $" polls_per_rt={(_samples.Count == 0 ? 0 : _samples.Average(s => s.Polls)):F2}")
            .Append(inv, $" poll_ms={options.PollMs}")
            .Append(inv, $" warmup_rts={_warmupRoundTrips} stragglers={_stragglers} elapsed_s={elapsed.TotalSeconds:F1}");
        Console.WriteLine(line.ToString());
        foreach (var (kind, count) in _errors.OrderByDescending(e => e.Value))
        {
            Console.Error.WriteLine($"errors: {kind} x{count}");
        }
    }

    private readonly record struct Sample(double TotalMs, double CreateMs, double OutboxMs, double CodeMs, int Polls);
}

internal sealed record StartRequest(Guid ContactId, string Channel, string Destination);

internal sealed record CodeRequest(string Code);

internal sealed record VerificationDto(Guid Id, string? Status);

internal sealed record OutboxItemDto(Guid? VerificationId, string? State, string? Body);

internal sealed record OutboxPageDto(List<OutboxItemDto> Items, bool HasMore);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(StartRequest))]
[JsonSerializable(typeof(CodeRequest))]
[JsonSerializable(typeof(VerificationDto))]
[JsonSerializable(typeof(OutboxPageDto))]
internal sealed partial class BenchJson : JsonSerializerContext;

internal sealed record Options(Uri BaseUrl, string ApiKey, string ContactsFile, int Clients, double DurationSeconds, double WarmupSeconds,
    int PollMs, int PageSize, int TimeoutMs, bool Verbose)
{
    public const string Usage =
        "usage: VerifyLoad --base http://127.0.0.1:PORT --key vch_… --contacts FILE (lines: contactId,destination)\n" +
        "                  [--clients 16] [--duration 15] [--warmup 3] [--poll-ms 2] [--page-size 2×clients, 4..100] [--timeout-ms 10000] [--verbose]";

    public static Options Parse(string[] args)
    {
        var a = BenchArgs.Parse(args, "verbose");
        var clients = a.Count("clients", 16, 1);
        return new Options(a.Loopback("base"), a.Required("key"), a.Required("contacts"), clients, a.Number("duration", 15), a.Number("warmup", 3),
            (int)a.Number("poll-ms", 2), (int)a.Number("page-size", Math.Clamp(clients * 2, 4, 100)), (int)a.Number("timeout-ms", 10000), a.Flag("verbose"));
    }
}
