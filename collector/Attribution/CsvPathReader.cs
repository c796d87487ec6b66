using System.Globalization;
using OmniTrackIQ.Attribution.Paths;
using OmniTrackIQ.Pipeline.Files;

namespace OmniTrackIQ.Collector.Attribution;

/// <summary>
/// Reads ChannelAttribution's CSV shape with the one CSV reader (<see cref="CsvRecordReader"/>, Sep); fields may be
/// double-quoted (with "" for a quote) so a path or channel can contain commas. path and total_conversions are required,
/// total_conversion_value and total_null default to 0 when the column is absent; other columns are
/// ignored. Every error names its 1-based line.
/// </summary>
internal static class CsvPathReader
{
    private const string PathColumn = "path";
    private const string ConversionsColumn = "total_conversions";
    private const string ValueColumn = "total_conversion_value";
    private const string NullColumn = "total_null";
    private const string Separator = ">";

    public static bool TryRead(string content, List<PathCount> paths, out string error)
    {
        using var records = new CsvRecordReader(content);
        var fields = new List<string>();
        var channels = new List<string>();
        int pathAt = -1, conversionsAt = -1, valueAt = -1, nullAt = -1, columns = 0;
        while (true)
        {
            var malformed = records.Next(fields, out var lineNumber);
            if (malformed is not null)
            {
                error = $"line {lineNumber}: {malformed}";
                return false;
            }

            if (lineNumber == 0)
            {
                break;
            }

            if (fields.Count == 1 && string.IsNullOrWhiteSpace(fields[0]))
            {
                continue; // a blank line
            }

            if (pathAt < 0)
            {
                columns = fields.Count;
                if (!TryReadHeader(fields, out pathAt, out conversionsAt, out valueAt, out nullAt, out error))
                {
                    error = $"line {lineNumber}: {error}";
                    return false;
                }

                continue;
            }

            if (fields.Count != columns)
            {
                error = $"line {lineNumber}: expected {columns} fields as in the header, found {fields.Count}";
                return false;
            }

            if (!PathText.TrySplit(fields[pathAt], Separator, channels, out error)
                || !TryNumber(fields, conversionsAt, ConversionsColumn, out var conversions, out error)
                || !TryNumber(fields, valueAt, ValueColumn, out var value, out error)
                || !TryNumber(fields, nullAt, NullColumn, out var nulls, out error))
            {
                error = $"line {lineNumber}: {error}";
                return false;
            }

            paths.Add(new PathCount(channels, conversions, value, nulls));
        }

        if (pathAt < 0)
        {
            error = $"the file is empty; expected the header {PathColumn},{ConversionsColumn},{ValueColumn},{NullColumn}";
            return false;
        }

        error = string.Empty;
        return true;
    }

    private static bool TryReadHeader(List<string> fields, out int pathAt, out int conversionsAt, out int valueAt, out int nullAt, out string error)
    {
        pathAt = conversionsAt = valueAt = nullAt = -1;
        for (var i = 0; i < fields.Count; i++)
        {
            var name = fields[i].Trim().ToLowerInvariant();
            ref var slot = ref pathAt;
            switch (name)
            {
                case PathColumn: slot = ref pathAt; break;
                case ConversionsColumn: slot = ref conversionsAt; break;
                case ValueColumn: slot = ref valueAt; break;
                case NullColumn: slot = ref nullAt; break;
                default: continue;
            }

            if (slot >= 0)
            {
                error = $"column \"{name}\" appears twice in the header";
                return false;
            }

            slot = i;
        }

        if (pathAt < 0 || conversionsAt < 0)
        {
            pathAt = -1;
            error = $"the header must name the columns \"{PathColumn}\" and \"{ConversionsColumn}\" (found: {string.Join(",", fields)})";
            return false;
        }

        error = string.Empty;
        return true;
    }

    private static bool TryNumber(List<string> fields, int at, string column, out double number, out string error)
    {
        number = 0;
        error = string.Empty;
        if (at < 0)
        {
            return true;
        }

        var text = fields[at].Trim();
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number) || !double.IsFinite(number))
        {
            error = $"{column} \"{text}\" is not a number";
            return false;
        }

        if (number < 0)
        {
            error = $"{column} {text} is negative";
            return false;
        }

        return true;
    }
}
