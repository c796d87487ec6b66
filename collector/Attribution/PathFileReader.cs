using System.Diagnostics.CodeAnalysis;
using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Collector.Attribution;

/// <summary>Reads a path file (CSV or JSON) into <see cref="PathCount"/>s; never throws on bad content.</summary>
internal static class PathFileReader
{
    /// <summary>".json" / ".csv" by extension; otherwise JSON when the first non-blank character is '{'.</summary>
    public static PathFileFormat Detect(string fileName, string content)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(content);
        var extension = Path.GetExtension(fileName);
        if (extension.Equals(".json", StringComparison.OrdinalIgnoreCase))
        {
            return PathFileFormat.Json;
        }

        if (extension.Equals(".csv", StringComparison.OrdinalIgnoreCase))
        {
            return PathFileFormat.Csv;
        }

        foreach (var c in content)
        {
            if (!char.IsWhiteSpace(c))
            {
                return c == '{' ? PathFileFormat.Json : PathFileFormat.Csv;
            }
        }

        return PathFileFormat.Csv;
    }

    /// <summary>On failure <paramref name="error"/> names the line (CSV) or the element and its path (JSON).</summary>
    public static bool TryRead(string content, PathFileFormat format,
        [NotNullWhen(true)] out IReadOnlyList<PathCount>? paths, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(content);
        var list = new List<PathCount>();
        var ok = format == PathFileFormat.Json
            ? JsonPathReader.TryRead(content, list, out var message)
            : CsvPathReader.TryRead(content, list, out message);
        paths = ok ? list : null;
        error = ok ? null : message;
        return ok;
    }
}
