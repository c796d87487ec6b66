using System.Text.Json;
using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Collector.Attribution;

/// <summary>
/// Reads {"separator": "&gt;", "paths": [{"path": "A &gt; B", "conversions": 3, "value": 120.5, "nulls": 7}]}.
/// separator defaults to "&gt;", value and nulls to 0. Syntax errors name the line; content errors name
/// the element index and its path text.
/// </summary>
internal static class JsonPathReader
{
    public static bool TryRead(string content, List<PathCount> paths, out string error)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException exception)
        {
            var line = exception.LineNumber is { } number ? $"line {number + 1}: " : string.Empty;
            error = $"{line}invalid JSON ({FirstSentence(exception.Message)})";
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("paths", out var array) || array.ValueKind != JsonValueKind.Array)
            {
                error = "the JSON root must be an object with a \"paths\" array";
                return false;
            }

            var separator = ">";
            if (root.TryGetProperty("separator", out var separatorElement))
            {
                if (separatorElement.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(separatorElement.GetString()))
                {
                    error = "\"separator\" must be a non-blank string";
                    return false;
                }

                separator = separatorElement.GetString()!.Trim();
            }

            var channels = new List<string>();
            var index = 0;
            foreach (var element in array.EnumerateArray())
            {
                if (!TryReadPath(element, separator, channels, out var path, out error))
                {
                    error = $"paths[{index}]{Describe(element)}: {error}";
                    return false;
                }

                paths.Add(path!);
                index++;
            }
        }

        error = string.Empty;
        return true;
    }

    private static bool TryReadPath(JsonElement element, string separator, List<string> channels, out PathCount? path, out string error)
    {
        path = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = "each path must be an object with \"path\" and \"conversions\"";
            return false;
        }

        if (!element.TryGetProperty("path", out var text) || text.ValueKind != JsonValueKind.String)
        {
            error = "\"path\" must be a string";
            return false;
        }

        if (!PathText.TrySplit(text.GetString()!, separator, channels, out error)
            || !TryNumber(element, "conversions", required: true, out var conversions, out error)
            || !TryNumber(element, "value", required: false, out var value, out error)
            || !TryNumber(element, "nulls", required: false, out var nulls, out error))
        {
            return false;
        }

        path = new PathCount(channels, conversions, value, nulls);
        return true;
    }

    private static bool TryNumber(JsonElement element, string name, bool required, out double number, out string error)
    {
        number = 0;
        error = string.Empty;
        if (!element.TryGetProperty(name, out var property) || property.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                error = $"\"{name}\" is missing";
                return false;
            }

            return true;
        }

        if (property.ValueKind != JsonValueKind.Number || !property.TryGetDouble(out number) || !double.IsFinite(number))
        {
            error = $"\"{name}\" must be a finite number (found {property.GetRawText()})";
            return false;
        }

        if (number < 0)
        {
            error = $"\"{name}\" is negative ({property.GetRawText()})";
            return false;
        }

        return true;
    }

    private static string Describe(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("path", out var text) && text.ValueKind == JsonValueKind.String
            ? $" (\"{text.GetString()}\")"
            : string.Empty;

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" Path:", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }
}
