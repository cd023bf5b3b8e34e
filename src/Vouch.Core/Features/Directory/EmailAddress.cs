using System.Net.Mail;

namespace Vouch.Core.Features.Directory;

/// <summary>E-mail address checks shared by contacts, companies and members.</summary>
public static class EmailAddress
{
    public static string Normalize(string address) => address.Trim().ToLowerInvariant();

    /// <summary>Returns null when the address is acceptable, otherwise the reason.</summary>
    public static string? Validate(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return "is empty";
        }

        var trimmed = address.Trim();
        if (trimmed.Length > 254)
        {
            return "is longer than 254 characters";
        }

        if (!MailAddress.TryCreate(trimmed, out var parsed) || parsed.Address != trimmed || !parsed.Host.Contains('.', StringComparison.Ordinal))
        {
            return "is not an e-mail address";
        }

        return null;
    }

    /// <summary>Returns null when <paramref name="domain"/> is a plausible DNS domain, otherwise the reason.</summary>
    public static string? ValidateDomain(string? domain)
    {
        if (string.IsNullOrWhiteSpace(domain))
        {
            return "is empty";
        }

        var d = domain.Trim().TrimStart('@');
        if (d.Length > 253 || !d.Contains('.', StringComparison.Ordinal))
        {
            return "is not a domain name";
        }

        foreach (var label in d.Split('.'))
        {
            if (label.Length is 0 or > 63 || label.StartsWith('-') || label.EndsWith('-') || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return "is not a domain name";
            }
        }

        return null;
    }

    public static string NormalizeDomain(string domain) => domain.Trim().TrimStart('@').ToLowerInvariant();
}
