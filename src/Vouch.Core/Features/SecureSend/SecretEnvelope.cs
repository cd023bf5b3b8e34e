using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Vouch.Core.Features.SecureSend;

/// <summary>
/// The one format of encrypted content, shared by the browser (Web Crypto) and the server's plaintext mode:
/// <c>{"v":1,"iv":"…","ct":"…"}</c>, AES-256-GCM with a 96-bit IV, <c>ct</c> being the ciphertext followed by the 128-bit
/// tag (as Web Crypto returns it), both base64url without padding. The key is 32 random bytes, base64url in the link's
/// fragment. With a passphrase the envelope also has <c>"pw":{"salt":…,"iter":…}</c> and the AES key is
/// PBKDF2-HMAC-SHA256(passphrase, link key ‖ salt, iter): the link alone no longer opens it.
/// </summary>
public static class SecretEnvelope
{
    public const int MaxContentBytes = 64 * 1024;
    public const int PassphraseIterations = 600_000;
    private const int IvBytes = 12;
    private const int TagBytes = 16;
    private const int SaltBytes = 16;

    /// <summary>Checks an envelope made by a client; null when it is well formed, else why not.</summary>
    public static string? Problem(string? envelope, int maxContentBytes = MaxContentBytes)
    {
        if (envelope is null || envelope.Length > maxContentBytes * 2)
        {
            return $"must be an envelope {{\"v\":1,\"iv\":…,\"ct\":…}} of at most {maxContentBytes} bytes of content";
        }

        try
        {
            using var json = JsonDocument.Parse(envelope);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("v", out var v) || v.ValueKind != JsonValueKind.Number || v.GetInt32() != 1)
            {
                return "must have \"v\": 1";
            }

            if (Bytes(root, "iv") is not { Length: IvBytes })
            {
                return "must have \"iv\": 12 bytes, base64url";
            }

            // An empty message is allowed: a secret can be files alone.
            if (Bytes(root, "ct") is not { Length: >= TagBytes } sealedBytes || sealedBytes.Length > maxContentBytes + TagBytes)
            {
                return $"must have \"ct\": the ciphertext and its 16-byte tag, base64url, at most {maxContentBytes} bytes of content";
            }

            var fields = root.EnumerateObject().Count();
            if (root.TryGetProperty("pw", out var pw))
            {
                if (pw.ValueKind != JsonValueKind.Object || Bytes(pw, "salt") is not { Length: SaltBytes } || !pw.TryGetProperty("iter", out var iter)
                    || iter.ValueKind != JsonValueKind.Number || !iter.TryGetInt32(out var rounds) || rounds is < 100_000 or > 10_000_000 || pw.EnumerateObject().Count() != 2)
                {
                    return "has \"pw\" but not {\"salt\": 16 bytes base64url, \"iter\": 100,000 to 10,000,000}";
                }

                fields--;
            }

            return fields == 3 ? null : "must have only v, iv, ct and pw";
        }
        catch (JsonException)
        {
            return "is not JSON";
        }
    }

    /// <summary>Whether a well-formed envelope holds no content at all (its ciphertext is only the tag).</summary>
    public static bool IsEmpty(string envelope)
    {
        using var json = JsonDocument.Parse(envelope);
        return Bytes(json.RootElement, "ct") is { Length: TagBytes };
    }

    /// <summary>Encrypts <paramref name="plaintext"/> under a fresh key; the caller puts the key in the link and forgets it.</summary>
    public static (string Envelope, string Key) Seal(string plaintext, string? passphrase = null)
    {
        var linkKey = RandomNumberGenerator.GetBytes(32);
        var salt = passphrase is null ? null : RandomNumberGenerator.GetBytes(SaltBytes);
        var key = salt is null ? (byte[])linkKey.Clone() : Derive(passphrase!, linkKey, salt, PassphraseIterations);
        var (iv, sealedBytes) = Encrypt(key, plaintext);
        CryptographicOperations.ZeroMemory(key);
        var envelope = salt is null
            ? JsonSerializer.Serialize(new { v = 1, iv = Base64Url(iv), ct = Base64Url(sealedBytes) })
            : JsonSerializer.Serialize(new { v = 1, iv = Base64Url(iv), ct = Base64Url(sealedBytes), pw = new { salt = Base64Url(salt), iter = PassphraseIterations } });
        var encodedKey = Base64Url(linkKey);
        CryptographicOperations.ZeroMemory(linkKey);
        return (envelope, encodedKey);
    }

    /// <summary>
    /// An envelope without "pw" under a key already in hand: how a sender's browser seals the files' names with the
    /// secret's (possibly passphrase-derived) key. For tests and scripts.
    /// </summary>
    public static string SealWith(byte[] key, string plaintext)
    {
        var (iv, sealedBytes) = Encrypt(key, plaintext);
        return JsonSerializer.Serialize(new { v = 1, iv = Base64Url(iv), ct = Base64Url(sealedBytes) });
    }

    private static (byte[] Iv, byte[] Sealed) Encrypt(byte[] key, string plaintext)
    {
        var iv = RandomNumberGenerator.GetBytes(IvBytes);
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[plain.Length + TagBytes];
        using (var aes = new AesGcm(key, TagBytes))
        {
            aes.Encrypt(iv, plain, sealedBytes.AsSpan(0, plain.Length), sealedBytes.AsSpan(plain.Length));
        }

        CryptographicOperations.ZeroMemory(plain);
        return (iv, sealedBytes);
    }

    /// <summary>Decrypts an envelope with its key: for tests and the command line, never for a request.</summary>
    public static string Open(string envelope, string key, string? passphrase = null)
    {
        using var json = JsonDocument.Parse(envelope);
        var iv = Bytes(json.RootElement, "iv")!;
        var sealedBytes = Bytes(json.RootElement, "ct")!;
        var plain = new byte[sealedBytes.Length - TagBytes];
        var aesKey = json.RootElement.TryGetProperty("pw", out var pw)
            ? Derive(passphrase ?? "", FromBase64Url(key), Bytes(pw, "salt")!, pw.GetProperty("iter").GetInt32())
            : FromBase64Url(key);
        using var aes = new AesGcm(aesKey, TagBytes);
        aes.Decrypt(iv, sealedBytes.AsSpan(0, plain.Length), sealedBytes.AsSpan(plain.Length), plain);
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>PBKDF2-HMAC-SHA256 of the passphrase, salted with the link key and the envelope's salt: both are needed.</summary>
    private static byte[] Derive(string passphrase, byte[] linkKey, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(passphrase), linkKey.Concat(salt).ToArray(), iterations, HashAlgorithmName.SHA256, 32);

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - padded.Length % 4) % 4));
    }

    private static byte[]? Bytes(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || value.GetString() is not { } text)
        {
            return null;
        }

        try
        {
            return FromBase64Url(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
