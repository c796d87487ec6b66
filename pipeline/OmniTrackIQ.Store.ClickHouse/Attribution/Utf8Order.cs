namespace OmniTrackIQ.Store.ClickHouse.Attribution;

/// <summary>
/// Strings compared as ClickHouse compares them, by their UTF-8 bytes, which is code point order. Ordinal UTF-16 order
/// differs from it only where a surrogate pair (a code point above U+FFFF) meets a unit in U+E000–U+FFFF; those are
/// moved into place before comparing.
/// </summary>
internal static class Utf8Order
{
    public static int Compare(string a, string b)
    {
        var length = Math.Min(a.Length, b.Length);
        for (var i = 0; i < length; i++)
        {
            int x = a[i], y = b[i];
            if (x == y) { continue; }
            if (x >= 0xD800 && y >= 0xD800)
            {
                x = x >= 0xE000 ? x - 0x800 : x + 0x2000;
                y = y >= 0xE000 ? y - 0x800 : y + 0x2000;
            }

            return x - y;
        }

        return a.Length - b.Length;
    }
}
