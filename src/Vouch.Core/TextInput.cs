using System.Buffers;

namespace Vouch.Core;

/// <summary>
/// The one rule for text that comes from outside: no NUL and no other control character, except line breaks and tabs
/// where text may span lines. PostgreSQL refuses NUL outright (a 500 for whoever sent it) while SQLite stores it, and
/// control characters are invisible in the UI, the audit log and a text message, so they are refused where text enters.
/// </summary>
public static class TextInput
{
    public const string ControlCharacterReason = "contains a control character; only line breaks and tabs are allowed in text";

    // C0 controls but tab, line feed and carriage return; DEL; the C1 controls.
    private static readonly SearchValues<char> InMultiline = SearchValues.Create(
        [.. Enumerable.Range(0, 32).Where(c => c is not ('\t' or '\n' or '\r')).Select(c => (char)c), '\u007f', .. Enumerable.Range(0x80, 32).Select(c => (char)c)]);

    private static readonly SearchValues<char> InSingleLine = SearchValues.Create(
        [.. Enumerable.Range(0, 32).Select(c => (char)c), '\u007f', .. Enumerable.Range(0x80, 32).Select(c => (char)c)]);

    /// <summary>True when the text holds a control character other than a line break or tab.</summary>
    public static bool HasControlCharacter(ReadOnlySpan<char> text) => text.ContainsAny(InMultiline);

    /// <summary>True when the text holds any control character, line breaks and tabs included (names in a query, keys).</summary>
    public static bool HasAnyControlCharacter(ReadOnlySpan<char> text) => text.ContainsAny(InSingleLine);
}
