using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Vouch.Core.Features.SecureSend;

namespace SecretsLoad;

/// <summary>What the clients of a file run count together.</summary>
internal sealed class FileTally
{
    /// <summary>Uploads answered 200.</summary>
    public long Uploads;

    /// <summary>Downloads begun (every <c>--decrypt-every</c>th of them is decrypted).</summary>
    public long Started;

    /// <summary>Downloads that came back whole and byte for byte the ciphertext uploaded.</summary>
    public long Intact;

    /// <summary>Of those, the ones also decrypted and compared with the plaintext.</summary>
    public long Decrypted;

    /// <summary>Downloads of other bytes, of another length, or that failed to decrypt.</summary>
    public long Mismatched;
}

/// <summary>
/// A secret that carries one file, sent as the technician's browser sends it (src/Vouch.Core/Features/SecureSend): the
/// message (random text of <c>--bytes</c>) sealed with <see cref="SecretEnvelope.Seal"/>, the file's name and type in an
/// envelope of its own, the file declared with its exact ciphertext length in <c>POST /api/v1/secrets</c> and then
/// uploaded with <c>PUT /api/v1/secrets/{id}/files/{fileId}</c> (<c>application/octet-stream</c>, streamed from memory);
/// the recipient reveals (the envelope, the file's id, name and length, and a grant) and fetches the file with
/// <c>GET /s/{token}?handler=File&amp;fileId=…</c> and the grant in <c>X-Secret-Grant</c>, reading it as a stream.
/// <para>
/// The benchmark measures the server, not the client's crypto: each client makes one random file of <c>--file-bytes</c>
/// and encrypts it once with <see cref="SecretFileCipher.Encrypt"/> under a key of its own before the load starts, and
/// sends that ciphertext with every secret. Every download is compared byte for byte with it as it streams in; every
/// <c>--decrypt-every</c>th download (across the clients, the first included) is also kept whole, decrypted with
/// <see cref="SecretFileCipher.Decrypt"/> and compared with the plaintext's SHA-256 (that decryption is not timed).
/// </para>
/// </summary>
internal sealed class FileSecrets : Scenario
{
    private const int ReadBytes = 64 * 1024;
    private readonly LoadOptions _options;
    private readonly FileTally _tally;
    private readonly int _client;
    private readonly byte[] _fileKey = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _ciphertext;
    private readonly byte[] _plainHash;
    private readonly byte[] _buffer = new byte[ReadBytes];
    private byte[]? _whole;
    private int _sent;

    public FileSecrets(LoadOptions options, FileTally tally, int client)
    {
        _options = options;
        _tally = tally;
        _client = client;
        var plain = RandomNumberGenerator.GetBytes(options.FileBytes);
        _plainHash = SHA256.HashData(plain);
        _ciphertext = SecretFileCipher.Encrypt(plain, _fileKey);
    }

    public override IReadOnlyList<string> Steps { get; } = ["create", "upload", "open", "reveal", "download"];

    /// <summary>The length of the ciphertext every secret carries (what is uploaded and downloaded).</summary>
    public long CiphertextBytes => _ciphertext.Length;

    public override async Task<(CreatedSecret? Secret, string? Error)> CreateAsync(HttpClient api, StepTimer timer)
    {
        var message = Encoding.UTF8.GetString(RandomText(_options.ContentBytes));
        var (envelope, key) = SecretEnvelope.Seal(message);
        var name = $$"""{"name":"bench-{{_client}}-{{++_sent}}.bin","type":"application/octet-stream"}""";
        var (nameEnvelope, nameKey) = SecretEnvelope.Seal(name);
        var body = JsonSerializer.Serialize(new CreateWithFilesBody(envelope, _options.LifetimeMinutes, SingleUse: true,
            [new FileDeclarationBody(nameEnvelope, _ciphertext.Length)]), SecretsJson.Default.CreateWithFilesBody);

        CreatedDto? created;
        using (var response = await api.PostAsync("/api/v1/secrets", new StringContent(body, Encoding.UTF8, "application/json")))
        {
            if (response.StatusCode != HttpStatusCode.Created)
            {
                return (null, $"create:{(int)response.StatusCode}");
            }

            created = await response.Content.ReadFromJsonAsync(SecretsJson.Default.CreatedDto);
        }

        if (created?.Secret is not { Files: [{ Uploaded: false } declared] } secret || declared.Length != _ciphertext.Length
            || !Uri.TryCreate(created.Link, UriKind.Absolute, out var link) || link.Fragment.Length > 0 || !link.AbsolutePath.StartsWith("/s/", StringComparison.Ordinal))
        {
            return (null, "create:unexpected-answer");
        }

        // The sender's browser puts its key into the fragment; the server never sees it.
        var sent = new CreatedSecret(secret.Id, new Uri(link + "#" + key), FromBase64Url(key), Encoding.UTF8.GetBytes(message),
            new SentFile(declared.Id, name, nameKey, _ciphertext.Length));
        timer.Lap();

        using var upload = new ReadOnlyMemoryContent(_ciphertext);
        upload.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var put = await api.PutAsync($"/api/v1/secrets/{secret.Id}/files/{declared.Id}", upload);
        await put.Content.ReadAsByteArrayAsync();
        if (put.StatusCode != HttpStatusCode.OK)
        {
            return (sent, $"upload:{(int)put.StatusCode}");
        }

        Interlocked.Increment(ref _tally.Uploads);
        timer.Transferred("upload", _ciphertext.Length);
        return (sent, null);
    }

