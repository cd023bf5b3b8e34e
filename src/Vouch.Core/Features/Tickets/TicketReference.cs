using System.Globalization;

namespace Vouch.Core.Features.Tickets;

/// <summary>
/// How a ticket of Vouch's own store is named in text: its number, as "1042", "#1042" or "T-1042" (any case, surrounding
/// spaces ignored). Anything else (other prefixes, signs, leading zeros aside, numbers above int range) is not a reference.
/// </summary>
public static class TicketReference
{
    public static bool TryParse(string? text, out int number)
    {
        number = 0;
        var value = text?.Trim() ?? "";
        if (value.StartsWith('#'))
        {
            value = value[1..];
        }
        else if (value.StartsWith("T-", StringComparison.OrdinalIgnoreCase))
        {
            value = value[2..];
        }

        return value.Length is > 0 and <= 10
            && value.All(char.IsAsciiDigit)
            && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out number)
            && number > 0;
    }

    /// <summary>The reference in its plain form, as <see cref="Ports.ITicketDesk"/> hands it out.</summary>
    public static string Format(int number) => number.ToString(CultureInfo.InvariantCulture);

    /// <summary>The number as people read it on screen.</summary>
    public static string Display(int number) => "#" + Format(number);
}
