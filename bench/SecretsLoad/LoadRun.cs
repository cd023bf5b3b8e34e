using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Bench;

namespace SecretsLoad;

/// <summary>
/// One measured run. Each of N clients is one technician's tool (sharing the API key's connections) and one recipient's
/// browser (its own connection and cookie jar), and repeats the round trip back to back: create a secret, open its link's
/// page, Reveal, decrypt and compare. Every <c>second-reveal-every</c>th round trip then presses Reveal once more on the
/// same page, which must be refused (410). A round trip counts when it starts after the warm-up and ends before the
/// measured period does; every error counts wherever it happened. The server's CPU is read over the whole load (warm-up,
/// measured period, stragglers) and divided by every round trip started in it.
/// </summary>
internal sealed class LoadRun(LoadOptions options)
{
    private static readonly string[] Steps = ["create", "open", "reveal"];

    private readonly Lock _gate = new();
    private readonly List<double> _totals = [];
    private readonly List<double>[] _steps = [.. Steps.Select(_ => new List<double>())];
    private readonly List<double> _secondLatencies = [];
    private readonly Dictionary<string, int> _errors = [];
    private readonly HashSet<Guid> _created = [];
    private readonly List<Guid> _sampled = [];
    private long _started;
    private long _warmup;
    private long _stragglers;
    private int _secondRefused;
    private int _secondRevealed;

    public async Task<int> ExecuteAsync()
    {
        var scenario = Scenario.For(options);
        using var handler = BenchHttp.Handler(options.Clients + 2);
        using var api = new HttpClient(handler) { BaseAddress = options.BaseUrl, Timeout = TimeSpan.FromMilliseconds(options.TimeoutMs) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);

        var auditBefore = await AuditHeadAsync(api);
        var stats = new ProcessStats(options.ServerPid, options.ClockTicks, options.Watch);
        var before = stats.Take();
        var (_, loadSeconds) = await LoadWindow.RunAsync(options.Clients, options.WarmupSeconds, options.DurationSeconds,
            (i, w) => ClientAsync(api, scenario, i, w.Clock, w.MeasureFrom, w.MeasureUntil));
        var cpu = stats.Take().Since(before, stats.ServerRssMb());

        var checks = new RunChecks(options.BaseUrl, options.ApiKey, options.SecondRevealEvery);
        await checks.RunAsync(auditBefore, _created, _sampled, _secondRefused, _secondRevealed, ContentErrors());
        Report(loadSeconds, cpu, checks);
        return checks.Failed ? 4 : 0;
    }

    private async Task ClientAsync(HttpClient api, Scenario scenario, int client, Stopwatch clock, TimeSpan measureFrom, TimeSpan measureUntil)
    {
        using var recipient = new Recipient(options.TimeoutMs);
        while (clock.Elapsed < measureUntil)
        {
            var n = Interlocked.Increment(ref _started);
            var secondReveal = options.SecondRevealEvery > 0 && n % options.SecondRevealEvery == 0;
            var began = clock.Elapsed;
            var (steps, error) = await RoundTripAsync(api, scenario, recipient, secondReveal, clock);
            var ended = began + TimeSpan.FromMilliseconds(steps.Sum());
            lock (_gate)
            {
                if (error is not null)
                {
                    _errors[error] = _errors.GetValueOrDefault(error) + 1;
                }
                else if (began < measureFrom)
                {
                    _warmup++;
                }
                else if (ended > measureUntil)
                {
                    _stragglers++;
                }
                else
                {
                    _totals.Add(steps.Sum());
                    for (var i = 0; i < Steps.Length; i++)
                    {
                        _steps[i].Add(steps[i]);
                    }
                }
            }

            if (error is not null && options.Verbose)
            {
                await Console.Error.WriteLineAsync($"client {client}: {error} at {clock.Elapsed.TotalSeconds:F1} s");
            }
        }
    }