    public override async Task<string?> RevealAsync(Recipient recipient, RevealForm form, CreatedSecret secret, StepTimer timer)
    {
        var (status, body) = await recipient.RevealAsync(form);
        if (status != HttpStatusCode.OK)
        {
            return $"reveal:{(int)status}";
        }

        var file = secret.File!;
        RevealDto revealed;
        try
        {
            revealed = JsonSerializer.Deserialize(body, SecretsJson.Default.RevealDto)!;
            if (SecretEnvelope.Open(revealed.Envelope, secret.Link.Fragment[1..]) != Encoding.UTF8.GetString(secret.Content))
            {
                return "reveal:content-mismatch";
            }

            if (revealed.Files is not [var listed] || listed.Id != file.Id || listed.Length != file.Length
                || SecretEnvelope.Open(listed.Name, file.NameKey) != file.Name || string.IsNullOrEmpty(revealed.Grant))
            {
                return "reveal:files-mismatch";
            }
        }
        catch (Exception e) when (e is JsonException or FormatException or CryptographicException or ArgumentException or NullReferenceException or KeyNotFoundException or InvalidOperationException)
        {
            return "reveal:undecryptable-" + e.GetType().Name;
        }

        timer.Lap();
        return await DownloadAsync(recipient, secret.Link, file, revealed.Grant, timer);
    }

    /// <summary>Fetches the file and compares it as it streams in; the sampled ones are then decrypted, untimed.</summary>
    private async Task<string?> DownloadAsync(Recipient recipient, Uri link, SentFile file, string grant, StepTimer timer)
    {
        var n = Interlocked.Increment(ref _tally.Started);
        var whole = (n - 1) % _options.DecryptEvery == 0 ? _whole ??= new byte[_ciphertext.Length] : null;
        using var deadline = new CancellationTokenSource(_options.TimeoutMs); // HttpClient's own timeout ends with the headers
        using var response = await recipient.GetFileAsync(link, file.Id, grant, deadline.Token);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return $"download:{(int)response.StatusCode}";
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/octet-stream" || response.Content.Headers.ContentLength != _ciphertext.Length)
        {
            Interlocked.Increment(ref _tally.Mismatched);
            return "download:content-headers";
        }

        await using var stream = await response.Content.ReadAsStreamAsync(deadline.Token);
        long at = 0;
        var same = true;
        int read;
        while ((read = await stream.ReadAsync(_buffer, deadline.Token)) > 0)
        {
            if (at + read > _ciphertext.Length)
            {
                same = false;
                break;
            }

            var chunk = _buffer.AsSpan(0, read);
            same &= chunk.SequenceEqual(_ciphertext.AsSpan((int)at, read));
            if (whole is not null)
            {
                chunk.CopyTo(whole.AsSpan((int)at));
            }

            at += read;
        }

        if (!same || at != _ciphertext.Length)
        {
            Interlocked.Increment(ref _tally.Mismatched);
            return "download:content-mismatch";
        }

        timer.Transferred("download", at);
        timer.Lap();
        if (whole is not null)
        {
            try
            {
                if (!SHA256.HashData(SecretFileCipher.Decrypt(whole, _fileKey)).AsSpan().SequenceEqual(_plainHash))
                {
                    Interlocked.Increment(ref _tally.Mismatched);
                    return "download:content-mismatch-decrypted";
                }
            }
            catch (CryptographicException)
            {
                Interlocked.Increment(ref _tally.Mismatched);
                return "download:undecryptable";
            }
            finally
            {
                timer.Skip();
            }

            Interlocked.Increment(ref _tally.Decrypted);
        }

        Interlocked.Increment(ref _tally.Intact);
        return null;
    }

    public override void Report(StringBuilder line, LoadOptions options) =>
        line.Append(System.Globalization.CultureInfo.InvariantCulture,
            $" file_bytes={options.FileBytes} cipher_bytes={_ciphertext.Length} uploads={_tally.Uploads} downloads={_tally.Intact + _tally.Mismatched} intact={_tally.Intact} decrypted={_tally.Decrypted} mismatched={_tally.Mismatched}");

    public override void Check(RunChecks checks) => checks.Add("files intact", _tally.Mismatched == 0 && (_tally.Intact == 0 || _tally.Decrypted > 0),
        $"{_tally.Uploads} uploads of {_ciphertext.Length} bytes answered 200; {_tally.Intact + _tally.Mismatched} downloads, {_tally.Intact} of them " +
        $"byte for byte the ciphertext uploaded, {_tally.Decrypted} of those (every {_options.DecryptEvery}th) also decrypted with SecretFileCipher to the " +
        $"file's SHA-256; {_tally.Mismatched} of other bytes or length, or undecryptable");
}

/// <summary>The file a secret carries: its id, its name as sent (and the key of its name's envelope), its ciphertext's length.</summary>
internal sealed record SentFile(Guid Id, string Name, string NameKey, long Length);
