using System.Text.RegularExpressions;
using YamlDotNet.Serialization;

namespace OmniTrackIQ.UserAgents.Parsing;

/// <summary>The three rule lists of a regexes.yaml, in file order (first match wins).</summary>
internal sealed record RuleSet(UserAgentRule[] UserAgents, OsRule[] Os, DeviceRule[] Devices);

/// <summary>Reads the ua-parser project's regexes.yaml with YamlDotNet and compiles every regex once.</summary>
internal static class RegexesLoader
{
    private const string WarmUpInput =
        "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/UQ1A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36";

    public static RuleSet Load(TextReader yaml, RegexOptions extraOptions, TimeSpan matchTimeout)
    {
        var deserializer = new DeserializerBuilder().Build();
        var document = deserializer.Deserialize<Dictionary<string, List<Dictionary<string, string?>>?>?>(yaml)
            ?? throw new InvalidDataException("regexes.yaml is empty.");

        var userAgents = Section(document, "user_agent_parsers");
        var os = Section(document, "os_parsers");
        var devices = Section(document, "device_parsers");

        var uaRules = new UserAgentRule[userAgents.Count];
        for (var i = 0; i < uaRules.Length; i++)
        {
            var e = userAgents[i];
            uaRules[i] = new UserAgentRule(
                Compile(e, extraOptions, matchTimeout),
                Get(e, "family_replacement"), Get(e, "v1_replacement"), Get(e, "v2_replacement"),
                Get(e, "v3_replacement"), Get(e, "v4_replacement"));
        }

        var osRules = new OsRule[os.Count];
        for (var i = 0; i < osRules.Length; i++)
        {
            var e = os[i];
            osRules[i] = new OsRule(
                Compile(e, extraOptions, matchTimeout),
                Get(e, "os_replacement"), Get(e, "os_v1_replacement"), Get(e, "os_v2_replacement"),
                Get(e, "os_v3_replacement"), Get(e, "os_v4_replacement"));
        }

        var deviceRules = new DeviceRule[devices.Count];
        for (var i = 0; i < deviceRules.Length; i++)
        {
            var e = devices[i];
            deviceRules[i] = new DeviceRule(
                Compile(e, extraOptions, matchTimeout),
                Get(e, "device_replacement"), Get(e, "brand_replacement"), Get(e, "model_replacement"));
        }

        return new RuleSet(uaRules, osRules, deviceRules);
    }

    private static List<Dictionary<string, string?>> Section(
        Dictionary<string, List<Dictionary<string, string?>>?> document, string name) =>
        document.TryGetValue(name, out var list) && list is not null
            ? list
            : throw new InvalidDataException($"regexes.yaml has no '{name}' section.");

    private static string? Get(Dictionary<string, string?> entry, string key) =>
        entry.TryGetValue(key, out var value) ? Replacement.Normalize(value) : null;

    private static Regex Compile(Dictionary<string, string?> entry, RegexOptions extraOptions, TimeSpan matchTimeout)
    {
        var pattern = Get(entry, "regex") ?? throw new InvalidDataException("regexes.yaml entry without 'regex'.");
        // CultureInvariant: case-insensitive rules must not depend on the host culture (Turkish i).
        var options = RegexOptions.CultureInvariant | extraOptions;
        if (Get(entry, "regex_flag") == "i")
        {
            options |= RegexOptions.IgnoreCase;
        }

        try
        {
            var regex = new Regex(pattern, options, matchTimeout);
            if ((options & RegexOptions.Compiled) != 0)
            {
                // Run the generated code once so its JIT cost lands at startup, not inside the first
                // request's match timeout (measured: ~2 s for the whole file on first use otherwise).
                // (An empty input would not do: most patterns reject it before running any generated code.)
                // The JIT time of a big pattern counts against its match timeout, so the warm-up may time out itself.
                try
                {
                    _ = regex.IsMatch(WarmUpInput);
                }
                catch (RegexMatchTimeoutException)
                {
                }
            }

            return regex;
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"regexes.yaml: invalid regex '{pattern}': {ex.Message}", ex);
        }
    }
}
