using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bench;

namespace InboundLoad;

internal sealed record LoadOptions(Uri BaseUrl, Uri WebhookUrl, Uri StandInUrl, string ApiKey, string ContactsFile, string VouchNumber,
    string AccountSid, string AuthToken, int Clients, double DurationSeconds, double WarmupSeconds, int DuplicateEvery, int TimeoutMs,
    double DrainTimeoutSeconds, double SettleSeconds, int ServerPid, int ClockTicks, string Watch, bool Verbose)
{
    public const string Usage =
        "--base http://127.0.0.1:PORT --webhook http://127.0.0.1:PORT/webhooks/twilio/sms --standin http://127.0.0.1:PORT\n" +
        "                    --key vch_… --contacts FILE (lines: contactId,(212) 245-1234) --to +1… --account AC… --token TOKEN\n" +
        "                    [--clients 64] [--duration 15] [--warmup 3] [--duplicate-every 20] [--timeout-ms 10000]\n" +
        "                    [--drain-timeout 120] [--settle 2] [--server-pid PID --clk-tck 100]\n" +
        "                    [--watch standin:PID,postgres:PID (CPU of each and its children)] [--verbose]";

    public static LoadOptions Parse(BenchArgs a) => new(a.Loopback("base"), a.Loopback("webhook"), a.Loopback("standin"), a.Required("key"),
        a.Required("contacts"), a.Required("to"), a.Required("account"), a.Required("token"), a.Count("clients", 64, 1),
        a.Number("duration", 15), a.Number("warmup", 3), a.Count("duplicate-every", 20, 0), a.Count("timeout-ms", 10000, 1),
        a.Number("drain-timeout", 120), a.Number("settle", 2), a.Count("server-pid", 0, 0), a.Count("clk-tck", 100, 1),
        a.Optional("watch") ?? "", a.Flag("verbose"));
}

/// <summary>
/// One measured run. Client i of N takes contacts i, i+N, i+2N, … in turn and, for each, posts a signed <c>#verify</c>
/// from the contact's mobile and then a signed <c>#confirm</c>, each expecting 200; so a contact never has more than one
/// pending request and two clients never text from the same number. Every <c>duplicate-every</c>th text is posted a
/// second time with the same MessageSid, alternately after the first answer (a provider's retry) and at the same time
/// (two deliveries racing). A text counts when it starts after the warm-up and ends before the measured period does;
/// duplicates are counted apart. Then the run waits until the stand-in has every reply and checks, through the API,
/// that each text was stored and acted on once and only once.
/// </summary>
internal sealed class LoadRun(LoadOptions options)
{
    private const string VerifiedOutcome = "technician verification requested: code sent";
    private const string ConfirmedOutcome = "confirmed the technician";
    private static readonly string[] Keywords = ["#verify", "#confirm"];

    private readonly Lock _gate = new();
    private readonly List<double> _latencies = [];
    private readonly List<double> _duplicateLatencies = [];
    private readonly Dictionary<string, int> _errors = [];
    private readonly Dictionary<string, bool> _posted = []; // MessageSid -> is #verify
    private readonly Dictionary<string, int> _pairsPerNumber = [];
    private long _warmup;
    private long _stragglers;
    private long _duplicatesOutside;
    private readonly List<string> _checks = [];
    private bool _failed;

    public async Task<int> ExecuteAsync()
    {
        var contacts = File.ReadLines(options.ContactsFile)
            .Select(line => line.Split(',', 2))
            .Where(parts => parts.Length == 2 && Guid.TryParse(parts[0], out _))
            .Select(parts => "+1" + new string(parts[1].Where(char.IsAsciiDigit).ToArray()))
            .ToArray();
        if (contacts.Length < options.Clients * 2)
        {
            await Console.Error.WriteLineAsync($"InboundLoad: {contacts.Length} contacts in {options.ContactsFile}; need at least two per client");
            return 2;
        }

        using var handler = BenchHttp.Handler(options.Clients * 2 + 4);
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromMilliseconds(options.TimeoutMs) };

        (await http.PostAsync(new Uri(options.StandInUrl, "/_bench/reset"), null)).EnsureSuccessStatusCode();
        var runStart = DateTime.UtcNow;
        var stats = new ProcessStats(options.ServerPid, options.ClockTicks, options.Watch);
        var before = stats.Take();
        var (window, loadSeconds) = await LoadWindow.RunAsync(options.Clients, options.WarmupSeconds, options.DurationSeconds,
            (i, w) => ClientAsync(http, contacts, i, w.Clock, w.MeasureFrom, w.MeasureUntil));

