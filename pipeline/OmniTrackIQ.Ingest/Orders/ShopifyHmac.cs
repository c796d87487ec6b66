using System.Security.Cryptography;
using System.Text;

namespace OmniTrackIQ.Pipeline.Orders;

/// <summary>Verifies the X-Shopify-Hmac-SHA256 header: base64 of HMAC-SHA256 over the raw body, keyed with the app's secret.</summary>
public static class ShopifyHmac
{
    private const int HashSize = HMACSHA256.HashSizeInBytes;

    // Secrets up to this many UTF-8 bytes are keyed from the stack; Shopify's are 32–38 ASCII characters.
    private const int StackKeyLimit = 256;

    /// <summary>True only when <paramref name="headerBase64"/> decodes to exactly the 32-byte HMAC of <paramref name="body"/>.</summary>
    /// <remarks>The body must be the bytes as received: re-serialised JSON would not match. Any malformed header is false, never an exception.</remarks>
    public static bool IsValid(ReadOnlySpan<byte> body, string? headerBase64, string secret)
    {
        // An empty secret is a configuration mistake that would accept anyone's signature; say so loudly.
        ArgumentException.ThrowIfNullOrEmpty(secret);
        if (string.IsNullOrEmpty(headerBase64))
        {
            return false;
        }

        Span<byte> given = stackalloc byte[HashSize];
        // A longer decoding does not fit and fails; a shorter one is caught by the length check.
        if (!Convert.TryFromBase64String(headerBase64, given, out var written) || written != HashSize)
        {
            return false;
        }

        var keyLength = Encoding.UTF8.GetMaxByteCount(secret.Length);
        Span<byte> key = keyLength <= StackKeyLimit ? stackalloc byte[StackKeyLimit] : new byte[keyLength];
        key = key[..Encoding.UTF8.GetBytes(secret, key)];
        Span<byte> expected = stackalloc byte[HashSize];
        HMACSHA256.HashData(key, body, expected);
        CryptographicOperations.ZeroMemory(key);
        // Constant time, so response timing does not reveal how many leading bytes of a forged signature were right.
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
