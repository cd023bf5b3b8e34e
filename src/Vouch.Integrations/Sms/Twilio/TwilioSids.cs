using System.Text.RegularExpressions;

namespace Vouch.Integrations.Sms.Twilio;

/// <summary>
/// The shapes of Twilio's identifiers: two letters naming the kind and 32 lowercase hex digits. A webhook's signature covers
/// its fields run together (key, value, key, value …), so the same signature also covers the form cut at other places;
/// holding each identifier to its exact shape is what stops a cut that moves characters into or out of one.
/// </summary>
public static partial class TwilioSids
{
    /// <summary>An SMS (<c>SM…</c>) or MMS (<c>MM…</c>) message.</summary>
    public static bool IsMessageSid(string? value) => value is not null && MessageSid().IsMatch(value);

    public static bool IsAccountSid(string? value) => value is not null && AccountSid().IsMatch(value);

    [GeneratedRegex("^(SM|MM)[0-9a-f]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex MessageSid();

    [GeneratedRegex("^AC[0-9a-f]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountSid();
}
