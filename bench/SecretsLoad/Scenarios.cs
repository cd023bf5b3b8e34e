using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecretsLoad;

/// <summary>
/// What kind of secret a run sends. Every kind has the same round trip — create through the API, open the link's page as
/// the recipient, press Reveal and check the content — and differs in what is sent and how it comes back: text secrets
/// (<see cref="TextSecrets"/>), and files (<see cref="FileSecrets"/>: an upload after the create, a download after the
/// reveal, each a step of its own). One instance per client, made before the load starts.
/// </summary>
internal abstract class Scenario
{
    /// <summary>The names of the timed steps of a round trip, in order; "open" is the load run's own.</summary>
    public virtual IReadOnlyList<string> Steps { get; } = ["create", "open", "reveal"];

    /// <summary>The scenario named by <c>--scenario</c>, for each client: <paramref name="clients"/> instances.</summary>
    public static Scenario[] For(LoadOptions options, int clients)
    {
        switch (options.Scenario)
        {
            case "text":
                return [.. Enumerable.Range(0, clients).Select(_ => new TextSecrets(options))];
            case "file":
                var tally = new FileTally();
                return [.. Enumerable.Range(0, clients).Select(i => new FileSecrets(options, tally, i))];
            default:
                throw new ArgumentException($"unknown scenario '{options.Scenario}' (known: text, file)");
        }
    }

    /// <summary>
    /// Makes fresh content under a fresh key and creates the secret (and uploads what it carries, as further steps of
    /// <paramref name="timer"/>); answers it with the link the recipient gets.
    /// </summary>
    public abstract Task<(CreatedSecret? Secret, string? Error)> CreateAsync(HttpClient api, StepTimer timer);

    /// <summary>
    /// Presses Reveal on the page the recipient opened (and fetches what it hands out, as further steps of
    /// <paramref name="timer"/>); null when the content came back and decrypted to what was sent.
    /// </summary>
    public abstract Task<string?> RevealAsync(Recipient recipient, RevealForm form, CreatedSecret secret, StepTimer timer);

    /// <summary>What the scenario adds to the BENCH line after the run; nothing for text secrets.</summary>
    public virtual void Report(System.Text.StringBuilder line, LoadOptions options)
    {
    }

    /// <summary>The scenario's own checks after the run; none for text secrets.</summary>
    public virtual void Check(RunChecks checks)
    {
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - padded.Length % 4) % 4));
    }

    /// <summary><paramref name="bytes"/> UTF-8 bytes of random text (base64 characters: what a generated password looks like).</summary>
    protected static byte[] RandomText(int bytes) =>
        Encoding.UTF8.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes * 3 / 4 + 3))[..bytes]);
}

/// <summary>
/// The clock of one round trip's steps: <see cref="Lap"/> ends the current step (its time in ms) and begins the next;
/// <see cref="Transferred"/> notes bytes a step moved and when it finished moving them.
/// </summary>
internal sealed class StepTimer(Stopwatch clock, int steps)
{
    private TimeSpan _t = clock.Elapsed;

    public double[] Times { get; } = new double[steps];

    /// <summary>The step under way (the index of the next <see cref="Lap"/>).</summary>
    public int Step { get; private set; }

    public List<(string What, long Bytes, TimeSpan At)> Transfers { get; } = [];

    public void Lap()
    {
        var now = clock.Elapsed;
        Times[Math.Min(Step, Times.Length - 1)] += (now - _t).TotalMilliseconds;
        _t = now;
        Step = Math.Min(Step + 1, Times.Length - 1);
    }

    public void Transferred(string what, long bytes) => Transfers.Add((what, bytes, clock.Elapsed));

    /// <summary>Leaves the time since the last lap out of every step: the client's own work, not the server's.</summary>
    public void Skip() => _t = clock.Elapsed;
}

/// <summary>A secret created by a round trip: its id, the link with the key in its fragment, and what it must reveal.</summary>
internal sealed record CreatedSecret(Guid Id, Uri Link, byte[] Key, byte[] Content, SentFile? File = null);

/// <summary>
/// A text secret encrypted end to end, as the technician's browser does it (src/Vouch.Core/Features/SecureSend/SecretEnvelope.cs):
/// random text of <c>--bytes</c> UTF-8 bytes (base64 characters of random bytes), AES-256-GCM under a fresh 32-byte key
/// with a 96-bit IV, sent as the envelope <c>{"v":1,"iv":…,"ct":…}</c> (<c>ct</c> = ciphertext + 16-byte tag, base64url);
/// the key goes only into the link's fragment. Reveal hands the envelope back in <c>{"envelope":…,"files":[],"grant":null}</c>.
/// </summary>
internal sealed class TextSecrets(LoadOptions options) : Scenario
{
    private const int TagBytes = 16;

