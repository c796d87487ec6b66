using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace OmniTrackIQ.Collector.Hosting;

/// <summary>Options the verbs share, and typed options whose refusals name the option and the value given.</summary>
internal static class CommandOptions
{
    /// <summary>A required option whose value must not be blank.</summary>
    public static Option<string> RequiredText(string name, string helpName, string description)
    {
        var option = new Option<string>(name) { Description = description, HelpName = helpName, Required = true };
        option.Validators.Add(result =>
        {
            if (string.IsNullOrWhiteSpace(result.GetValueOrDefault<string>())) { result.AddError($"{name} must not be blank"); }
        });
        return option;
    }

    public static Option<string> Text(string name, string helpName, string description) =>
        new(name) { Description = description, HelpName = helpName };

    /// <summary><c>--data-dir DIR</c>: the DuckDB file's folder, over OmniTrack:DuckDb:Path / OmniTrack:DataDirectory.</summary>
    public static Option<string> DataDirectory() => Text("--data-dir", "DIR",
        "The folder of the embedded DuckDB file (default: OmniTrack:DuckDb:Path or OmniTrack:DataDirectory from appsettings.json / environment, else ./data).");

    /// <summary>An integer in [min, max] (invariant culture).</summary>
    public static Option<int?> Int(string name, string helpName, string description, int min, int max) =>
        Parsed<int>(name, helpName, description, $"an integer from {min} to {max}",
            text => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max ? value : null);

    /// <summary>A finite number above 0.</summary>
    public static Option<double?> Positive(string name, string helpName, string description) =>
        Parsed<double>(name, helpName, description, "a number above 0",
            text => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value > 0 ? value : null);

    /// <summary>An instant or a date (UTC unless the text names an offset).</summary>
    public static Option<DateTime?> Date(string name, string description) =>
        Parsed<DateTime>(name, "DATE", description, "a date such as 2026-11-01 or 2026-11-01T12:00:00Z",
            text => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value.UtcDateTime : null);

    /// <summary>
    /// Adds a check across options; its errors are usage errors like the parser's. System.CommandLine runs it even when
    /// an option's value was refused, and reading that value then throws InvalidOperationException: the check is
    /// skipped, as the refusal is already reported.
    /// </summary>
    public static void Validate(Command command, Action<CommandResult> validate) =>
        command.Validators.Add(result =>
        {
            try
            {
                validate(result);
            }
            catch (InvalidOperationException)
            {
            }
        });

    /// <summary>An option read by <paramref name="parse"/> (null: refused, with an error that names the option and the value).</summary>
    private static Option<T?> Parsed<T>(string name, string helpName, string description, string expected, Func<string, T?> parse)
        where T : struct => new(name)
        {
            Description = description,
            HelpName = helpName,
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
                var value = parse(text);
                if (value is null) { result.AddError($"invalid value \"{text}\" for {name}: expected {expected}"); }
                return value;
            },
        };
}
