using Vouch.Core.Features.Directory;

namespace Vouch.Server.Features.Directory;

/// <summary>How the directory pages write names and numbers.</summary>
public static class DirectoryText
{
    public static string FullName(ContactView contact) =>
        $"{contact.FirstName} {contact.LastName}".Trim() is { Length: > 0 } name ? name : "(no name)";

    public static string PhoneType(PhoneType type) => type.ToString().ToLowerInvariant();

    public static string Phone(string? e164) => e164 is null ? "" : PhoneNumberParser.Display(e164);
}
