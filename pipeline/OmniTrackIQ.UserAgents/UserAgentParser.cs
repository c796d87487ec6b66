using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using OmniTrackIQ.UserAgents.Parsing;

namespace OmniTrackIQ.UserAgents;

/// <summary>
/// Our own implementation of the ua-parser specification over the project's regexes.yaml: three
/// ordered rule lists (browser, OS, device), first match wins, "Other" when nothing matches.
/// Thread-safe and immutable after construction; share one instance (DI singleton). It does not
/// cache: put a <see cref="UserAgentCache"/> in front of it on hot paths.
/// </summary>
/// <remarks>
/// Never throws on input. The input is cut to <see cref="MaxUserAgentLength"/> chars before matching
/// (real UAs are shorter; the cap bounds the work an attacker can ask for) and every regex runs with
/// a match timeout: a timeout ends that rule list with its default ("Other"), because continuing
/// would let one hostile UA cost up to a timeout per remaining rule.
/// RegexOptions.NonBacktracking is not used: the rules rely on backtracking capture semantics
/// (leftmost alternative wins, lazy quantifiers decide the groups), which NonBacktracking does not
/// promise, and group values are the whole point of the parse.
/// </remarks>
public sealed class UserAgentParser
{
    /// <summary>Longest User-Agent prefix that is matched (and stored on events).</summary>
    public const int MaxUserAgentLength = 512;

    /// <summary>Where Debian's uap-core package installs the rules.</summary>
    public const string DebianRegexesPath = "/usr/share/uap-core/regexes.yaml";

    internal static readonly TimeSpan DefaultMatchTimeout = TimeSpan.FromMilliseconds(250);

    private static readonly UserAgentInfo s_missing = new(
        null, ParsedDefaults.Browser, ParsedDefaults.Os, ParsedDefaults.Device, isBot: true, DeviceClass.Bot);

    private readonly RuleSet _rules;
    private long _timeouts;

    private UserAgentParser(RuleSet rules) => _rules = rules;

    /// <summary>The bundled rules: <c>Data/regexes.yaml</c> next to this assembly (copied to every consumer's output).</summary>
    public static string DefaultRegexesPath { get; } = Path.Combine(AssemblyDirectory(), "Data", "regexes.yaml");

    /// <summary>Number of regex evaluations that hit the match timeout since start (exposed for metrics).</summary>
    public long MatchTimeouts => Interlocked.Read(ref _timeouts);

    /// <summary>Loads and compiles the rules from <paramref name="regexesPath"/> (default <see cref="DefaultRegexesPath"/>).</summary>
    /// <param name="compiled">
    /// Compile every regex to IL (RegexOptions.Compiled): roughly 3x faster cold parsing, paid with a few
    /// seconds of startup; worth it only when the cache hit rate is low. See the package README for numbers.
    /// </param>
    public static UserAgentParser FromFile(string? regexesPath = null, bool compiled = false)
    {
        var path = string.IsNullOrWhiteSpace(regexesPath) ? DefaultRegexesPath : regexesPath;
        using var reader = File.OpenText(path);
        return FromYaml(reader, compiled);
    }

    /// <summary>Loads and compiles the rules from a regexes.yaml document.</summary>
    public static UserAgentParser FromYaml(TextReader yaml, bool compiled = false) =>
        FromYaml(yaml, compiled, DefaultMatchTimeout);

    internal static UserAgentParser FromYaml(TextReader yaml, bool compiled, TimeSpan matchTimeout)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var options = compiled ? RegexOptions.Compiled : RegexOptions.None;
        return new UserAgentParser(RegexesLoader.Load(yaml, options, matchTimeout));
    }

    /// <summary>Parses <paramref name="userAgent"/> (uncached). Missing or blank input is reported as a bot.</summary>
    public UserAgentInfo Parse(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return s_missing;
        }

        var ua = userAgent.Length > MaxUserAgentLength ? userAgent[..MaxUserAgentLength] : userAgent;
        var timeoutsBefore = MatchTimeouts;
        var browser = ParseBrowser(ua);
        var os = ParseOs(ua);
        var device = ParseDevice(ua);
        var isBot = BotDetector.IsBot(ua, browser, device);
        return new UserAgentInfo(ua, browser, os, device, isBot, DeviceClassifier.Classify(ua, os, device, isBot))
        {
            // Conservative under concurrency (another thread's timeout also counts): such results are
            // merely not cached, so a UA that timed out once, e.g. under a CPU spike, is parsed again later.
            Cacheable = MatchTimeouts == timeoutsBefore,
        };
    }

    /// <summary>The <c>user_agent_parsers</c> result for <paramref name="ua"/> (no length cap; conformance tests use it directly).</summary>
    internal BrowserInfo ParseBrowser(string ua)
    {
        foreach (var rule in _rules.UserAgents)
        {
            if (TryMatch(rule.Regex, ua, out var match))
            {
                return rule.Create(match);
            }

            if (match is null)
            {
                break;
            }
        }

        return ParsedDefaults.Browser;
    }

    internal OsInfo ParseOs(string ua)
    {
        foreach (var rule in _rules.Os)
        {
            if (TryMatch(rule.Regex, ua, out var match))
            {
                return rule.Create(match);
            }

            if (match is null)
            {
                break;
            }
        }

        return ParsedDefaults.Os;
    }

    internal DeviceInfo ParseDevice(string ua)
    {
        foreach (var rule in _rules.Devices)
        {
            if (TryMatch(rule.Regex, ua, out var match))
            {
                return rule.Create(match);
            }

            if (match is null)
            {
                break;
            }
        }

        return ParsedDefaults.Device;
    }

    /// <summary>Runs one rule; <paramref name="match"/> is null after a timeout (the caller then stops at its default).</summary>
    private bool TryMatch(Regex regex, string ua, [NotNullWhen(true)] out Match? match)
    {
        try
        {
            match = regex.Match(ua);
            return match.Success;
        }
        catch (RegexMatchTimeoutException)
        {
            Interlocked.Increment(ref _timeouts);
            match = null;
            return false;
        }
    }

    private static string AssemblyDirectory()
    {
        // Location is empty in single-file apps; the base directory is where Data/ is copied then.
        var location = typeof(UserAgentParser).Assembly.Location;
        var directory = string.IsNullOrEmpty(location) ? null : Path.GetDirectoryName(location);
        return string.IsNullOrEmpty(directory) ? AppContext.BaseDirectory : directory;
    }
}
