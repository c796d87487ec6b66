using System.Globalization;

namespace OmniTrackIQ.Attribution.Cli;

/// <summary>The parsed arguments of attribute-paths.</summary>
internal sealed record CommandLine(string Input, string Model, int? Order, double? HalfLifeDays, int? Permutations, int? Seed, bool Help)
{
    public const string Usage =
        "usage: attribute-paths --input FILE --model MODEL [--order K] [--half-life-days D] [--permutations N] [--seed S]\n" +
        "  FILE   CSV (path,total_conversions,total_conversion_value,total_null; paths \"A > B\") or JSON\n" +
        "         {\"separator\": \">\", \"paths\": [{\"path\": \"A > B\", \"conversions\": 3, \"value\": 1.5, \"nulls\": 7}]}\n" +
        "  MODEL  first | last | last_non_direct | linear | time_decay | position | w_shaped | markov | shapley\n" +
        "  --order K            Markov order 1-4 (default 1; markov only)\n" +
        "  --half-life-days D   time-decay half-life (default 7; time_decay only)\n" +
        "  --permutations N     Shapley samples above 15 channels (default 2000)\n" +
        "  --seed S             Shapley sampler seed\n" +
        "exit codes: 0 ok, 2 bad data in FILE, 64 usage error, 66 FILE cannot be read\n";

    public static bool TryParse(IReadOnlyList<string> args, out CommandLine? command, out string error)
    {
        command = null;
        string? input = null, model = null;
        int? order = null, permutations = null, seed = null;
        double? halfLife = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h")
            {
                command = new CommandLine(string.Empty, string.Empty, null, null, null, null, Help: true);
                error = string.Empty;
                return true;
            }

            string name, value;
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 0)
            {
                name = arg[..equals];
                value = arg[(equals + 1)..];
            }
            else if (i + 1 < args.Count)
            {
                name = arg;
                value = args[++i];
            }
            else
            {
                error = arg.StartsWith("--", StringComparison.Ordinal) ? $"option {arg} needs a value" : $"unexpected argument \"{arg}\"";
                return false;
            }

            var ok = name switch
            {
                "--input" => Set(ref input, value),
                "--model" => Set(ref model, value),
                "--order" => TryInt(value, 1, 4, ref order),
                "--permutations" => TryInt(value, 2, 100_000_000, ref permutations),
                "--seed" => TryInt(value, int.MinValue, int.MaxValue, ref seed),
                "--half-life-days" => TryPositive(value, ref halfLife),
                _ => false,
            };
            if (!ok)
            {
                error = name is "--input" or "--model" or "--order" or "--permutations" or "--seed" or "--half-life-days"
                    ? $"invalid value \"{value}\" for {name}"
                    : $"unknown option \"{name}\"";
                return false;
            }
        }

        if (input is null || model is null)
        {
            error = input is null ? "--input FILE is required" : "--model MODEL is required";
            return false;
        }

        command = new CommandLine(input, model, order, halfLife, permutations, seed, Help: false);
        error = string.Empty;
        return true;
    }

    private static bool Set(ref string? slot, string value)
    {
        slot = value;
        return value.Length > 0;
    }

    private static bool TryInt(string text, int min, int max, ref int? slot)
    {
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            slot = value;
            return true;
        }

        return false;
    }

    private static bool TryPositive(string text, ref double? slot)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value > 0)
        {
            slot = value;
            return true;
        }

        return false;
    }
}
