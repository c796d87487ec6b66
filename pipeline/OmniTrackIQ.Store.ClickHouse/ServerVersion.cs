using System.Globalization;

namespace OmniTrackIQ.Store.ClickHouse;

/// <summary>What the store must know about the server it talks to, probed once.</summary>
/// <param name="Version">As <c>SELECT version()</c> reports it, e.g. 18.16.1 or 25.8.2.29.</param>
/// <param name="KnowsJsonAsStringSettings">
/// The server has the driver's JSON-as-string settings. Asked of <c>system.settings</c> rather than inferred
/// from a version table: the server is the authority on what it knows.
/// </param>
internal sealed record ServerVersion(Version Version, bool KnowsJsonAsStringSettings)
{
    /// <summary>
    /// Whether inserts may go zstd-compressed (the driver's default). 18.16 answers "Unknown Content-Encoding of
    /// HTTP request: zstd"; rather than guess the release that added it, compression is used only on servers
    /// recent enough to know the JSON settings (years newer), and old ones get plain RowBinary, which every
    /// version reads.
    /// </summary>
    public bool AcceptsZstdRequests => KnowsJsonAsStringSettings;

    public static Version Parse(string text)
    {
        var parts = text.Trim().Split('.');
        var numbers = new int[4];
        for (var i = 0; i < Math.Min(4, parts.Length); i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                throw new FormatException($"Unexpected ClickHouse version '{text}'");
            }
        }

        return new Version(numbers[0], numbers[1], numbers[2], numbers[3]);
    }
}
