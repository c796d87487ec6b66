using OmniTrackIQ.Attribution.Heuristics;
using OmniTrackIQ.Attribution.Markov;
using OmniTrackIQ.Attribution.Paths;
using OmniTrackIQ.Attribution.Shapley;

namespace OmniTrackIQ.Attribution.Cli;

/// <summary>
/// <c>collector attribute-paths --input FILE --model MODEL [--order K]</c>: runs one model over a path
/// file and prints the channel credits as JSON. The collector's Program.cs calls
/// <see cref="Run"/> with the arguments after the verb. Never throws for bad input.
/// </summary>
public static class AttributePathsCommand
{
    public const int ExitOk = 0;

    /// <summary>The file was read but its content is wrong (the message names the line or the path).</summary>
    public const int ExitBadData = 2;

    /// <summary>BSD sysexits EX_USAGE: unknown option, missing --input/--model, unknown model.</summary>
    public const int ExitUsage = 64;

    /// <summary>BSD sysexits EX_NOINPUT: the input file does not exist or cannot be read.</summary>
    public const int ExitNoInput = 66;

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (!CommandLine.TryParse(args, out var command, out var error))
        {
            return UsageError(stderr, error);
        }

        if (command!.Help)
        {
            stdout.Write(CommandLine.Usage);
            return ExitOk;
        }

        if (!IsKnownModel(command.Model))
        {
            return UsageError(stderr, $"unknown model \"{command.Model}\"");
        }

        if (command.Order is not null && command.Model != "markov")
        {
            return UsageError(stderr, "--order applies to --model markov only");
        }

        string content;
        try
        {
            content = File.ReadAllText(command.Input);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            stderr.WriteLine($"attribute-paths: cannot read {command.Input}: {exception.Message}");
            return ExitNoInput;
        }

        var format = PathFileReader.Detect(command.Input, content);
        using var reader = new StringReader(content);
        if (!PathFileReader.TryRead(reader, format, out var paths, out error))
        {
            stderr.WriteLine($"attribute-paths: {command.Input}: {error}");
            return ExitBadData;
        }

        try
        {
            stdout.WriteLine(Attribute(command, paths));
            return ExitOk;
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
            // E.g. more channels than the Markov state key holds, or a chain that would not converge.
            stderr.WriteLine($"attribute-paths: {command.Input}: {exception.Message}");
            return ExitBadData;
        }
    }

    private static string Attribute(CommandLine command, IReadOnlyList<PathCount> paths)
    {
        switch (command.Model)
        {
            case "markov":
                return ResultJsonWriter.Markov(MarkovModel.Compute(paths, command.Order ?? 1));
            case "shapley":
                var shapley = ShapleyOptions.Default;
                shapley = shapley with
                {
                    Permutations = command.Permutations ?? shapley.Permutations,
                    Seed = command.Seed ?? shapley.Seed,
                };
                return ResultJsonWriter.Shapley(ShapleyModel.Compute(paths, shapley));
            default:
                var options = AttributionOptions.Default;
                if (command.HalfLifeDays is { } days)
                {
                    options = options with { HalfLife = TimeSpan.FromDays(days) };
                }

                return ResultJsonWriter.Heuristic(command.Model, PathCountHeuristics.Attribute(ToHeuristic(command.Model), paths, options));
        }
    }

    private static bool IsKnownModel(string model) =>
        model is "first" or "last" or "last_non_direct" or "linear" or "time_decay" or "position" or "w_shaped" or "markov" or "shapley";

    private static HeuristicModel ToHeuristic(string model) => model switch
    {
        "first" => HeuristicModel.FirstTouch,
        "last" => HeuristicModel.LastTouch,
        "last_non_direct" => HeuristicModel.LastNonDirect,
        "linear" => HeuristicModel.Linear,
        "time_decay" => HeuristicModel.TimeDecay,
        "position" => HeuristicModel.PositionBased,
        "w_shaped" => HeuristicModel.WShaped,
        _ => throw new ArgumentOutOfRangeException(nameof(model), model, "Not a heuristic model."),
    };

    private static int UsageError(TextWriter stderr, string error)
    {
        stderr.WriteLine($"attribute-paths: {error}");
        stderr.Write(CommandLine.Usage);
        return ExitUsage;
    }
}
