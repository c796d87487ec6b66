using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace OmniTrackIQ.Pipeline.Privacy;

/// <summary>
/// SHA-256 of a normalised email (trimmed, lower-case invariant, UTF-8) as lower-case hex: the form
/// ad platforms' conversion APIs expect, so the same person matches across tools. Only the result
/// string is allocated; long input (far beyond any real address) goes through pooled buffers.
/// </summary>
public static class EmailHasher
{
    private const int StackLimit = 256;

    /// <summary>Null when nothing is left after trimming.</summary>
    public static string? Hash(ReadOnlySpan<char> email)
    {
        email = email.Trim();
        if (email.IsEmpty)
        {
            return null;
        }

        char[]? rentedChars = null;
        byte[]? rentedBytes = null;
        try
        {
            var lower = email.Length <= StackLimit
                ? stackalloc char[StackLimit]
                : rentedChars = ArrayPool<char>.Shared.Rent(email.Length);
            var lowerLength = email.ToLowerInvariant(lower);
            var maxBytes = Encoding.UTF8.GetMaxByteCount(lowerLength);
            var utf8 = maxBytes <= StackLimit * 3
                ? stackalloc byte[StackLimit * 3]
                : rentedBytes = ArrayPool<byte>.Shared.Rent(maxBytes);
            var byteCount = Encoding.UTF8.GetBytes(lower[..lowerLength], utf8);

            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(utf8[..byteCount], hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            if (rentedChars is not null)
            {
                ArrayPool<char>.Shared.Return(rentedChars);
            }

            if (rentedBytes is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedBytes);
            }
        }
    }

    /// <summary>
    /// A client-sent hash in canonical form: the same instance when already lower-case hex, a
    /// lower-cased copy when it has upper-case digits, null when it is not 64 hex characters.
    /// </summary>
    public static string? NormaliseClientHash(string value)
    {
        if (value.Length != SHA256.HashSizeInBytes * 2)
        {
            return null;
        }

        var hasUpper = false;
        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return null;
            }

            hasUpper |= char.IsAsciiLetterUpper(c);
        }

        return hasUpper ? value.ToLowerInvariant() : value;
    }
}
