using Vouch.Core.Features.Verification;

namespace Vouch.Core.Features.Directory;

/// <summary>
/// What a change to a company or contact says in the audit log: the fields that changed, old and new, with numbers and
/// addresses masked as delivery masks them. "Send the code to my new number" starts with an edit like this one; the log
/// must show who made it and when.
/// </summary>
internal static class DirectoryAudit
{
    public sealed record ContactState(string FirstName, string LastName, string? Title, Guid? CompanyId, IReadOnlyList<string> Emails, IReadOnlyList<string> Phones,
        string? DefaultEmail, string? DefaultPhone);

    public sealed record CompanyState(string Name, string? MainPhone, IReadOnlyList<string> EmailDomains);

    public static ContactState Of(Contact c) => new(c.FirstName, c.LastName, c.Title, c.CompanyId,
        [.. c.Emails.Select(e => e.Address)], [.. c.Phones.Select(p => p.E164)],
        c.Emails.FirstOrDefault(e => e.IsDefault)?.Address, c.Phones.FirstOrDefault(p => p.IsDefault)?.E164);

    public static CompanyState Of(Company c) => new(c.Name, c.MainPhoneE164, [.. c.EmailDomains]);

    /// <summary>The whole contact, for a creation or a deletion.</summary>
    public static string Describe(ContactState c) =>
        Join(
            $"{Quote(Name(c))}",
            c.Title is null ? null : $"title {Quote(c.Title)}",
            c.CompanyId is null ? null : $"company {c.CompanyId}",
            c.Phones.Count == 0 ? null : "phones " + Masked(c.Phones),
            c.Emails.Count == 0 ? null : "e-mails " + Masked(c.Emails)) ?? "";

    /// <summary>What changed between two states of a contact; null when nothing did.</summary>
    public static string? Changes(ContactState before, ContactState after) =>
        Join(
            Field("name", Name(before), Name(after)),
            Field("title", before.Title, after.Title),
            before.CompanyId == after.CompanyId ? null : $"company {Show(before.CompanyId)} -> {Show(after.CompanyId)}",
            Destinations("phones", before.Phones, after.Phones, StringComparer.Ordinal),
            Destinations("e-mails", before.Emails, after.Emails, StringComparer.OrdinalIgnoreCase),
            Default("default phone", before.DefaultPhone, after.DefaultPhone),
            Default("default e-mail", before.DefaultEmail, after.DefaultEmail));

    public static string Describe(CompanyState c) =>
        Join(Quote(c.Name), c.MainPhone is null ? null : "main phone " + VerificationMasking.Mask(c.MainPhone),
            c.EmailDomains.Count == 0 ? null : "domains " + string.Join(", ", c.EmailDomains)) ?? "";

    public static string? Changes(CompanyState before, CompanyState after) =>
        Join(
            Field("name", before.Name, after.Name),
            before.MainPhone == after.MainPhone ? null
                : $"main phone {(before.MainPhone is null ? "none" : VerificationMasking.Mask(before.MainPhone))} -> {(after.MainPhone is null ? "none" : VerificationMasking.Mask(after.MainPhone))}",
            before.EmailDomains.SequenceEqual(after.EmailDomains, StringComparer.OrdinalIgnoreCase) ? null
                : $"domains {Show(before.EmailDomains)} -> {Show(after.EmailDomains)}");

    private static string Name(ContactState c) => $"{c.FirstName} {c.LastName}".Trim();

    private static string? Field(string name, string? before, string? after) =>
        string.Equals(before, after, StringComparison.Ordinal) ? null : $"{name} {Quote(before)} -> {Quote(after)}";

    private static string? Destinations(string name, IReadOnlyList<string> before, IReadOnlyList<string> after, StringComparer same)
    {
        var added = after.Except(before, same).ToList();
        var removed = before.Except(after, same).ToList();
        return Join(added.Count == 0 ? null : $"{name} added {Masked(added)}", removed.Count == 0 ? null : $"{name} removed {Masked(removed)}");
    }

    private static string? Default(string name, string? before, string? after) =>
        string.Equals(before, after, StringComparison.OrdinalIgnoreCase) || before is null || after is null ? null
            : $"{name} {VerificationMasking.Mask(before)} -> {VerificationMasking.Mask(after)}";

    private static string Masked(IEnumerable<string> destinations) => string.Join(", ", destinations.Select(VerificationMasking.Mask));

    private static string Quote(string? text) => text is null ? "none" : $"'{text}'";

    private static string Show(Guid? id) => id?.ToString() ?? "none";

    private static string Show(IReadOnlyList<string> domains) => domains.Count == 0 ? "none" : string.Join(", ", domains);

    private static string? Join(params string?[] parts)
    {
        var present = parts.Where(p => !string.IsNullOrEmpty(p)).ToList();
        return present.Count == 0 ? null : string.Join("; ", present);
    }
}
