using System.Globalization;

namespace OmniTrackIQ.Pipeline.Spool;

/// <summary>Naming and listing of spool segment files (<c>000000000001.seg</c>, ...).</summary>
internal static class SegmentFiles
{
    public const string Extension = ".seg";

    public static string PathOf(string directory, long segment) =>
        Path.Combine(directory, segment.ToString("D12", CultureInfo.InvariantCulture) + Extension);

    /// <summary>The segment number a segment file's name holds.</summary>
    public static long SegmentOf(string path) =>
        long.Parse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture);

    public static List<long> List(string directory)
    {
        var segments = new List<long>();
        foreach (var file in Directory.EnumerateFiles(directory, "*" + Extension))
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(file), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                segments.Add(id);
            }
        }

        segments.Sort();
        return segments;
    }
}
