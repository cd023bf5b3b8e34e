using System.Security.Cryptography;
using System.Text;

namespace Vouch.Core.Features.Verification;

/// <summary>
/// Makes and checks the secrets a verification sends: 6-digit codes and link tokens.
/// </summary>
/// <remarks>
/// A code has only a million values, so a plain hash in a leaked table would fall to brute force at once: codes are
/// hashed with HMAC-SHA256 under a server key kept outside the verification rows, and salted with the verification id
/// so equal codes never look equal. Link tokens carry 256 bits, so a plain SHA-256 suffices and lets the public link
/// page find its verification by an index on the hash. Every comparison is constant-time.
/// </remarks>
public sealed class VerificationSecrets(byte[] codeKey)
{
    public const int CodeDigits = 6;

    public static string NewCode() => RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A URL-safe token of 256 random bits.</summary>
    public static string NewLinkToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public string HashCode(Guid verificationId, string code)
    {
        Span<byte> message = stackalloc byte[16 + CodeDigits];
        verificationId.TryWriteBytes(message);
        Encoding.ASCII.GetBytes(code, message[16..]);
        return Convert.ToHexString(HMACSHA256.HashData(codeKey, message));
    }

    public bool CodeMatches(Guid verificationId, string presented, string storedHash)
    {
        var normalized = NormalizeCode(presented);
        if (normalized is null)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(HashCode(verificationId, normalized)),
            Encoding.ASCII.GetBytes(storedHash));
    }

    public static string HashLinkToken(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Accepts what a technician types from a caller's voice: digits with spaces or dashes between them.</summary>
    public static string? NormalizeCode(string? presented)
    {
        if (presented is null || presented.Length > 20)
        {
            return null;
        }

        var digits = new StringBuilder(CodeDigits);
        foreach (var c in presented)
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
            else if (c is not (' ' or '-'))
            {
                return null;
            }
        }

        return digits.Length == CodeDigits ? digits.ToString() : null;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
