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
/// <para>
/// With files (<c>--scenario file</c>) the round trip has two more steps (upload after create, download after reveal), and
/// the run also reports what ended in the measured period (round trips, and the bytes of uploads and downloads, so MiB/s),
/// the server's resident memory sampled every second, and, after the checks, waits for the sweep to empty the server's
/// local file region (<see cref="SweepWait"/>).
/// </para>
/// </summary>
internal sealed class LoadRun(LoadOptions options)
{
    private readonly Lock _gate = new();
    private readonly List<double> _totals = [];
    private readonly Dictionary<string, long> _transferredInPeriod = [];
    private readonly Dictionary<string, long> _transferredAll = [];
    private IReadOnlyList<string> _stepNames = [];
    private List<double>[] _steps = [];
    private long _endedInPeriod;
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
        // Each client's scenario is made before the clock starts (the file scenario encrypts its file here, once).
        var scenarios = Scenario.For(options, options.Clients);
        _stepNames = scenarios[0].Steps;
        _steps = [.. _stepNames.Select(_ => new List<double>())];
        using var handler = BenchHttp.Handler(options.Clients + 2);
        using var api = new HttpClient(handler) { BaseAddress = options.BaseUrl, Timeout = TimeSpan.FromMilliseconds(options.TimeoutMs) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);

        var auditBefore = await AuditHeadAsync(api);
        var stats = new ProcessStats(options.ServerPid, options.ClockTicks, options.Watch);
        var sendsFiles = options.Scenario == "file";
        await using var sampler = sendsFiles ? ServerSampler.Start(options.ServerPid, options.FilesDir) : null;
        var before = stats.Take();
        var (_, loadSeconds) = await LoadWindow.RunAsync(options.Clients, options.WarmupSeconds, options.DurationSeconds,
            (i, w) => ClientAsync(api, scenarios[i], i, w.Clock, w.MeasureFrom, w.MeasureUntil));
        var cpu = stats.Take().Since(before, stats.ServerRssMb());
        var loadEnded = Stopwatch.StartNew();
        var samples = sampler is null ? null : await sampler.StopAsync();

