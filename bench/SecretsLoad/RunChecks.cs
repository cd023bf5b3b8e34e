using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Bench;

namespace SecretsLoad;

/// <summary>
/// After a run, through the API only (no database access): every secret created was created and revealed exactly once
/// according to the audit log, the sampled second reveals were all refused, every reveal decrypted to what was sent, and
/// the sampled secrets read back as consumed after one reveal (or already swept). One CHECK line each.
/// </summary>
internal sealed class RunChecks(Uri baseUrl, string apiKey, int secondRevealEvery)
{
    private readonly List<string> _lines = [];

    public bool Failed { get; private set; }

    public IReadOnlyList<string> Lines => _lines;

    public async Task RunAsync(long auditBefore, IReadOnlySet<Guid> created, IReadOnlyList<Guid> sampled, int secondRefused, int secondRevealed, int contentErrors)
    {
        using var handler = BenchHttp.Handler(4);
        using var api = new HttpClient(handler) { BaseAddress = baseUrl, Timeout = TimeSpan.FromMinutes(5) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);

        // 1. The audit log since the run began (the export streams the tenant's whole log, oldest first).
        var createdEntries = new Dictionary<string, int>();
        var revealedEntries = new Dictionary<string, int>();
        var entries = 0;
        using (var response = await api.GetAsync("/api/v1/audit/export", HttpCompletionOption.ResponseHeadersRead))
        {
            response.EnsureSuccessStatusCode();
            await using var stream = await response.Content.ReadAsStreamAsync();
            await foreach (var entry in JsonSerializer.DeserializeAsyncEnumerable(stream, SecretsJson.Default.AuditEntryDto))
            {
                // An entry not sealed yet (no sequence) was saved after every sealed one: it belongs to the run.
                if (entry is null || entry.Sequence <= auditBefore)
                {
                    continue;
                }

                entries++;
                var counts = entry.Action switch
                {
                    "secret.created" => createdEntries,
                    "secret.revealed" => revealedEntries,
                    _ => null,
                };
                if (counts is not null && entry.TargetId is { } id)
                {
                    counts[id] = counts.GetValueOrDefault(id) + 1;
                }
            }
        }

        var ids = created.Select(g => g.ToString()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        (int Missing, int Twice, int Foreign) Tally(Dictionary<string, int> counts) => (
            ids.Count(id => !counts.ContainsKey(id)), counts.Count(c => c.Value > 1 && ids.Contains(c.Key)), counts.Keys.Count(k => !ids.Contains(k)));
        var c = Tally(createdEntries);
        var r = Tally(revealedEntries);
        Check("created once", c is (0, 0, 0),
            $"{createdEntries.Values.Sum()} secret.created audit entries for {created.Count} secrets answered 201 ({entries} entries since the run began); " +
            $"missing {c.Missing}, twice {c.Twice}, not created by this run {c.Foreign}");
        Check("revealed exactly once", r is (0, 0, 0),
            $"{revealedEntries.Values.Sum()} secret.revealed audit entries for {created.Count} secrets created; never revealed {r.Missing}, " +
            $"revealed more than once {r.Twice}, not created by this run {r.Foreign}");

        // 2. Reveal pressed again on a revealed secret's page: refused every time.
        Check("second reveals refused", secondRevealed == 0 && secondRefused == sampled.Count,
            $"{sampled.Count} second reveals of a revealed link (every {secondRevealEvery}th round trip): {secondRefused} answered 410, " +
            $"{secondRevealed} handed the content out again, {sampled.Count - secondRefused - secondRevealed} other answers");

        // 3. Every revealed secret decrypted to the bytes sent (each mismatch is also an error of its round trip).
        Check("content intact", contentErrors == 0, $"{contentErrors} reveals whose content did not decrypt to the bytes sent");

        // 4. The sampled secrets' state through GET /api/v1/secrets/{id}: consumed after one reveal, or already deleted by the sweep.
        var consumed = 0;
        var swept = 0;
        var other = new List<string>();
        foreach (var id in sampled)
        {
            using var response = await api.GetAsync($"/api/v1/secrets/{id}");
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                swept++;
                continue;
            }

            var view = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync(SecretsJson.Default.SecretDto) : null;
            if (view is { State: "consumed", Reveals: 1 })
            {
                consumed++;
            }
            else
            {
                other.Add($"{id}: {(int)response.StatusCode} {view?.State} reveals {view?.Reveals}");
            }
        }

        Check("state after reveal", other.Count == 0,
            $"GET /api/v1/secrets/{{id}} of the {sampled.Count} sampled: {consumed} consumed with 1 reveal, {swept} already swept (404), " +
            $"{other.Count} otherwise" + string.Concat(other.Take(3).Select(o => "; " + o)));
    }

    /// <summary>One more CHECK line, from a scenario's or the run's own checks.</summary>
    public void Add(string name, bool ok, string detail) => Check(name, ok, detail);

    private void Check(string name, bool ok, string detail)
    {
        Failed |= !ok;
        _lines.Add($"CHECK {(ok ? "ok  " : "FAIL")} {name}: {detail}");
    }
}
