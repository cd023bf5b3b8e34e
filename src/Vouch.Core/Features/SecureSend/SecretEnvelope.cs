using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Vouch.Core.Features.SecureSend;

/// <summary>
/// The one format of encrypted content, shared by the browser (Web Crypto) and the server's plaintext mode:
/// <c>{"v":1,"iv":"…","ct":"…"}</c>, AES-256-GCM with a 96-bit IV, <c>ct</c> being the ciphertext followed by the 128-bit
/// tag (as Web Crypto returns it), both base64url without padding. The key is 32 random bytes, base64url in the link's
/// fragment.
/// </summary>
public static class SecretEnvelope
{
    public const int MaxContentBytes = 64 * 1024;
    private const int IvBytes = 12;
    private const int TagBytes = 16;

    /// <summary>Checks an envelope made by a client; null when it is well formed, else why not.</summary>
    public static string? Problem(string? envelope)
    {
        if (envelope is null || envelope.Length > MaxContentBytes * 2)
        {
            return $"must be an envelope {{\"v\":1,\"iv\":…,\"ct\":…}} of at most {MaxContentBytes} bytes of content";
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

            if (Bytes(root, "ct") is not { Length: > TagBytes and <= MaxContentBytes + TagBytes })
            {
                return $"must have \"ct\": the ciphertext and its 16-byte tag, base64url, at most {MaxContentBytes} bytes of content";
            }

            return root.EnumerateObject().Count() == 3 ? null : "must have only v, iv and ct";
        }
        catch (JsonException)
        {
            return "is not JSON";
        }
    }

    /// <summary>Encrypts <paramref name="plaintext"/> under a fresh key; the caller puts the key in the link and forgets it.</summary>
    public static (string Envelope, string Key) Seal(string plaintext)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var iv = RandomNumberGenerator.GetBytes(IvBytes);
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[plain.Length + TagBytes];
        using (var aes = new AesGcm(key, TagBytes))
        {
            aes.Encrypt(iv, plain, sealedBytes.AsSpan(0, plain.Length), sealedBytes.AsSpan(plain.Length));
        }

        CryptographicOperations.ZeroMemory(plain);
        var envelope = JsonSerializer.Serialize(new { v = 1, iv = Base64Url(iv), ct = Base64Url(sealedBytes) });
        var encodedKey = Base64Url(key);
        CryptographicOperations.ZeroMemory(key);
        return (envelope, encodedKey);
    }

    /// <summary>Decrypts an envelope with its key: for tests and the command line, never for a request.</summary>
    public static string Open(string envelope, string key)
    {
        using var json = JsonDocument.Parse(envelope);
        var iv = Bytes(json.RootElement, "iv")!;
        var sealedBytes = Bytes(json.RootElement, "ct")!;
        var plain = new byte[sealedBytes.Length - TagBytes];
        using var aes = new AesGcm(FromBase64Url(key), TagBytes);
        aes.Decrypt(iv, sealedBytes.AsSpan(0, plain.Length), sealedBytes.AsSpan(plain.Length), plain);
        return Encoding.UTF8.GetString(plain);
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
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