    /// <summary>One round trip: the time of each step in ms, and the first error (the round trip stops there).</summary>
    private async Task<(double[] Steps, string? Error)> RoundTripAsync(HttpClient api, Scenario scenario, Recipient recipient, bool secondReveal, Stopwatch clock)
    {
        var times = new double[Steps.Length];
        var step = 0;
        var t = clock.Elapsed;
        double Lap()
        {
            var now = clock.Elapsed;
            var ms = (now - t).TotalMilliseconds;
            t = now;
            return ms;
        }

        try
        {
            var (secret, error) = await scenario.CreateAsync(api);
            times[step] = Lap();
            if (secret is null)
            {
                return (times, error);
            }

            lock (_gate)
            {
                _created.Add(secret.Id);
            }

            step++;
            (var form, error) = await recipient.OpenAsync(secret.Link);
            times[step] = Lap();
            if (form is null)
            {
                return (times, error);
            }

            step++;
            error = await scenario.RevealAsync(recipient, form, secret);
            times[step] = Lap();
            if (error is null && secondReveal)
            {
                error = await SecondRevealAsync(recipient, form, secret.Id, clock);
            }

            return (times, error);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            times[step] = Lap();
            return (times, $"{Steps[step]}:{e.GetType().Name}");
        }
    }

    /// <summary>Reveal pressed again on the same page after the secret was revealed: must be refused with 410.</summary>
    private async Task<string?> SecondRevealAsync(Recipient recipient, RevealForm form, Guid id, Stopwatch clock)
    {
        var began = clock.Elapsed;
        var (status, _) = await recipient.RevealAsync(form);
        lock (_gate)
        {
            _sampled.Add(id);
            _secondLatencies.Add((clock.Elapsed - began).TotalMilliseconds);
            _secondRefused += status == HttpStatusCode.Gone ? 1 : 0;
            _secondRevealed += status == HttpStatusCode.OK ? 1 : 0;
        }

        return status is HttpStatusCode.Gone or HttpStatusCode.OK ? null : $"second-reveal:{(int)status}";
    }

    /// <summary>The newest audit entry's sequence number before the run; the checks read only what comes after it.</summary>
    private static async Task<long> AuditHeadAsync(HttpClient api)
    {
        var page = await api.GetFromJsonAsync("/api/v1/audit?pageSize=1", SecretsJson.Default.AuditPageDto);
        return page?.Items.FirstOrDefault()?.Sequence ?? 0;
    }

    private int ContentErrors()
    {
        lock (_gate)
        {
            return _errors.Where(e => e.Key.StartsWith("reveal:content", StringComparison.Ordinal) || e.Key.StartsWith("reveal:undecryptable", StringComparison.Ordinal))
                .Sum(e => e.Value);
        }
    }

    private void Report(double loadSeconds, string cpu, RunChecks checks)
    {
        var inv = CultureInfo.InvariantCulture;
        var line = BenchLine.Start(options.Clients, "roundtrips", _totals, options.DurationSeconds, _errors.Values.Sum())
            .Append(inv, $" scenario={options.Scenario} bytes={options.ContentBytes}");
        for (var i = 0; i < Steps.Length; i++)
        {
            line.Append(inv, $" {Steps[i]}_p50_ms={Percentile.Of(_steps[i], 50)} {Steps[i]}_p90_ms={Percentile.Of(_steps[i], 90)} {Steps[i]}_p99_ms={Percentile.Of(_steps[i], 99)}");
        }

        line.Append(inv, $" second_reveals={_sampled.Count} second_refused={_secondRefused} second_revealed={_secondRevealed}")
            .Append(inv, $" second_p50_ms={Percentile.Of(_secondLatencies, 50)} second_p99_ms={Percentile.Of(_secondLatencies, 99)}")
            .Append(inv, $" started={_started} created={_created.Count} warmup_rts={_warmup} stragglers={_stragglers} load_s={loadSeconds:F1}")
            .Append(inv, $" {cpu} checks={(checks.Failed ? "failed" : "passed")}");
        Console.WriteLine(line.ToString());
        foreach (var check in checks.Lines)
        {
            Console.WriteLine(check);
        }

        foreach (var (kind, count) in _errors.OrderByDescending(e => e.Value))
        {
            Console.Error.WriteLine($"errors: {kind} x{count}");
        }
    }
}
