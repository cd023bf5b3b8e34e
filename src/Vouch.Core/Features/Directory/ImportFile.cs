using System.Globalization;
using System.Text;

namespace Vouch.Core.Features.Directory;

/// <summary>
/// Reads an uploaded file whole before anything is imported from it: its size counted in the bytes actually read (a
/// declared length proves nothing), and its text decoded strictly, so a file in another encoding is refused instead of
/// having its letters silently replaced.
/// </summary>
internal static class ImportFile
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The whole stream, or null as soon as more than <paramref name="maxBytes"/> were read.</summary>
    public static async Task<byte[]?> ReadAsync(Stream stream, long maxBytes, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81_920];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>UTF-8, or UTF-16 when the file starts with its byte-order mark; the field <c>file</c> names any other.</summary>
    public static Outcome<(string Text, string Encoding)> Decode(byte[] bytes)
    {
        var (encoding, name, bom) = bytes switch
        {
            [0xFF, 0xFE, 0x00, 0x00, ..] or [0x00, 0x00, 0xFE, 0xFF, ..] => (null, "UTF-32", 4),
            [0xEF, 0xBB, 0xBF, ..] => ((Encoding?)StrictUtf8, "UTF-8", 3),
            [0xFF, 0xFE, ..] => (new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true), "UTF-16", 2),
            [0xFE, 0xFF, ..] => (new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true), "UTF-16", 2),
            _ => (StrictUtf8, "UTF-8", 0),
        };
        if (encoding is null)
        {
            return Invalid.Field("file", $"is {name}, which is not supported: save it as CSV UTF-8");
        }

        try
        {
            return (encoding.GetString(bytes, bom, bytes.Length - bom), name);
        }
        catch (DecoderFallbackException e)
        {
            var offset = Math.Clamp(bom + e.Index, 0, bytes.Length);
            var shown = string.Join(" ", (e.BytesUnknown ?? []).Select(b => "0x" + b.ToString("X2", CultureInfo.InvariantCulture)));
            // Lines are counted in UTF-8 only: in UTF-16 a newline byte may be half of another character.
            var where = bom == 2 ? $"byte {offset}" : $"line {1 + bytes.AsSpan(0, offset).Count((byte)'\n')}";
            return Invalid.Field("file", $"is not valid {name}: {where} has bytes ({shown}) that {name} does not allow; " +
                "the file is probably in another encoding: save it as CSV UTF-8");
        }
    }
}
