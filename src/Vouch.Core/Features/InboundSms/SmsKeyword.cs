namespace Vouch.Core.Features.InboundSms;

/// <summary>What an inbound text asks for.</summary>
public enum SmsKeyword
{
    /// <summary>Not a keyword: kept, nothing is sent.</summary>
    None,
    Verify,
    Confirm,
    Reject,
    Stop,
    Start,
    Help,
}

/// <summary>
/// Reads the keyword of an inbound text. Case and whitespace do not matter ("# Verify ", "#CONFIRM"); the text must be the
/// keyword alone, so a sentence that happens to contain one is not taken as a command. The carrier keywords are the
/// standard opt-out, opt-in and help words that US and Canadian carriers require to be honoured.
/// </summary>
public static class SmsKeywords
{
    private static readonly Dictionary<string, SmsKeyword> Words = new(StringComparer.Ordinal)
    {
        ["#verify"] = SmsKeyword.Verify,
        ["#confirm"] = SmsKeyword.Confirm,
        ["#reject"] = SmsKeyword.Reject,
        ["stop"] = SmsKeyword.Stop,
        ["stopall"] = SmsKeyword.Stop,
        ["unsubscribe"] = SmsKeyword.Stop,
        ["cancel"] = SmsKeyword.Stop,
        ["end"] = SmsKeyword.Stop,
        ["quit"] = SmsKeyword.Stop,
        ["optout"] = SmsKeyword.Stop,
        ["revoke"] = SmsKeyword.Stop,
        ["start"] = SmsKeyword.Start,
        ["unstop"] = SmsKeyword.Start,
        ["yes"] = SmsKeyword.Start,
        ["help"] = SmsKeyword.Help,
        ["info"] = SmsKeyword.Help,
    };

    // Longer texts are never keywords; no need to look at them.
    private const int LongestKeywordText = 40;

    public static SmsKeyword Parse(string? body)
    {
        if (string.IsNullOrEmpty(body) || body.Length > LongestKeywordText)
        {
            return SmsKeyword.None;
        }

        Span<char> squeezed = stackalloc char[body.Length];
        var length = 0;
        foreach (var c in body)
        {
            if (!char.IsWhiteSpace(c))
            {
                squeezed[length++] = char.ToLowerInvariant(c);
            }
        }

        // Phones sometimes add a full stop or an exclamation mark; the fullwidth number sign comes from some keyboards.
        var word = new string(squeezed[..length]).TrimEnd('.', '!').Replace('＃', '#');
        return Words.GetValueOrDefault(word, SmsKeyword.None);
    }
}
