using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Vouch.Core;
using Vouch.Core.Features.Tenancy;
using Vouch.Server.Hosting;

namespace Vouch.Server.Features.Shared;

/// <summary>Puts a use case's failure on a page: field errors next to their inputs, everything else as one message.</summary>
public static class PageFailures
{
    /// <summary>
    /// Adds the failure to <paramref name="modelState"/>. Field errors arrive keyed by JSON paths ("phones[0].number");
    /// <paramref name="fieldKey"/> turns them into the form's names, by default "Input." plus the path in PascalCase.
    /// </summary>
    public static void Add(ModelStateDictionary modelState, Failure failure, Func<string, string>? fieldKey = null)
    {
        fieldKey ??= path => "Input." + Pascal(path);
        switch (failure)
        {
            case Invalid invalid:
                foreach (var (field, reasons) in invalid.Errors)
                {
                    var key = fieldKey(field);
                    foreach (var reason in reasons)
                    {
                        modelState.AddModelError(key, Sentence(LabelSource(field, key), reason));
                    }
                }

                break;
            case Conflict conflict:
                modelState.AddModelError(fieldKey(conflict.Field), Sentence(conflict.Field, conflict.Reason));
                break;
            case TooLarge tooLarge:
                modelState.AddModelError(fieldKey(tooLarge.Field), Sentence(tooLarge.Field, tooLarge.Reason));
                break;
            case Forbidden forbidden:
                modelState.AddModelError("", "Not allowed: " + forbidden.Reason + ".");
                break;
            case NotFound notFound:
                modelState.AddModelError("", $"This {notFound.Resource} no longer exists.");
                break;
            default:
                modelState.AddModelError("", "The change could not be made.");
                break;
        }
    }

    /// <summary>"phones[0].number" becomes "Phones[0].Number".</summary>
    public static string Pascal(string path)
    {
        var builder = new StringBuilder(path.Length);
        var upper = true;
        foreach (var c in path)
        {
            builder.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = c == '.';
        }

        return builder.ToString();
    }

    // A row's position is the form's (the page may have skipped blank rows), so it is read from the form key when there is one.
    private static string LabelSource(string field, string key) =>
        key.Contains('[', StringComparison.Ordinal) ? key[(key.IndexOf('.', StringComparison.Ordinal) + 1)..] : field;

    private static string Sentence(string field, string reason)
    {
        // The core phrases reasons as predicates ("must be at most 100 characters"); a label makes them readable on their own.
        var match = Regex.Match(field, @"^(?<name>[A-Za-z_]+)(\[(?<index>\d+)\])?");
        var name = match.Groups["name"].Value;
        var words = new StringBuilder();
        foreach (var c in name.Replace('_', ' '))
        {
            if (char.IsUpper(c))
            {
                words.Append(' ');
            }

            words.Append(char.ToLowerInvariant(c));
        }

        var label = words.ToString().Trim();
        if (match.Groups["index"].Success)
        {
            // "phones[1]" is the second phone row as the person counts it.
            label = label.TrimEnd('s') + " " + (int.Parse(match.Groups["index"].Value, CultureInfo.InvariantCulture) + 1);
        }

        label = label.Replace("email", "e-mail", StringComparison.Ordinal);
        return label.Length == 0 ? reason : char.ToUpperInvariant(label[0]) + label[1..] + ": " + reason;
    }
}

/// <summary>The signed-in member as the layout shows them.</summary>
public static class SignedInMember
{
    public const string DisplayNameClaim = "vouch:display_name";

    public static string DisplayName(ClaimsPrincipal user) =>
        user.FindFirstValue(DisplayNameClaim) ?? user.FindFirstValue(ClaimTypes.Name) ?? "";

    public static string Role(ClaimsPrincipal user) => user.FindFirstValue(Authentication.RoleClaim) ?? "";

    public static bool CanConfigure(ClaimsPrincipal user) =>
        Enum.TryParse<MemberRole>(Role(user), out var role) && Permissions.CanConfigure(role);
}
