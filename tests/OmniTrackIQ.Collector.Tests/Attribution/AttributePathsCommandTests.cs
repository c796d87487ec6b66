using System.Text.Json;
using OmniTrackIQ.Collector.Hosting;

namespace OmniTrackIQ.Collector.Tests.Attribution;

/// <summary>The attribute-paths verb through the collector's command line (<see cref="CollectorCommandLine"/>) with StringWriters.</summary>
public sealed class AttributePathsCommandTests : IDisposable
{
    private const string Csv =
        "path,total_conversions,total_conversion_value,total_null\n" +
        "A > B,3,30,1\n" +
        "\"B > C, Inc\",1,5.5,0\n" +
        "A,2,20,2\n";

    private const string Json =
        """{"separator": ">", "paths": [{"path": "A > B", "conversions": 3, "value": 30, "nulls": 1}, {"path": "B > C, Inc", "conversions": 1, "value": 5.5}, {"path": "A", "conversions": 2, "value": 20, "nulls": 2}]}""";

    private readonly string _directory = Directory.CreateTempSubdirectory("otq-attribution-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<string, string, double, double, double> HeuristicExpectations => new()
    {
        // model, channel, conversions, value; from the three paths above.
        { "first", "A", 5, 50, 0 },
        { "first", "B", 1, 5.5, 0 },
        { "last", "B", 3, 30, 0 },
        { "last", "A", 2, 20, 0 },
        { "last", "C, Inc", 1, 5.5, 0 },
        { "linear", "A", 3.5, 35, 0 },
        { "linear", "B", 2, 17.75, 0 },
        { "linear", "C, Inc", 0.5, 2.75, 0 },
        { "position", "A", 3.5, 35, 0 },
        { "w_shaped", "B", 2, 17.75, 0 },
        { "last_non_direct", "B", 3, 30, 0 },
        { "time_decay", "A", 2 + (3 / (1 + Math.Pow(2, 1.0 / 7))), 20 + (30 / (1 + Math.Pow(2, 1.0 / 7))), 1e-12 },
    };

    [Theory]
    [MemberData(nameof(HeuristicExpectations))]
    public async Task Heuristic_models_read_CSV_and_JSON_alike(string model, string channel, double conversions, double value, double tolerance)
    {
        foreach (var file in new[] { Write("paths.csv", Csv), Write("paths.json", Json) })
        {
            var (code, stdout, stderr) = await RunAsync("--input", file, "--model", model);

            Assert.True(code == 0, stderr);
            using var output = JsonDocument.Parse(stdout);
            Assert.Equal(model, output.RootElement.GetProperty("model").GetString());
            var credit = output.RootElement.GetProperty("channels").GetProperty(channel);
            Assert.Equal(conversions, credit.GetProperty("conversions").GetDouble(), Math.Max(tolerance, 1e-12));
            Assert.Equal(value, credit.GetProperty("value").GetDouble(), Math.Max(tolerance, 1e-12));
        }
    }

    [Fact]
    public async Task Channels_are_sorted_by_name_and_numbers_round_trip()
    {
        var (code, stdout, _) = await RunAsync("--input", Write("p.csv", Csv), "--model", "linear");

        Assert.Equal(0, code);
        using var output = JsonDocument.Parse(stdout);
        var names = output.RootElement.GetProperty("channels").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(["A", "B", "C, Inc"], names);
        // 1/3 printed with full precision: parsing it back gives the same double.
        var (_, thirds, _) = await RunAsync("--input", Write("t.csv", "path,total_conversions\na > b > c,1\n"), "--model", "linear");
        using var third = JsonDocument.Parse(thirds);
        Assert.Equal(1.0 / 3, third.RootElement.GetProperty("channels").GetProperty("a").GetProperty("conversions").GetDouble());
        Assert.Contains("0.3333333333333333", thirds, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Last_non_direct_recognises_direct_by_name()
    {
        var file = Write("d.csv", "path,total_conversions\nA > (Direct),2\nB > direct,1\ndirect,4\n");

        var (code, stdout, _) = await RunAsync("--input", file, "--model", "last_non_direct");

        Assert.Equal(0, code);
        using var output = JsonDocument.Parse(stdout);
        var channels = output.RootElement.GetProperty("channels");
        Assert.Equal(2, channels.GetProperty("A").GetProperty("conversions").GetDouble());
        Assert.Equal(1, channels.GetProperty("B").GetProperty("conversions").GetDouble());
        Assert.Equal(4, channels.GetProperty("direct").GetProperty("conversions").GetDouble());
        Assert.Equal(0, channels.GetProperty("(Direct)").GetProperty("conversions").GetDouble());
    }

    [Fact]
    public async Task Markov_prints_removal_effects()
    {
        var file = Write("m.json", """{"paths": [{"path": "a > b", "conversions": 3, "nulls": 1}, {"path": "a > c", "conversions": 1, "nulls": 1}]}""");

        var (code, stdout, stderr) = await RunAsync("--input", file, "--model", "markov", "--order", "1");

        Assert.True(code == 0, stderr);
        using var output = JsonDocument.Parse(stdout);
        var effects = output.RootElement.GetProperty("removal_effects");
        Assert.Equal(1, effects.GetProperty("a").GetDouble(), 1e-12);
        Assert.Equal(0.75, effects.GetProperty("b").GetDouble(), 1e-12);
        Assert.Equal(0.25, effects.GetProperty("c").GetDouble(), 1e-12);
        Assert.Equal(2, output.RootElement.GetProperty("channels").GetProperty("a").GetProperty("conversions").GetDouble(), 1e-12);
        Assert.Equal(1, output.RootElement.GetProperty("order").GetInt32());
    }

    [Fact]
    public async Task Markov_higher_order_is_accepted()
    {
        var (code, stdout, _) = await RunAsync("--input", Write("p.csv", Csv), "--model", "markov", "--order=3");

        Assert.Equal(0, code);
        using var output = JsonDocument.Parse(stdout);
        Assert.Equal(3, output.RootElement.GetProperty("order").GetInt32());
        Assert.Equal(6, output.RootElement.GetProperty("channels").EnumerateObject().Sum(c => c.Value.GetProperty("conversions").GetDouble()), 1e-9);
    }

    [Fact]
    public async Task Shapley_prints_exact_values()
    {
        var (code, stdout, _) = await RunAsync("--input", Write("p.csv", Csv), "--model", "shapley");

        Assert.Equal(0, code);
        using var output = JsonDocument.Parse(stdout);
        Assert.True(output.RootElement.GetProperty("exact").GetBoolean());
        var channels = output.RootElement.GetProperty("channels");
        Assert.Equal(3.5, channels.GetProperty("A").GetProperty("conversions").GetDouble(), 1e-12);
        Assert.Equal(2, channels.GetProperty("B").GetProperty("conversions").GetDouble(), 1e-12);
        Assert.Equal(0.5, channels.GetProperty("C, Inc").GetProperty("conversions").GetDouble(), 1e-12);
    }

    [Fact]
    public async Task Format_is_detected_from_content_without_a_known_extension()
    {
        var (code, stdout, _) = await RunAsync("--input", Write("paths.txt", "  \n" + Json), "--model", "first");

        Assert.Equal(0, code);
        Assert.Contains("\"A\"", stdout, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> BadFiles => new()
    {
        { "bad.csv", "path,total_conversions,total_conversion_value,total_null\nA,1,2,0\nB,-3,1,0\n", "line 3: total_conversions -3 is negative" },
        { "bad.csv", "path,total_conversions\nA,1\n\nB,NaN\n", "line 4: total_conversions \"NaN\" is not a number" },
        { "bad.csv", "path,total_conversions\nA,1\n,2\n", "line 3: the path is empty" },
        { "bad.csv", "path,total_conversions\nA > > B,1\n", "line 2: channel 2 of path \"A > > B\" is empty" },
        { "bad.csv", "path,total_null\nA,1\n", "line 1: the header must name the columns \"path\" and \"total_conversions\"" },
        { "bad.csv", "path,total_conversions\nA,1,7\n", "line 2: expected 2 fields as in the header, found 3" },
        { "bad.csv", "path,total_conversions\n\"A > B,1\n", "line 2: a quoted field is not closed" },
        { "bad.csv", "", "the file is empty" },
        { "bad.csv", "path,total_conversions,total_null\nA,1,abc\n", "line 2: total_null \"abc\" is not a number" },
        { "bad.json", """{"paths": [{"path": "A", "conversions": 1}, {"path": "B > C", "conversions": -1}]}""", "paths[1] (\"B > C\"): \"conversions\" is negative (-1)" },
        { "bad.json", """{"paths": [{"path": "A", "nulls": 1}]}""", "paths[0] (\"A\"): \"conversions\" is missing" },
        { "bad.json", """{"paths": [{"path": "", "conversions": 1}]}""", "paths[0] (\"\"): the path is empty" },
        { "bad.json", """{"paths": [{"path": "A", "conversions": "3"}]}""", "paths[0] (\"A\"): \"conversions\" must be a finite number (found \"3\")" },
        { "bad.json", """{"paths": [{"path": "A", "conversions": 1e400}]}""", "paths[0] (\"A\"): \"conversions\" must be a finite number (found 1e400)" },
        { "bad.json", "{\"paths\": [\n{\"path\": \"A\", \"conversions\": 1},\n{\"path\": \"B\" \"conversions\": 2}]}", "line 3: invalid JSON" },
        { "bad.json", """{"rows": []}""", "the JSON root must be an object with a \"paths\" array" },
        { "bad.json", """{"separator": 5, "paths": []}""", "\"separator\" must be a non-blank string" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task Bad_files_are_refused_with_the_line_or_path(string name, string content, string message)
    {
        var file = Write(name, content);

        var (code, stdout, stderr) = await RunAsync("--input", file, "--model", "linear");

        Assert.Equal(ExitCodes.Refused, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--model", "linear" }, "attribute-paths: Option '--input' is required.")]
    [InlineData(new[] { "--input", "x.csv" }, "attribute-paths: Option '--model' is required.")]
    [InlineData(new[] { "--input", "x.csv", "--model", "magic" }, "attribute-paths: unknown model \"magic\"")]
    [InlineData(new[] { "--input", "x.csv", "--model", "markov", "--order", "5" }, "attribute-paths: invalid value \"5\" for --order: expected an integer from 1 to 4")]
    [InlineData(new[] { "--input", "x.csv", "--model", "linear", "--order", "2" }, "attribute-paths: --order applies to --model markov only")]
    [InlineData(new[] { "--input", "x.csv", "--model", "linear", "--frobnicate", "1" }, "attribute-paths: Unrecognized command or argument '--frobnicate'.")]
    [InlineData(new[] { "--input" }, "attribute-paths: Required argument missing for option: '--input'.")]
    [InlineData(new[] { "--input", "x.csv", "--model", "time_decay", "--half-life-days", "-1" }, "attribute-paths: invalid value \"-1\" for --half-life-days: expected a number above 0")]
    public async Task UsageErrorsExitWith2AndPrintTheHelp(string[] args, string message)
    {
        var (code, stdout, stderr) = await RunAsync(args);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains(message + "\n", stderr.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("attribute-paths [options]", stderr, StringComparison.Ordinal);
        Assert.Contains("--model <MODEL> (REQUIRED)", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_file_is_a_failure()
    {
        var (code, _, stderr) = await RunAsync("--input", Path.Combine(_directory, "nope.csv"), "--model", "linear");

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("cannot read", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Case_08_as_CSV_gives_the_exact_Markov_limit_through_the_command()
    {
        var root = LoadCase("case08_channelattribution_pathdata_expected.json");
        var csv = new System.Text.StringBuilder("path,total_conversions,total_conversion_value,total_null\n");
        foreach (var row in LoadCase("case08_input_channelattribution_pathdata.json").GetProperty("rows").EnumerateArray())
        {
            var cells = row.EnumerateArray().ToArray();
            csv.Append('"').Append(cells[0].GetString()).Append("\",")
                .Append(cells[1].GetDouble().ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append(',')
                .Append(cells[2].GetDouble().ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append(',')
                .Append(cells[3].GetDouble().ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        }

        var (code, stdout, stderr) = await RunAsync("--input", Write("case08.csv", csv.ToString()), "--model", "markov");

        Assert.True(code == 0, stderr);
        using var output = JsonDocument.Parse(stdout);
        var expected = root.GetProperty("expected").GetProperty("markov_exact");
        var tolerance = root.GetProperty("tolerance").GetProperty("markov_exact_abs").GetDouble();
        foreach (var channel in expected.GetProperty("total_conversions").EnumerateObject())
        {
            var credit = output.RootElement.GetProperty("channels").GetProperty(channel.Name);
            Assert.Equal(channel.Value.GetDouble(), credit.GetProperty("conversions").GetDouble(), tolerance);
            Assert.Equal(expected.GetProperty("total_conversion_value").GetProperty(channel.Name).GetDouble(), credit.GetProperty("value").GetDouble(), tolerance);
            Assert.Equal(expected.GetProperty("removal_effects").GetProperty(channel.Name).GetDouble(),
                output.RootElement.GetProperty("removal_effects").GetProperty(channel.Name).GetDouble(), tolerance);
        }
    }

    [Fact]
    public async Task Help_prints_usage_and_succeeds()
    {
        var (code, stdout, stderr) = await RunAsync("--help");

        Assert.Equal((0, string.Empty), (code, stderr));
        Assert.Contains("attribute-paths [options]", stdout, StringComparison.Ordinal);
        Assert.Contains("first | last | last_non_direct | linear | time_decay | position | w_shaped | markov | shapley", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Half_life_option_changes_time_decay()
    {
        var file = Write("t.csv", "path,total_conversions\na > b,1\n");

        var (_, stdout, _) = await RunAsync("--input", file, "--model", "time_decay", "--half-life-days", "1");

        using var output = JsonDocument.Parse(stdout);
        Assert.Equal(1.0 / 3, output.RootElement.GetProperty("channels").GetProperty("a").GetProperty("conversions").GetDouble(), 1e-12);
    }

    private static JsonElement LoadCase(string fileName)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "attribution-cases", fileName)));
        return document.RootElement.Clone();
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CollectorCommandLine.InvokeAsync(["attribute-paths", .. args], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
