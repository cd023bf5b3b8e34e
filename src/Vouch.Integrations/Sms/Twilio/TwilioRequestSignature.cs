using System.Security.Cryptography;
using System.Text;

namespace Vouch.Integrations.Sms.Twilio;

/// <summary>
/// Checks the X-Twilio-Signature of a webhook: Base64(HMAC-SHA1(auth token, URL + each form field's name and value, names in
/// ordinal order)), compared in constant time. Twilio is inconsistent about writing the default port, so the URL is also
/// tried with it added or removed, as Twilio's own validators do.
/// </summary>
public static class TwilioRequestSignature
{
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        var data = new StringBuilder(url);
        foreach (var (name, value) in form.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }

        // Twilio's scheme is HMAC-SHA1; HMAC does not rely on SHA-1's collision resistance, and the choice is Twilio's.
#pragma warning disable CA5350
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
#pragma warning restore CA5350
    }

    public static bool IsValid(string authToken, string url, IReadOnlyList<KeyValuePair<string, string>> form, string? signature)
    {
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(authToken))
        {
            return false;
        }

        var presented = Encoding.ASCII.GetBytes(signature);
        foreach (var candidate in UrlVariants(url))
        {
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Compute(authToken, candidate, form)), presented))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The URL as given, and with the scheme's default port written out or dropped.</summary>
    private static IEnumerable<string> UrlVariants(string url)
    {
        yield return url;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !uri.IsDefaultPort)
        {
            yield break;
        }

        var withPort = $"{uri.Scheme}://{uri.Host}:{uri.Port}{uri.PathAndQuery}";
        yield return string.Equals(withPort, url, StringComparison.Ordinal) ? $"{uri.Scheme}://{uri.Host}{uri.PathAndQuery}" : withPort;
    }
}
