using System.CommandLine;
using System.CommandLine.Invocation;
using OmniTrackIQ.Collector.Attribution;
using OmniTrackIQ.Collector.Ingest;
using OmniTrackIQ.Collector.Privacy;
using OmniTrackIQ.Collector.Spend;

namespace OmniTrackIQ.Collector.Hosting;

/// <summary>
/// The collector's command line (System.CommandLine). Without a verb, or with <c>demo</c>, it is the server, which
/// Program.cs builds and runs (WebApplicationFactory finds the host there); those two let unknown tokens through, as
/// they are ASP.NET Core configuration (<c>--OmniTrack:Store ClickHouse</c>, <c>--urls …</c>) that Program.cs hands to
/// the host unchanged. The verbs run here. Every command answers <c>--help</c>; every outcome is an
/// <see cref="ExitCodes"/> value.
/// </summary>
internal static class CollectorCommandLine
{
    public const string DemoVerb = "demo";

    public static ParseResult Parse(IReadOnlyList<string> args)
    {
        var role = new Option<string>("--role")
        {
            Description = "What this process runs: all (default), ingest, attribute or api (also OmniTrack:Role).",
            HelpName = "ROLE",
        };
        var demo = new Command(DemoVerb,
            "The server plus a seeded demo-shop workspace; prints the report's URL (--OmniTrack:Demo:Exit true stops after seeding).")
        {
            role,
        };
        demo.TreatUnmatchedTokensAsErrors = false;
        demo.Action = ServeAction.Instance;
        var root = new RootCommand(
            "OmniTrackIQ collector: without a verb it runs the server. Other --Key value pairs are ASP.NET Core settings " +
            "(e.g. --OmniTrack:Store ClickHouse, --urls http://0.0.0.0:8080).")
        {
            role,
        };
        Command[] verbs = [demo, AttributePathsCommand.Create(), BackfillCommand.Create(), DrainSpoolCommand.Create(), EraseCommand.Create(), ImportSpendCommand.Create()];
        // A verb is only ever the first token: further on, a word that spells one is a setting's value
        // (--OmniTrack:Workspaces:0:Id demo). The root's help and version list them too.
        if (args.Count > 0 && (args[0] is "--help" or "-h" or "-?" or "--version" || verbs.Any(verb => verb.Name == args[0])))
        {
            foreach (var verb in verbs) { root.Add(verb); }
        }

        root.TreatUnmatchedTokensAsErrors = false;
        root.Action = ServeAction.Instance;
        // "@file" is not read as a response file: such a token is left to the host's configuration.
        return root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
    }

    /// <summary>True when the command line names the server (no verb, or demo) without errors: Program.cs runs it.</summary>
    public static bool RunsServer(ParseResult result) => result.Action is ServeAction;

    public static bool IsDemo(ParseResult result) => result.CommandResult.Command.Name == DemoVerb;

    public static Task<int> InvokeAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error) =>
        InvokeAsync(Parse(args), output, error);

    /// <summary>Runs a verb or --help; a command line with errors prints them and the command's help to <paramref name="error"/>.</summary>
    public static async Task<int> InvokeAsync(ParseResult result, TextWriter output, TextWriter error)
    {
        var command = result.CommandResult.Command;
        var errors = result.Errors.Select(e => e.Message).ToList();
        // The root lets unknown tokens through for the host, and System.CommandLine then lets them through for the
        // verbs too; a verb has no such settings, so they are errors there.
        if (command != result.RootCommandResult.Command && command.Name != DemoVerb)
        {
            errors.AddRange(result.UnmatchedTokens.Select(token => $"Unrecognized command or argument '{token}'."));
        }

        if (errors.Count > 0)
        {
            foreach (var message in errors) { await error.WriteLineAsync($"{command.Name}: {message}"); }
            await error.WriteLineAsync();
            string[] help = command == result.RootCommandResult.Command ? ["--help"] : [command.Name, "--help"];
            await result.RootCommandResult.Command.Parse(help).InvokeAsync(new InvocationConfiguration { Output = error });
            return ExitCodes.Usage;
        }

        return await result.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }

    /// <summary>Marks the server commands; Program.cs runs the host when <see cref="RunsServer"/> is true, so this never runs.</summary>
    private sealed class ServeAction : SynchronousCommandLineAction
    {
        public static readonly ServeAction Instance = new();

        public override int Invoke(ParseResult parseResult) =>
            throw new InvalidOperationException("The server is run by Program.cs, not invoked through the command line.");
    }
}
