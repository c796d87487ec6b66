using System.Globalization;
using OmniTrackIQ.Collector.Hosting;

namespace OmniTrackIQ.Collector.Tests.Hosting;

/// <summary>
/// The collector's command line: host settings reach the server untouched, every verb answers --help, and a wrong
/// command line is a usage error (exit 2) that prints the error and the command's help.
/// </summary>
public sealed class CollectorCommandLineTests
{
    [Theory]
    [InlineData]
    [InlineData("--OmniTrack:Store", "ClickHouse", "--role", "api", "--urls", "http://127.0.0.1:0")]
    [InlineData("--contentRoot=/srv", "--environment=Development", "--OmniTrack:Clock:StartAt", "2026-11-23T12:00:00Z")]
    [InlineData("--role=ingest", "@settings.rsp")]
    [InlineData("--OmniTrack:Workspaces:0:Id", "demo", "--OmniTrack:Workspaces:1:Id", "erase")]
    [InlineData("--role", "api", "backfill", "--workspace")]
    public void Without_a_verb_every_token_is_left_to_the_server(params string[] args)
    {
        var command = CollectorCommandLine.Parse(args);

        Assert.True(CollectorCommandLine.RunsServer(command));
        Assert.False(CollectorCommandLine.IsDemo(command));
        Assert.Empty(command.Errors);
    }

    [Fact]
    public void Demo_is_the_server_with_its_settings()
    {
        var command = CollectorCommandLine.Parse(["demo", "--OmniTrack:Demo:Exit", "true", "--role", "api"]);

        Assert.Equal((true, true), (CollectorCommandLine.RunsServer(command), CollectorCommandLine.IsDemo(command)));
        Assert.Empty(command.Errors);
    }

    [Theory]
    [InlineData("attribute-paths", "--model <MODEL> (REQUIRED)")]
    [InlineData("backfill", "--markov-order <K>")]
    [InlineData("drain-spool", "--spool <DIR> (REQUIRED)")]
    [InlineData("erase", "--all-workspace-data")]
    [InlineData("import-spend", "--input <FILE> (REQUIRED)")]
    [InlineData("demo", "--role <ROLE>")]
    public async Task Every_verb_answers_help_with_its_options(string verb, string option)
    {
        var (code, output, errors) = await RunAsync(verb, "--help");

        Assert.Equal((ExitCodes.Ok, ""), (code, errors));
        Assert.Contains($"{verb} [options]", output, StringComparison.Ordinal);
        Assert.Contains(option, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_root_help_lists_the_verbs()
    {
        var (code, output, _) = await RunAsync("--help");

        Assert.Equal(ExitCodes.Ok, code);
        foreach (var verb in new[] { "attribute-paths", "backfill", "demo", "drain-spool", "erase", "import-spend" })
        {
            Assert.Contains("  " + verb, output, StringComparison.Ordinal);
        }

        Assert.Contains("--OmniTrack:Store ClickHouse", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_role_without_a_value_is_a_usage_error()
    {
        var command = CollectorCommandLine.Parse(["--role"]);
        Assert.False(CollectorCommandLine.RunsServer(command));

        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var errors = new StringWriter(CultureInfo.InvariantCulture);
        Assert.Equal(ExitCodes.Usage, await CollectorCommandLine.InvokeAsync(command, output, errors));
        Assert.Contains("Required argument missing for option: '--role'.", errors.ToString(), StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Errors)> RunAsync(params string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var errors = new StringWriter(CultureInfo.InvariantCulture);
        var code = await CollectorCommandLine.InvokeAsync(args, output, errors);
        return (code, output.ToString(), errors.ToString());
    }
}
