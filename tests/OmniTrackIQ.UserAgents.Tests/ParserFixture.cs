namespace OmniTrackIQ.UserAgents.Tests;

/// <summary>One parser for the whole test run: loading compiles ~1,300 regexes, and sharing it is also how production uses it.</summary>
public sealed class ParserFixture
{
    /// <summary>Loaded from the default path, which proves Data/regexes.yaml is copied next to the assembly.</summary>
    public UserAgentParser Parser { get; } = UserAgentParser.FromFile();
}

[CollectionDefinition(Name)]
public sealed class ParserCollection : ICollectionFixture<ParserFixture>
{
    public const string Name = "parser";
}
