using System.Text.Json;
using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Attribution.Tests;

/// <summary>Loads tests/data/attribution-cases (copied next to the test assembly by the csproj).</summary>
internal static class ReferenceCases
{
    public static JsonElement Load(string fileName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "attribution-cases", fileName);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }

    /// <summary>The "paths" array of a case's input: path, conversions, optional value and nulls.</summary>
    public static List<PathCount> InputPaths(JsonElement input)
    {
        var separator = input.TryGetProperty("separator", out var sep) ? sep.GetString()! : ">";
        var paths = new List<PathCount>();
        foreach (var element in input.GetProperty("paths").EnumerateArray())
        {
            var channels = element.GetProperty("path").GetString()!.Split(separator).Select(c => c.Trim()).ToArray();
            paths.Add(new PathCount(channels, element.GetProperty("conversions").GetDouble(),
                element.TryGetProperty("value", out var value) ? value.GetDouble() : 0,
                element.TryGetProperty("nulls", out var nulls) ? nulls.GetDouble() : 0));
        }

        return paths;
    }

    public static JsonElement Subcase(JsonElement root, string name) =>
        root.GetProperty("subcases").EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);

    public static Dictionary<string, double> Numbers(JsonElement element) =>
        element.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());

    /// <summary>Case08's input file: {"columns": [...], "rows": [[path, conversions, value, nulls], ...]}.</summary>
    public static List<PathCount> Case08Paths()
    {
        var root = Load("case08_input_channelattribution_pathdata.json");
        var paths = new List<PathCount>();
        foreach (var row in root.GetProperty("rows").EnumerateArray())
        {
            var cells = row.EnumerateArray().ToArray();
            var channels = cells[0].GetString()!.Split('>').Select(c => c.Trim()).ToArray();
            paths.Add(new PathCount(channels, cells[1].GetDouble(), cells[2].GetDouble(), cells[3].GetDouble()));
        }

        return paths;
    }

    /// <summary>Every expected channel is present and within tolerance; channels the case omits must be 0.</summary>
    public static void Equal(IReadOnlyDictionary<string, double> expected, IReadOnlyDictionary<string, double> actual, double tolerance)
    {
        foreach (var (key, value) in expected)
        {
            Assert.True(actual.ContainsKey(key), $"channel {key} missing");
            Assert.True(Math.Abs(value - actual[key]) <= tolerance, $"{key}: expected {value:R}, got {actual[key]:R} (tolerance {tolerance})");
        }

        foreach (var (key, value) in actual)
        {
            Assert.True(expected.ContainsKey(key) || value == 0, $"{key}: expected no credit, got {value:R}");
        }
    }

    public static Dictionary<string, double> Conversions(IReadOnlyDictionary<string, ChannelCredit> credits) =>
        credits.ToDictionary(p => p.Key, p => p.Value.Conversions);

    public static Dictionary<string, double> Values(IReadOnlyDictionary<string, ChannelCredit> credits) =>
        credits.ToDictionary(p => p.Key, p => p.Value.Value);
}
