using System.CommandLine;
using OmniTrackIQ.Attribution.Heuristics;
using OmniTrackIQ.Attribution.Markov;
using OmniTrackIQ.Attribution.Paths;
using OmniTrackIQ.Attribution.Shapley;
using OmniTrackIQ.Collector.Hosting;

namespace OmniTrackIQ.Collector.Attribution;

/// <summary>
/// <c>collector attribute-paths --input FILE --model MODEL [--order K] [--half-life-days D] [--permutations N] [--seed S]</c>:
/// runs one model of the attribution library over a path file (<see cref="PathFileReader"/>) and prints the channel
/// credits as JSON. Content the reader or a model refuses is <see cref="ExitCodes.Refused"/>, with the line or the path.
/// </summary>
internal static class AttributePathsCommand
{
    private static readonly string[] s_models = ["first", "last", "last_non_direct", "linear", "time_decay", "position", "w_shaped", "markov", "shapley"];

    public static Command Create()
    {
        var input = CommandOptions.RequiredText("--input", "FILE",
            "CSV (path,total_conversions[,total_conversion_value,total_null]; paths \"A > B\") or JSON " +
            "({\"separator\": \">\", \"paths\": [{\"path\": \"A > B\", \"conversions\": 3, \"value\": 1.5, \"nulls\": 7}]}), by extension, else by the first character.");
        var model = CommandOptions.RequiredText("--model", "MODEL", string.Join(" | ", s_models));
        model.Validators.Add(result =>
        {
            var name = result.GetValueOrDefault<string>();
            if (!string.IsNullOrWhiteSpace(name) && !s_models.Contains(name)) { result.AddError($"unknown model \"{name}\""); }
        });
        var order = CommandOptions.Int("--order", "K", "Markov order (default 1; markov only).", 1, 4);
        var halfLife = CommandOptions.Positive("--half-life-days", "D", "Time-decay half-life in days (default 7; time_decay only).");
        var permutations = CommandOptions.Int("--permutations", "N", "Shapley samples above 15 channels (default 2000).", 2, 100_000_000);
        var seed = CommandOptions.Int("--seed", "S", "Shapley sampler seed.", int.MinValue, int.MaxValue);
        var command = new Command("attribute-paths", "Runs one attribution model over a path file and prints the channel credits as JSON.")
        {
            input, model, order, halfLife, permutations, seed,
        };
        CommandOptions.Validate(command, result =>
        {
            if (result.GetValue(order) is not null && result.GetValue(model) != "markov") { result.AddError("--order applies to --model markov only"); }
        });
        command.SetAction(result =>
        {
            var request = new PathsRequest(result.GetRequiredValue(model), result.GetValue(order), result.GetValue(halfLife), result.GetValue(permutations), result.GetValue(seed));
            return Run(result.GetRequiredValue(input), request, result.InvocationConfiguration.Output, result.InvocationConfiguration.Error);
        });
        return command;
    }

    private static int Run(string input, PathsRequest request, TextWriter stdout, TextWriter stderr)
    {
        string content;
        try
        {
            content = File.ReadAllText(input);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            stderr.WriteLine($"attribute-paths: cannot read {input}: {exception.Message}");
            return ExitCodes.Failure;
        }

        var format = PathFileReader.Detect(input, content);
        if (!PathFileReader.TryRead(content, format, out var paths, out var error))
        {
            stderr.WriteLine($"attribute-paths: {input}: {error}");
            return ExitCodes.Refused;
        }

        try
        {
            stdout.WriteLine(Attribute(request, paths));
            return ExitCodes.Ok;
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
            // E.g. more channels than the Markov state key holds, or a chain that would not converge.
            stderr.WriteLine($"attribute-paths: {input}: {exception.Message}");
            return ExitCodes.Refused;
        }
    }

    private static string Attribute(PathsRequest request, IReadOnlyList<PathCount> paths)
    {
        switch (request.Model)
        {
            case "markov":
                return ResultJsonWriter.Markov(MarkovModel.Compute(paths, request.Order ?? 1));
            case "shapley":
                var shapley = ShapleyOptions.Default;
                shapley = shapley with
                {
                    Permutations = request.Permutations ?? shapley.Permutations,
                    Seed = request.Seed ?? shapley.Seed,
                };
                return ResultJsonWriter.Shapley(ShapleyModel.Compute(paths, shapley));
            default:
                var options = AttributionOptions.Default;
                if (request.HalfLifeDays is { } days)
                {
                    options = options with { HalfLife = TimeSpan.FromDays(days) };
                }

                return ResultJsonWriter.Heuristic(request.Model, PathCountHeuristics.Attribute(ToHeuristic(request.Model), paths, options));
        }
    }

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

    private sealed record PathsRequest(string Model, int? Order, double? HalfLifeDays, int? Permutations, int? Seed);
}
