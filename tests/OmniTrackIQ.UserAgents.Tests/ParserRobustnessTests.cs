namespace OmniTrackIQ.UserAgents.Tests;

[Collection(ParserCollection.Name)]
public sealed class ParserRobustnessTests(ParserFixture fixture)
{
    private readonly UserAgentParser _parser = fixture.Parser;

    [Fact]
    public void A_huge_user_agent_is_cut_to_the_cap_before_matching()
    {
        var huge = SampleUserAgents.ChromeWindows + new string('x', 1_000_000);

        var info = _parser.Parse(huge);

        Assert.Equal(UserAgentParser.MaxUserAgentLength, info.UserAgent!.Length);
        Assert.Equal("Chrome", info.Browser.Family);
        Assert.Equal("Windows", info.Os.Family);
    }

    [Theory]
    [InlineData("\0\u0001\u0002\r\n\t")]
    [InlineData("Mozilla/5.0 (\u0000Windows NT 10.0\u001b[31m) Chrome/1.2.3")]
    [InlineData("\uD800\uDC00\uFFFF\uD800")] // lone surrogate at the end
    [InlineData("((((((((((((((((((((((((((((((((((((((((")]
    [InlineData("$1 $2 $9 $$")]
    public void ControlCharactersAndGarbageParseWithoutThrowing(string userAgent)
    {
        var info = _parser.Parse(userAgent);

        Assert.Equal(userAgent, info.UserAgent);
        Assert.NotNull(info.Browser.Family);
        Assert.NotNull(info.Os.Family);
        Assert.NotNull(info.Device.Family);
    }

    [Fact]
    public void A_catastrophically_backtracking_rule_times_out_to_other()
    {
        const string yaml = """
            user_agent_parsers:
              - regex: '^(a+)+$'
              - regex: '(a)'
                family_replacement: 'Never reached'
            os_parsers: []
            device_parsers: []
            """;
        var parser = UserAgentParser.FromYaml(new StringReader(yaml), compiled: false, TimeSpan.FromMilliseconds(20));

        var info = parser.Parse(new string('a', 40) + "!");

        Assert.Equal("Other", info.Browser.Family);
        Assert.Equal(1, parser.MatchTimeouts);
    }

    [Fact]
    public void Replacements_follow_the_spec()
    {
        const string yaml = """
            user_agent_parsers:
              - regex: 'Foo/(\d+)\.(\d+)(?:\.(\d+)|)'
                family_replacement: 'Foo $1 Browser'
                v2_replacement: '9'
              - regex: '(Bar)(?:/(\d+)|)'
            os_parsers:
              - regex: 'Sys (\w+) (\d+)'
                os_replacement: ' $1 '
                os_v2_replacement: '$3'
                os_v3_replacement: 'p$2'
            device_parsers:
              - regex: 'dev-(\w+)-(\w*)'
                regex_flag: 'i'
                device_replacement: '$1 $2'
                model_replacement: '$2'
              - regex: 'plain(\w+)'
            """;
        var parser = UserAgentParser.FromYaml(new StringReader(yaml));

        // family_replacement substitutes $1; versions are groups 2.. unless replaced; an absent group is null
        Assert.Equal(new BrowserInfo("Foo 4 Browser", "2", "9", null, null), parser.ParseBrowser("Foo/4.2"));
        Assert.Equal(new BrowserInfo("Bar", null, null, null, null), parser.ParseBrowser("Bar"));
        Assert.Equal(new BrowserInfo("Other", null, null, null, null), parser.ParseBrowser("nothing"));
        // trimmed; a reference to a missing group is "" and an empty result is null; static text stays
        Assert.Equal(new OsInfo("Kern", "7", null, "p7", null), parser.ParseOs("Sys Kern 7"));
        Assert.Equal(new OsInfo("Other", null, null, null, null), parser.ParseOs("nothing"));
        // regex_flag i; brand has no fallback group; model "$2" over an empty group is null; family trimmed
        Assert.Equal(new DeviceInfo("X1", null, null), parser.ParseDevice("DEV-X1-"));
        Assert.Equal(new DeviceInfo("X1 Pro", null, "Pro"), parser.ParseDevice("dev-X1-Pro"));
        // without replacements family and model are group 1
        Assert.Equal(new DeviceInfo("Phone", null, "Phone"), parser.ParseDevice("plainPhone"));
        Assert.Equal(new DeviceInfo("Other", null, null), parser.ParseDevice("PLAINPhone"));
    }

    [Fact]
    public void A_missing_regexes_file_fails_loudly_at_load()
    {
        Assert.ThrowsAny<IOException>(() => UserAgentParser.FromFile("/nonexistent/regexes.yaml"));
    }

    [Fact]
    public void An_invalid_regex_names_the_pattern()
    {
        const string yaml = "user_agent_parsers:\n  - regex: '(unclosed'\nos_parsers: []\ndevice_parsers: []\n";

        var ex = Assert.Throws<InvalidDataException>(() => UserAgentParser.FromYaml(new StringReader(yaml)));

        Assert.Contains("(unclosed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_bundled_rules_all_compile_with_the_compiled_option_too()
    {
        // Guards the CompileRegexes switch: IL compilation accepts exactly what the interpreter accepts.
        using var reader = File.OpenText(UserAgentParser.DefaultRegexesPath);
        var parser = UserAgentParser.FromYaml(reader, compiled: true);

        // The load warms the generated code up, so the first parse does not pay JIT time inside its match timeout.
        var info = parser.Parse(SampleUserAgents.ChromeWindows);

        Assert.Equal("Chrome", info.Browser.Family);
        Assert.Equal("Windows", info.Os.Family);
        Assert.Equal(0, parser.MatchTimeouts);
    }

    [Fact]
    public void The_license_ships_next_to_the_bundled_rules()
    {
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(UserAgentParser.DefaultRegexesPath)!, "LICENSE")));
    }
}
