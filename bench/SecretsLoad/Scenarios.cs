using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecretsLoad;

/// <summary>
/// What kind of secret a run sends. Every kind has the same round trip — create through the API, open the link's page as
/// the recipient, press Reveal and check the content — and differs in what is sent and how it comes back. Text secrets are
/// the first kind; files (issue 5's 10 MB scenario) are meant to be a second subclass: an upload in
/// <see cref="CreateAsync"/>, a download decrypted and compared in <see cref="RevealAsync"/>.
/// </summary>
internal abstract class Scenario
{
    /// <summary>The scenario named by <c>--scenario</c>.</summary>
    public static Scenario For(LoadOptions options) => options.Scenario switch
    {
        "text" => new TextSecrets(options),
        _ => throw new ArgumentException($"unknown scenario '{options.Scenario}' (known: text)"),
    };

    /// <summary>Makes fresh content under a fresh key and creates the secret; answers it with the link the recipient gets.</summary>
    public abstract Task<(CreatedSecret? Secret, string? Error)> CreateAsync(HttpClient api);

    /// <summary>Presses Reveal on the page the recipient opened; null when the content came back and decrypted to what was sent.</summary>
    public abstract Task<string?> RevealAsync(Recipient recipient, RevealForm form, CreatedSecret secret);

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - padded.Length % 4) % 4));
    }
}

/// <summary>A secret created by a round trip: its id, the link with the key in its fragment, and what it must reveal.</summary>
internal sealed record CreatedSecret(Guid Id, Uri Link, byte[] Key, byte[] Content);

/// <summary>
/// A text secret encrypted end to end, as the technician's browser does it (src/Vouch.Core/Features/SecureSend/SecretEnvelope.cs):
/// random text of <c>--bytes</c> UTF-8 bytes (base64 characters of random bytes), AES-256-GCM under a fresh 32-byte key
/// with a 96-bit IV, sent as the envelope <c>{"v":1,"iv":…,"ct":…}</c> (<c>ct</c> = ciphertext + 16-byte tag, base64url);
/// the key goes only into the link's fragment. Reveal hands the envelope back in <c>{"envelope":…,"files":[],"grant":null}</c>.
/// </summary>
internal sealed class TextSecrets(LoadOptions options) : Scenario
{
    private const int TagBytes = 16;

    public override async Task<(CreatedSecret? Secret, string? Error)> CreateAsync(HttpClient api)
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

    public override async Task<string?> RevealAsync(Recipient recipient, RevealForm form, CreatedSecret secret)
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

    /// <summary><paramref name="bytes"/> UTF-8 bytes of random text (base64 characters: what a generated password looks like).</summary>
    private static byte[] RandomText(int bytes) =>
        Encoding.UTF8.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes * 3 / 4 + 3))[..bytes]);
}

internal sealed record CreateBody(string Envelope, int LifetimeMinutes, bool SingleUse);

internal sealed record SecretDto(Guid Id, string? State, int Reveals);

internal sealed record CreatedDto(SecretDto? Secret, string? Link);

internal sealed record EnvelopeDto(int V, string Iv, string Ct);

internal sealed record RevealedFileDto(Guid Id, string Name, long Length);

internal sealed record RevealDto(string Envelope, List<RevealedFileDto>? Files, string? Grant);

internal sealed record AuditEntryDto(long Sequence, string? Action, string? TargetId);

internal sealed record AuditPageDto(List<AuditEntryDto> Items);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(CreateBody))]
[JsonSerializable(typeof(CreatedDto))]
[JsonSerializable(typeof(SecretDto))]
[JsonSerializable(typeof(EnvelopeDto))]
[JsonSerializable(typeof(RevealDto))]
[JsonSerializable(typeof(AuditPageDto))]
[JsonSerializable(typeof(AuditEntryDto))]
internal sealed partial class SecretsJson : JsonSerializerContext;