        var checks = new RunChecks(options.BaseUrl, options.ApiKey, options.SecondRevealEvery);
        await checks.RunAsync(auditBefore, _created, _sampled, _secondRefused, _secondRevealed, ContentErrors());
        scenarios[0].Check(checks);
        var sweep = sendsFiles ? await SweepWait.RunAsync(options.FilesDir, options.SweepWaitSeconds, loadEnded, checks) : null;
        var storage = sweep is null ? "" : sampler!.StorageSinceStart("by_sweep_end");
        Report(loadSeconds, cpu, checks, scenarios[0], samples, sweep, storage);
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
            var (timer, error) = await RoundTripAsync(api, scenario, recipient, secondReveal, clock);
            var steps = timer.Times;
            var ended = began + TimeSpan.FromMilliseconds(steps.Sum());
            lock (_gate)
            {
                // Bytes moved count for the period when their transfer ended in it, whatever the round trip's fate.
                foreach (var (what, bytes, at) in timer.Transfers)
                {
                    _transferredAll[what] = _transferredAll.GetValueOrDefault(what) + bytes;
                    if (at >= measureFrom && at <= measureUntil)
                    {
                        _transferredInPeriod[what] = _transferredInPeriod.GetValueOrDefault(what) + bytes;
                    }
                }

                if (error is null && ended >= measureFrom && ended <= measureUntil)
                {
                    _endedInPeriod++;
                }

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
                    for (var i = 0; i < steps.Length; i++)
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
    private async Task<(StepTimer Timer, string? Error)> RoundTripAsync(HttpClient api, Scenario scenario, Recipient recipient, bool secondReveal, Stopwatch clock)
    {
        var timer = new StepTimer(clock, _stepNames.Count);
        try
        {
            var (secret, error) = await scenario.CreateAsync(api, timer);
            timer.Lap();
            if (secret is not null)
            {
                lock (_gate)
                {
                    _created.Add(secret.Id);
                }
            }

            if (secret is null || error is not null)
            {
                return (timer, error);
            }

            (var form, error) = await recipient.OpenAsync(secret.Link);
            timer.Lap();
            if (form is null)
            {
                return (timer, error);
            }

            error = await scenario.RevealAsync(recipient, form, secret, timer);
            timer.Lap();
            if (error is null && secondReveal)
            {
                error = await SecondRevealAsync(recipient, form, secret.Id, clock);
            }

            return (timer, error);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException or IOException)
        {
            var step = _stepNames[timer.Step];
            timer.Lap();
            return (timer, $"{step}:{e.GetType().Name}");
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

    /// <summary>
    /// The newest audit entry's sequence number before the run; the checks read only what comes after it. Entries are
    /// sealed into the chain (given their sequence) about a second after they are saved: wait for the newest one.
    /// </summary>
    private static async Task<long> AuditHeadAsync(HttpClient api)
    {
        for (var attempt = 0; ; attempt++)
        {
            var page = await api.GetFromJsonAsync("/api/v1/audit?pageSize=1", SecretsJson.Default.AuditPageDto);
            if (page?.Items.FirstOrDefault() is not { } newest)
            {
                return 0;
            }

            if (newest.Sequence is { } sequence)
            {
                return sequence;
            }

            if (attempt == 100)
            {
                throw new InvalidOperationException("the newest audit entry was not sealed within 10 s");
            }

            await Task.Delay(100);
        }
    }

    private int ContentErrors()
    {
        lock (_gate)
        {
            return _errors.Where(e => e.Key.StartsWith("reveal:content", StringComparison.Ordinal) || e.Key.StartsWith("reveal:undecryptable", StringComparison.Ordinal)
                || e.Key.StartsWith("download:content", StringComparison.Ordinal) || e.Key.StartsWith("download:undecryptable", StringComparison.Ordinal)).Sum(e => e.Value);
        }
    }

    private void Report(double loadSeconds, string cpu, RunChecks checks, Scenario scenario, ServerSamples? samples, SweepWait? sweep, string storage)
    {
        var inv = CultureInfo.InvariantCulture;
        var line = BenchLine.Start(options.Clients, "roundtrips", _totals, options.DurationSeconds, _errors.Values.Sum())
            .Append(inv, $" scenario={options.Scenario} bytes={options.ContentBytes}");
        for (var i = 0; i < _stepNames.Count; i++)
        {
            var step = _stepNames[i];
            line.Append(inv, $" {step}_p50_ms={Percentile.Of(_steps[i], 50)} {step}_p90_ms={Percentile.Of(_steps[i], 90)} {step}_p99_ms={Percentile.Of(_steps[i], 99)}");
        }

        line.Append(inv, $" second_reveals={_sampled.Count} second_refused={_secondRefused} second_revealed={_secondRevealed}")
            .Append(inv, $" second_p50_ms={Percentile.Of(_secondLatencies, 50)} second_p99_ms={Percentile.Of(_secondLatencies, 99)}")
            .Append(inv, $" started={_started} created={_created.Count} warmup_rts={_warmup} stragglers={_stragglers} load_s={loadSeconds:F1}")
            .Append(inv, $" {cpu}");
        if (options.Scenario == "file")
        {
            // Throughput by what ended within the measured period: a round trip of a 10 MB file lasts long enough that
            // counting only those that both began and ended in it would leave out about one per client.
            const double MiB = 1024 * 1024;
            double Rate(string what) => _transferredInPeriod.GetValueOrDefault(what) / MiB / options.DurationSeconds;
            line.Append(inv, $" ended={_endedInPeriod} rps_ended={_endedInPeriod / options.DurationSeconds:F2}")
                .Append(inv, $" upload_mib_s={Rate("upload"):F1} download_mib_s={Rate("download"):F1} total_mib_s={Rate("upload") + Rate("download"):F1}")
                .Append(inv, $" uploaded_mib_all={_transferredAll.GetValueOrDefault("upload") / MiB:F0} downloaded_mib_all={_transferredAll.GetValueOrDefault("download") / MiB:F0}");
            scenario.Report(line, options);
            samples?.Report(line);
            sweep?.Report(line);
            line.Append(storage);
        }

        line.Append(inv, $" checks={(checks.Failed ? "failed" : "passed")}");
        Console.WriteLine(line.ToString());
        if (samples is not null)
        {
            Console.WriteLine(samples.Series());
        }

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
