namespace OmniTrackIQ.UserAgents;

/// <summary>Settings bound from <c>OmniTrack:UserAgents</c>.</summary>
public sealed class UserAgentOptions
{
    public const string SectionName = "OmniTrack:UserAgents";

    /// <summary>
    /// regexes.yaml to load; empty means the bundled copy (<see cref="UserAgentParser.DefaultRegexesPath"/>).
    /// Debian's uap-core package installs one at <see cref="UserAgentParser.DebianRegexesPath"/>.
    /// </summary>
    public string? RegexesPath { get; set; }

    /// <summary>Parsed UAs kept in memory (at least 2; default <see cref="UserAgentCache.DefaultCapacity"/>).</summary>
    public int CacheSize { get; set; } = UserAgentCache.DefaultCapacity;

    /// <summary>Compile the regexes to IL: faster cache misses for a slower start (see the package README).</summary>
    public bool CompileRegexes { get; set; }
}
