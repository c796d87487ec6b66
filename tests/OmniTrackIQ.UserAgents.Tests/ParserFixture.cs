namespace OmniTrackIQ.UserAgents.Tests;

/// <summary>One parser for the whole test run: loading compiles ~1,300 regexes, and sharing it is also how production uses it.</summary>
public sealed class ParserFixture
{
    /// <summary>
    /// Loaded from the default path, which proves Data/regexes.yaml is copied next to the assembly. The suites check
    /// what the rules answer, not how fast: the match timeout is far above the production one, which a loaded 2-core
    /// machine can reach on a slow rule and then answer "Other" (ParserRobustnessTests covers the timeout itself).
    /// </summary>
    public UserAgentParser Parser { get; } = Load();

    private static UserAgentParser Load()
    {
        using var yaml = File.OpenText(UserAgentParser.DefaultRegexesPath);
        return UserAgentParser.FromYaml(yaml, compiled: false, TimeSpan.FromSeconds(30));
    }
}

[CollectionDefinition(Name)]
public sealed class ParserCollection : ICollectionFixture<ParserFixture>
{
    public const string Name = "parser";
}
