using YamlDotNet.Serialization;

namespace OmniTrackIQ.UserAgents.Tests;

/// <summary>Reads the ua-parser suite's test_*.yaml files (a list of maps under <c>test_cases</c>).</summary>
internal static class ConformanceCases
{
    public static IReadOnlyList<Dictionary<string, string?>> Load(string fileName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "uap-core", fileName);
        using var reader = File.OpenText(path);
        var document = new DeserializerBuilder().Build()
            .Deserialize<Dictionary<string, List<Dictionary<string, string?>>>>(reader);
        return document["test_cases"];
    }

    /// <summary>The suite writes a missing part as an empty YAML value (null); a parser reports it as null too.</summary>
    public static string? Expected(Dictionary<string, string?> testCase, string key) =>
        testCase.TryGetValue(key, out var value) && !string.IsNullOrEmpty(value) ? value : null;
}
