using System.Collections.Concurrent;
using PhoneNumbers;

namespace Vouch.Core.Features.Directory;

/// <summary>Turns what a person typed into an E.164 number, or a reason it is not one.</summary>
public static class PhoneNumberParser
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    public static bool IsKnownRegion(string region) => Util.GetSupportedRegions().Contains(region.ToUpperInvariant());

    /// <summary>Parses <paramref name="text"/>; numbers without a leading + or 00 are read in <paramref name="defaultRegion"/>.</summary>
    public static PhoneParseResult Parse(string? text, string defaultRegion)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return PhoneParseResult.Fail("is empty");
        }

        if (text.Length > 40)
        {
            return PhoneParseResult.Fail("is longer than 40 characters");
        }

        PhoneNumber number;
        try
        {
            number = Util.Parse(text.Trim(), defaultRegion.ToUpperInvariant());
        }
        catch (NumberParseException e)
        {
            return PhoneParseResult.Fail(e.ErrorType switch
            {
                ErrorType.INVALID_COUNTRY_CODE => "has no valid country code; write it with + and the country code",
                ErrorType.TOO_SHORT_NSN or ErrorType.TOO_SHORT_AFTER_IDD => "is too short to be a phone number",
                ErrorType.TOO_LONG => "is too long to be a phone number",
                _ => "is not a phone number",
            });
        }

        if (!Util.IsValidNumber(number))
        {
            var region = Util.GetRegionCodeForNumber(number) ?? defaultRegion.ToUpperInvariant();
            return PhoneParseResult.Fail($"is not a valid number for region {region}");
        }

        return PhoneParseResult.Ok(Util.Format(number, PhoneNumberFormat.E164));
    }

    /// <summary>Whether a search text looks like a phone number rather than a name (mostly digits, at least five of them).</summary>
    public static bool LooksLikePhone(string text)
    {
        var digits = text.Count(char.IsAsciiDigit);
        var letters = text.Count(char.IsLetter);
        return digits >= 5 && letters == 0;
    }

    /// <summary>Formats an E.164 number for people, in the international format.</summary>
    /// <remarks>Formatting parses the number again, so results are remembered; every list of contacts shows many numbers.</remarks>
    public static string Display(string e164)
    {
        if (DisplayCache.TryGetValue(e164, out var cached))
        {
            return cached;
        }

        string display;
        try
        {
            display = Util.Format(Util.Parse(e164, null), PhoneNumberFormat.INTERNATIONAL);
        }
        catch (NumberParseException)
        {
            display = e164;
        }

        if (DisplayCache.Count >= MaxCachedDisplays)
        {
            DisplayCache.Clear();
        }

        DisplayCache[e164] = display;
        return display;
    }

    private const int MaxCachedDisplays = 100_000;
    private static readonly ConcurrentDictionary<string, string> DisplayCache = new(StringComparer.Ordinal);
}

public readonly record struct PhoneParseResult(string? E164, string? Error)
{
    public bool IsValid => E164 is not null;

    public static PhoneParseResult Ok(string e164) => new(e164, null);

    public static PhoneParseResult Fail(string reason) => new(null, reason);
}
