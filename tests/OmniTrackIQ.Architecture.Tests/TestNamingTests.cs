using System.Text.RegularExpressions;

namespace OmniTrackIQ.Architecture.Tests;

/// <summary>
/// Issue 18 item 6: one naming style for tests, a sentence with underscores between its words
/// (<c>A_batch_is_accepted_and_stored_once</c>), read from the sources of every test project, so a test named
/// otherwise fails here with its file and name.
/// </summary>
public sealed partial class TestNamingTests
{
    [Fact]
    public void Every_test_method_is_named_as_a_sentence_with_underscores()
    {
        var tests = Path.Combine(Repository.Root(), "tests");
        var methods = Directory.GetFiles(tests, "*.cs", SearchOption.AllDirectories)
            .Where(path => !IsBuildOutput(path))
            .SelectMany(path => TestMethods(File.ReadAllText(path)).Select(name => (File: Path.GetRelativePath(tests, path), Name: name)))
            .ToList();

        Assert.True(methods.Count > 500, $"only {methods.Count} test methods found under {tests}: the scan is broken");
        Assert.Empty(methods.Where(m => !IsSentence(m.Name)).Select(m => $"{m.File}: {m.Name}"));
    }

    [Theory]
    [InlineData("A_batch_is_accepted_and_stored_once", true)]
    [InlineData("ClickHouse_going_away_costs_no_5xx", true)]
    [InlineData("ABatchIsAcceptedAndStoredOnce", false)]
    [InlineData("a_lower_case_start", false)]
    [InlineData("Two__underscores", false)]
    [InlineData("Trailing_", false)]
    [InlineData("Alone", false)]
    public void The_style_is_words_joined_by_single_underscores_starting_with_a_capital(string name, bool sentence) =>
        Assert.Equal(sentence, IsSentence(name));

    [Fact]
    public void The_scan_finds_facts_theories_and_their_skippable_forms_after_other_attributes()
    {
        const string Theory = "Theory"; // spliced in, so this file's own scan does not take the sample for a test
        const string source = $$"""
            [Fact]
            public void First_one() { }
            [Skippable{{Theory}}]
            [InlineData(1)]
            public async Task SecondOne(int x) { }
            [Theory, InlineData("a")] public void Third_one(string s) { }
            public void NotATest() { }
            """;

        Assert.Equal(["First_one", "SecondOne", "Third_one"], TestMethods(source));
    }

    private static bool IsSentence(string name) => Sentence().IsMatch(name);

    private static List<string> TestMethods(string source) => [.. TestMethod().Matches(source).Select(m => m.Groups["name"].Value)];

    private static bool IsBuildOutput(string path) =>
        path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ||
        path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal);

    /// <summary>Words of letters and digits joined by single underscores, at least two words, the first starting with a capital or a digit.</summary>
    [GeneratedRegex(@"^[A-Z0-9][A-Za-z0-9]*(_[A-Za-z0-9]+)+$")]
    private static partial Regex Sentence();

    /// <summary>A method under [Fact], [Theory] or their Skippable forms, possibly after other attributes (InlineData, MemberData …).</summary>
    [GeneratedRegex(@"\[(?:Skippable)?(?:Fact|Theory)\b[^\]]*\]\s*(?:\[[^\]]*\]\s*)*public\s+(?:async\s+)?(?:Task|void)\s+(?<name>\w+)\s*\(")]
    private static partial Regex TestMethod();
}