        var drained = await DrainAsync(http);
        var drainSeconds = window.Clock.Elapsed.TotalSeconds - loadSeconds;
        var server = stats.Take().Since(before, stats.ServerRssMb());
        await CheckAsync(http, runStart, drained);
        Report(loadSeconds, drainSeconds, server);
        return _failed ? 4 : 0;
    }

    private async Task ClientAsync(HttpClient http, string[] contacts, int client, Stopwatch clock, TimeSpan measureFrom, TimeSpan measureUntil)
    {
        var share = contacts.Length / options.Clients;
        var texts = 0;
        for (var pair = 0; clock.Elapsed < measureUntil; pair++)
        {
            var from = contacts[client + pair % share * options.Clients];
            foreach (var body in Keywords)
            {
                var text = new InboundText(NewSid(), from, body);
                var form = Form(text);
                var signature = Sign(form);
                lock (_gate)
                {
                    _posted.Add(text.Sid, body == "#verify");
                }

                var duplicate = options.DuplicateEvery > 0 && texts % options.DuplicateEvery == options.DuplicateEvery - 1;
                var racing = duplicate && texts / options.DuplicateEvery % 2 == 1;
                texts++;
                var first = PostAsync(http, form, signature, clock);
                var second = racing ? PostAsync(http, form, signature, clock) : null;
                Record(await first, body, clock, measureFrom, measureUntil, isDuplicate: false);
                if (duplicate)
                {
                    Record(await (second ?? PostAsync(http, form, signature, clock)), body, clock, measureFrom, measureUntil, isDuplicate: true);
                }
            }

            lock (_gate)
            {
                _pairsPerNumber[from] = _pairsPerNumber.GetValueOrDefault(from) + 1;
            }
        }
    }

    private sealed record InboundText(string Sid, string From, string Body);

    private readonly record struct Posted(TimeSpan Began, TimeSpan Ended, string? Error);

    /// <summary>Twilio's inbound-message form (the fields of its SMS webhook, for an SMS without media).</summary>
    private List<KeyValuePair<string, string>> Form(InboundText text) =>
    [
        new("ToCountry", "US"), new("ToState", "CA"), new("SmsMessageSid", text.Sid), new("NumMedia", "0"), new("ToCity", ""),
        new("FromZip", ""), new("SmsSid", text.Sid), new("FromState", "NY"), new("SmsStatus", "received"), new("FromCity", "NEW YORK"),
        new("Body", text.Body), new("FromCountry", "US"), new("To", options.VouchNumber), new("ToZip", ""), new("NumSegments", "1"),
        new("MessageSid", text.Sid), new("AccountSid", options.AccountSid), new("From", text.From), new("ApiVersion", "2010-04-01"),
    ];

    /// <summary>X-Twilio-Signature: Base64(HMAC-SHA1(auth token, URL + each field's name and value, names in ordinal order)).</summary>
    private string Sign(List<KeyValuePair<string, string>> form)
    {
        var data = new StringBuilder(options.WebhookUrl.OriginalString);
        foreach (var (name, value) in form.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }

#pragma warning disable CA5350 // Twilio's scheme is HMAC-SHA1.
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(options.AuthToken), Encoding.UTF8.GetBytes(data.ToString())));
#pragma warning restore CA5350
    }

    private async Task<Posted> PostAsync(HttpClient http, List<KeyValuePair<string, string>> form, string signature, Stopwatch clock)
    {
        var began = clock.Elapsed;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, options.WebhookUrl) { Content = new FormUrlEncodedContent(form) };
            request.Headers.Add("X-Twilio-Signature", signature);
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue("TwilioProxy", "1.1"));
            using var response = await http.SendAsync(request);
            _ = await response.Content.ReadAsByteArrayAsync();
            return new Posted(began, clock.Elapsed, response.StatusCode == HttpStatusCode.OK ? null : ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new Posted(began, clock.Elapsed, e.GetType().Name);
        }
    }

    private void Record(Posted posted, string body, Stopwatch clock, TimeSpan measureFrom, TimeSpan measureUntil, bool isDuplicate)
    {
        lock (_gate)
        {
            if (posted.Error is { } error)
            {
                // Every error counts, wherever it happened: none may be lost.
                var kind = $"{(isDuplicate ? "duplicate " : "")}{body}:{error}";
                _errors[kind] = _errors.GetValueOrDefault(kind) + 1;
            }
            else if (posted.Began < measureFrom)
            {
                _warmup += isDuplicate ? 0 : 1;
            }
            else if (posted.Ended > measureUntil)
            {
                _stragglers += isDuplicate ? 0 : 1;
                _duplicatesOutside += isDuplicate ? 1 : 0;
            }
            else
            {
                (isDuplicate ? _duplicateLatencies : _latencies).Add((posted.Ended - posted.Began).TotalMilliseconds);
            }
        }

        if (posted.Error is not null && options.Verbose)
        {
            Console.Error.WriteLine($"{body}: {posted.Error} at {clock.Elapsed.TotalSeconds:F1} s");
        }
    }

    private static string NewSid() => "SM" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Waits until the stand-in has a reply for every text (or the time is up), then a little longer for any extra.</summary>
    private async Task<JsonElement> DrainAsync(HttpClient http)
    {
        int verifies, confirms;
        lock (_gate)
        {
            verifies = _posted.Values.Count(v => v);
            confirms = _posted.Count - verifies;
        }

        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var counts = await StandInCountsAsync(http);
            var done = counts.GetProperty("codes").GetInt32() >= verifies && counts.GetProperty("confirmations").GetInt32() >= confirms;
            if (done || deadline.Elapsed.TotalSeconds > options.DrainTimeoutSeconds)
            {
                break;
            }

            await Task.Delay(100);
        }

        // The delivery worker also polls every second: give a late extra text the time to show.
        await Task.Delay(TimeSpan.FromSeconds(options.SettleSeconds));
        return await StandInCountsAsync(http);
    }

    private async Task<JsonElement> StandInCountsAsync(HttpClient http)
    {
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(options.StandInUrl, "/_bench/counts")));
        return document.RootElement.Clone();
    }

    /// <summary>Reads GET {path}&amp;page=…&amp;pageSize=100 newest first until <paramref name="each"/> answers false for an item (past the run) or no page is left; answers how many pages it read.</summary>
    private async Task<int> PagesAsync(HttpClient http, string path, Func<JsonElement, bool> each)
    {
        for (var page = 1; ; page++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(options.BaseUrl, $"{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}page={page}&pageSize=100"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var more = true;
            foreach (var item in document.RootElement.GetProperty("items").EnumerateArray())
            {
                more &= each(item);
            }

            if (!more || !document.RootElement.GetProperty("hasMore").GetBoolean())
            {
                return page;
            }
        }
    }

    private static DateTime Time(JsonElement item, string name) =>
        DateTime.Parse(item.GetProperty(name).GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private void Check(string name, bool ok, string detail)
    {
        _failed |= !ok;
        _checks.Add($"CHECK {(ok ? "ok  " : "FAIL")} {name}: {detail}");
    }

    private async Task CheckAsync(HttpClient http, DateTime runStart, JsonElement standIn)
    {
        var verifies = _posted.Values.Count(v => v);
        var confirms = _posted.Count - verifies;

        // 1. Every text posted is stored once, and was acted on: a code for #verify, a confirmation for #confirm.
        var seen = new Dictionary<string, int>();
        var foreign = 0;
        var wrongOutcome = new List<string>();
        var startedIds = new HashSet<string>();
        var inboundPages = await PagesAsync(http, "/api/v1/inbound-messages", item =>
        {
            if (Time(item, "receivedAt") < runStart)
            {
                return false; // newest first: the rest is older than this run
            }

            var sid = item.GetProperty("providerMessageId").GetString()!;
            if (!_posted.TryGetValue(sid, out var isVerify))
            {
                foreign++;
                return true;
            }

            seen[sid] = seen.GetValueOrDefault(sid) + 1;
            var outcome = item.GetProperty("outcome").GetString();
            var started = item.GetProperty("technicianVerificationId");
            if (outcome != (isVerify ? VerifiedOutcome : ConfirmedOutcome) || started.ValueKind != JsonValueKind.String)
            {
                wrongOutcome.Add($"{sid} {(isVerify ? "#verify" : "#confirm")}: {outcome}");
            }
            else if (isVerify)
            {
                startedIds.Add(started.GetString()!);
            }

            return true;
        });
        var missing = _posted.Keys.Count(sid => !seen.ContainsKey(sid));
        var twice = seen.Count(s => s.Value > 1);
        Check("inbound messages stored", missing == 0 && twice == 0 && foreign == 0,
            $"{seen.Values.Sum()} rows from this run ({inboundPages} pages of GET /api/v1/inbound-messages) for {_posted.Count} unique MessageSids posted; " +
            $"missing {missing}, stored twice {twice}, not posted by this run {foreign}");
        Check("inbound messages acted on", wrongOutcome.Count == 0,
            $"{verifies} #verify '{VerifiedOutcome}', {confirms} #confirm '{ConfirmedOutcome}'; other outcomes {wrongOutcome.Count}" +
            string.Concat(wrongOutcome.Take(3).Select(w => $"; {w}")));

        // 2. No request left pending; one confirmed request per #verify of this run, and they are the ones the texts started.
        var pending = 0;
        await PagesAsync(http, "/api/v1/tech-verifications?status=pending", _ => { pending++; return true; });
        var confirmed = new HashSet<string>();
        var confirmedPages = await PagesAsync(http, "/api/v1/tech-verifications?status=confirmed", item =>
        {
            if (Time(item, "createdAt") < runStart)
            {
                return false;
            }

            confirmed.Add(item.GetProperty("id").GetString()!);
            return true;
        });
        Check("no pending requests", pending == 0, $"GET /api/v1/tech-verifications?status=pending lists {pending}");
        Check("confirmed once per #verify", confirmed.Count == verifies && confirmed.SetEquals(startedIds),
            $"{confirmed.Count} confirmed requests created in this run ({confirmedPages} pages) for {verifies} #verify posted; " +
            $"{startedIds.Count} requests started by the texts, {startedIds.Except(confirmed).Count()} of them not confirmed");

        // 3. The stand-in got exactly one code and one confirmation per pair, per number, and nothing else.
        var codes = standIn.GetProperty("codes").GetInt32();
        var confirmations = standIn.GetProperty("confirmations").GetInt32();
        var other = standIn.GetProperty("other").GetInt32();
        var refused = standIn.GetProperty("unauthorized").GetInt32() + standIn.GetProperty("invalid").GetInt32();
        var recipients = standIn.GetProperty("recipients").EnumerateObject().ToDictionary(p => p.Name, p => (Codes: p.Value[0].GetInt32(), Confirmations: p.Value[1].GetInt32()));
        var wrongNumbers = _pairsPerNumber.Count(p => recipients.GetValueOrDefault(p.Key) != (p.Value, p.Value))
            + recipients.Keys.Count(to => !_pairsPerNumber.ContainsKey(to));
        Check("texts sent through the Twilio stand-in", codes == verifies && confirmations == confirms && other == 0 && refused == 0 && wrongNumbers == 0,
            $"{codes} codes for {verifies} #verify, {confirmations} confirmations for {confirms} #confirm, {other} other texts, {refused} refused calls; " +
            $"{_pairsPerNumber.Count} numbers used, {wrongNumbers} with other than one code and one confirmation per pair");

        // 4. No delivery failed (since the server started).
        var failures = 0;
        await PagesAsync(http, "/api/v1/audit?action=verification.delivery_failed", _ => { failures++; return false; });
        Check("no delivery failures", failures == 0, $"GET /api/v1/audit?action=verification.delivery_failed lists {(failures == 0 ? "none" : "some")}");
    }

    private void Report(double loadSeconds, double drainSeconds, string server)
    {
        var inv = CultureInfo.InvariantCulture;
        var duplicates = _duplicateLatencies.Count;
        var errors = _errors.Values.Sum();
        var line = BenchLine.Start(options.Clients, "messages", _latencies, options.DurationSeconds, errors)
            .Append(inv, $" duplicates={duplicates} duplicate_rps={duplicates / options.DurationSeconds:F1}")
            .Append(inv, $" duplicate_p50_ms={Percentile.Of(_duplicateLatencies, 50)} duplicate_p99_ms={Percentile.Of(_duplicateLatencies, 99)}")
            .Append(inv, $" warmup_msgs={_warmup} stragglers={_stragglers} duplicates_outside={_duplicatesOutside}")
            .Append(inv, $" posted={_posted.Count} pairs={_pairsPerNumber.Values.Sum()}")
            .Append(inv, $" load_s={loadSeconds:F1} drain_s={drainSeconds:F1}")
            .Append(inv, $" {server} checks={(_failed ? "failed" : "passed")}");
        Console.WriteLine(line.ToString());
        foreach (var check in _checks)
        {
            Console.WriteLine(check);
        }

        foreach (var (kind, count) in _errors.OrderByDescending(e => e.Value))
        {
            Console.Error.WriteLine($"errors: {kind} x{count}");
        }
    }
}