    public override async Task<(CreatedSecret? Secret, string? Error)> CreateAsync(HttpClient api, StepTimer timer)
    {
        var content = RandomText(options.ContentBytes);
        var key = RandomNumberGenerator.GetBytes(32);
        var iv = RandomNumberGenerator.GetBytes(12);
        var sealedBytes = new byte[content.Length + TagBytes];
        using (var aes = new AesGcm(key, TagBytes))
        {
            aes.Encrypt(iv, content, sealedBytes.AsSpan(0, content.Length), sealedBytes.AsSpan(content.Length));
        }

        var envelope = $$"""{"v":1,"iv":"{{Base64Url(iv)}}","ct":"{{Base64Url(sealedBytes)}}"}""";
        var body = JsonSerializer.Serialize(new CreateBody(envelope, options.LifetimeMinutes, SingleUse: true), SecretsJson.Default.CreateBody);
        using var response = await api.PostAsync("/api/v1/secrets", new StringContent(body, Encoding.UTF8, "application/json"));
        if (response.StatusCode != HttpStatusCode.Created)
        {
            return (null, $"create:{(int)response.StatusCode}");
        }

        var created = await response.Content.ReadFromJsonAsync(SecretsJson.Default.CreatedDto);
        if (created?.Secret is null || !Uri.TryCreate(created.Link, UriKind.Absolute, out var link) || link.Fragment.Length > 0
            || !link.AbsolutePath.StartsWith("/s/", StringComparison.Ordinal))
        {
            return (null, "create:unexpected-answer");
        }

        // The sender's browser puts its key into the fragment; the server never sees it.
        return (new CreatedSecret(created.Secret.Id, new Uri(link + "#" + Base64Url(key)), key, content), null);
    }

    public override async Task<string?> RevealAsync(Recipient recipient, RevealForm form, CreatedSecret secret, StepTimer timer)
    {
        var (status, body) = await recipient.RevealAsync(form);
        if (status != HttpStatusCode.OK)
        {
            return $"reveal:{(int)status}";
        }

        byte[] plain;
        try
        {
            // Reveal answers {"envelope": "<the envelope as sent>", "files": [], "grant": null}.
            var revealed = JsonSerializer.Deserialize(body, SecretsJson.Default.RevealDto)!;
            if (revealed.Files is { Count: > 0 })
            {
                return "reveal:unexpected-files";
            }

            var envelope = JsonSerializer.Deserialize(revealed.Envelope, SecretsJson.Default.EnvelopeDto)!;
            var sealedBytes = FromBase64Url(envelope.Ct);
            plain = new byte[sealedBytes.Length - TagBytes];
            using var aes = new AesGcm(FromBase64Url(secret.Link.Fragment[1..]), TagBytes);
            aes.Decrypt(FromBase64Url(envelope.Iv), sealedBytes.AsSpan(0, plain.Length), sealedBytes.AsSpan(plain.Length), plain);
        }
        catch (Exception e) when (e is JsonException or FormatException or CryptographicException or ArgumentException or NullReferenceException)
        {
            return "reveal:undecryptable-" + e.GetType().Name;
        }

        return plain.AsSpan().SequenceEqual(secret.Content) ? null : "reveal:content-mismatch";
    }
}

internal sealed record CreateBody(string Envelope, int LifetimeMinutes, bool SingleUse);

internal sealed record FileDeclarationBody(string Name, long Length);

internal sealed record CreateWithFilesBody(string Envelope, int LifetimeMinutes, bool SingleUse, List<FileDeclarationBody> Files);

internal sealed record FileDto(Guid Id, long Length, bool Uploaded);

internal sealed record SecretDto(Guid Id, string? State, int Reveals, List<FileDto>? Files = null);

internal sealed record CreatedDto(SecretDto? Secret, string? Link);

internal sealed record EnvelopeDto(int V, string Iv, string Ct);

internal sealed record RevealedFileDto(Guid Id, string Name, long Length);

internal sealed record RevealDto(string Envelope, List<RevealedFileDto>? Files, string? Grant);

internal sealed record AuditEntryDto(long? Sequence, string? Action, string? TargetId);

internal sealed record AuditPageDto(List<AuditEntryDto> Items);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(CreateBody))]
[JsonSerializable(typeof(CreateWithFilesBody))]
[JsonSerializable(typeof(CreatedDto))]
[JsonSerializable(typeof(SecretDto))]
[JsonSerializable(typeof(EnvelopeDto))]
[JsonSerializable(typeof(RevealDto))]
[JsonSerializable(typeof(AuditPageDto))]
[JsonSerializable(typeof(AuditEntryDto))]
internal sealed partial class SecretsJson : JsonSerializerContext;
