using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace OmniTrackIQ.Pipeline.Ingest;

/// <summary>UTF-8 length limits on .NET strings.</summary>
public static class Utf8Text
{
    /// <summary>
    /// The longest prefix of <paramref name="value"/> whose UTF-8 form fits in <paramref name="maxBytes"/>,
    /// never splitting a character (a surrogate pair stays whole or goes); null when it already fits.
    /// </summary>
    public static string? Truncate(string value, int maxBytes)
    {
        // Every char is at most 3 UTF-8 bytes (a pair is 4 for 2 chars): short strings need no count.
        if (value.Length * 3 <= maxBytes || Encoding.UTF8.GetByteCount(value) <= maxBytes) { return null; }

        var buffer = ArrayPool<byte>.Shared.Rent(maxBytes);
        try
        {
            // FromUtf16 stops before the first character that does not fit whole.
            Utf8.FromUtf16(value, buffer.AsSpan(0, maxBytes), out var charsRead, out _, replaceInvalidSequences: true, isFinalBlock: true);
            return value[..charsRead];
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
