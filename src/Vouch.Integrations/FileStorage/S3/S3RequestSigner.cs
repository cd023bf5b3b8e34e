using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Vouch.Integrations.FileStorage.S3;

/// <summary>
/// AWS Signature Version 4 for S3, in the Authorization header: what every S3-compatible service checks. It signs the
/// host, the range and every <c>x-amz-*</c> header of the request as it will be sent.
/// </summary>
/// <remarks>
/// A request without an <c>x-amz-content-sha256</c> header is signed with <c>UNSIGNED-PAYLOAD</c>: hashing the body
/// first would mean reading a whole upload before sending its first byte. The content is ciphertext already, and TLS
/// protects it on the way; the signature still covers the method, the object's path, the time and the credentials.
/// </remarks>
public sealed class S3RequestSigner(string accessKeyId, string secretAccessKey, string region)
{
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";

    private const string Algorithm = "AWS4-HMAC-SHA256";
    private const string Service = "s3";

    /// <summary>Sets <c>Host</c>, <c>x-amz-date</c>, <c>x-amz-content-sha256</c> (when absent) and <c>Authorization</c>.</summary>
    public void Sign(HttpRequestMessage request, DateTimeOffset now)
    {
        var uri = request.RequestUri ?? throw new ArgumentException("the request has no address", nameof(request));
        var timestamp = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = timestamp[..8];

        // Host is set explicitly, so the value signed is the value sent.
        request.Headers.Host = uri.IsDefaultPort ? uri.IdnHost : $"{uri.IdnHost}:{uri.Port}";
        request.Headers.Remove("x-amz-date");
        request.Headers.TryAddWithoutValidation("x-amz-date", timestamp);
        if (!request.Headers.Contains("x-amz-content-sha256"))
        {
            request.Headers.TryAddWithoutValidation("x-amz-content-sha256", UnsignedPayload);
        }

        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in request.Headers.NonValidated)
        {
            var lower = name.ToLowerInvariant();
            if (lower is "host" or "range" || lower.StartsWith("x-amz-", StringComparison.Ordinal))
            {
                headers[lower] = string.Join(',', values.Select(v => v.Trim()));
            }
        }

        var signedHeaders = string.Join(';', headers.Keys);
        var canonicalRequest = string.Join('\n',
            request.Method.Method,
            uri.AbsolutePath, // already escaped once, segment by segment, which is S3's canonical form
            CanonicalQuery(uri.Query),
            string.Concat(headers.Select(h => $"{h.Key}:{h.Value}\n")),
            signedHeaders,
            headers["x-amz-content-sha256"]);

        var scope = $"{date}/{region}/{Service}/aws4_request";
        var stringToSign = string.Join('\n', Algorithm, timestamp, scope, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));

        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), date);
        key = Hmac(key, region);
        key = Hmac(key, Service);
        key = Hmac(key, "aws4_request");
        var signature = Hex(Hmac(key, stringToSign));

        request.Headers.Remove("Authorization");
        request.Headers.TryAddWithoutValidation("Authorization",
            $"{Algorithm} Credential={accessKeyId}/{scope},SignedHeaders={signedHeaders},Signature={signature}");
    }

    /// <summary>Parameters (escaped as sent) sorted by name, then value, each as <c>name=value</c>, also when the value is empty.</summary>
    private static string CanonicalQuery(string query) => string.Join('&', query.TrimStart('?')
        .Split('&', StringSplitOptions.RemoveEmptyEntries)
        .Select(p => p.Split('=', 2))
        .Select(p => (Name: p[0], Value: p.Length == 2 ? p[1] : string.Empty))
        .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
        .Select(p => $"{p.Name}={p.Value}"));

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
