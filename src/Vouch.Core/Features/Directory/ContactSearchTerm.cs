using System.Globalization;
using System.Text;
using Vouch.Core.Features.Tenancy;

namespace Vouch.Core.Features.Directory;

/// <summary>
/// One word a contact can be found by (a name, a word of the title, an e-mail address), normalised, with the contact's
/// names beside it. Searches walk an index on (TenantId, Term, LastName, FirstName, ContactId) in order and stop after a
/// page, so their cost follows the page, not the number of matches or the directory's size.
/// </summary>
public sealed class ContactSearchTerm : ITenantOwned
{
    public const int MaxLength = 100;

    private ContactSearchTerm()
    {
    }

    public ContactSearchTerm(Guid id, Guid tenantId, Guid contactId, string term, string lastName, string firstName)
    {
        Id = id;
        TenantId = tenantId;
        ContactId = contactId;
        Term = term;
        LastName = lastName;
        FirstName = firstName;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; set; }

    public Guid ContactId { get; private set; }

    public string Term { get; private set; } = "";

    /// <summary>The contact's last name, so matches of one word come in name order straight from the index.</summary>
    public string LastName { get; private set; } = "";

    public string FirstName { get; private set; } = "";
}

/// <summary>How text becomes search terms, and a search becomes word prefixes.</summary>
public static class ContactSearch
{
    /// <summary>The terms of a contact: the words of its names and title, and each e-mail address whole.</summary>
    /// <remarks>Few terms per contact keep creates cheap; names already cover what the parts of an address would.</remarks>
    public static IReadOnlySet<string> Of(string firstName, string lastName, string? title, IEnumerable<string> emails)
    {
        var terms = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in new[] { firstName, lastName, title ?? "" })
        {
            terms.UnionWith(Words(text));
        }

        foreach (var email in emails)
        {
            terms.Add(Cut(EmailAddress.Normalize(email)));
        }

        return terms;
    }

    /// <summary>Lower-case words of letters and digits, without accents; everything else separates words.</summary>
    public static IEnumerable<string> Words(string text)
    {
        var word = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark && word.Length > 0)
            {
                yield return Cut(word.ToString());
                word.Clear();
            }
        }

        if (word.Length > 0)
        {
            yield return Cut(word.ToString());
        }
    }

    /// <summary>
    /// The prefixes a search looks for: an e-mail-like search (with @) is one prefix of the whole address, anything else
    /// one prefix per word, all of which must match.
    /// </summary>
    public static IReadOnlyList<string> Prefixes(string search)
    {
        var trimmed = search.Trim();
        if (trimmed.Contains('@', StringComparison.Ordinal))
        {
            return [Cut(EmailAddress.Normalize(trimmed))];
        }

        return Words(trimmed).Distinct().OrderByDescending(w => w.Length).ToList();
    }

    /// <summary>
    /// The least string above every string that starts with <paramref name="prefix"/> among letters and digits, so a prefix
    /// match is an index range; null where no such bound is safe (the caller then matches by prefix alone).
    /// </summary>
    public static string? UpperBound(string prefix)
    {
        var chars = prefix.ToCharArray();
        for (var i = chars.Length - 1; i >= 0; i--)
        {
            var c = chars[i];
            if (c is >= '0' and < '9' or >= 'a' and < 'z')
            {
                chars[i] = (char)(c + 1);
                return new string(chars, 0, i + 1);
            }

            if (c == '9')
            {
                chars[i] = 'a';
                return new string(chars, 0, i + 1);
            }

            if (c != 'z')
            {
                return null;
            }
        }

        return null;
    }

    private static string Cut(string word) => word.Length <= ContactSearchTerm.MaxLength ? word : word[..ContactSearchTerm.MaxLength];
}
