using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using OmniTrackIQ.Pipeline.Ingest;
using OmniTrackIQ.Pipeline.Workspaces;
using OmniTrackIQ.Pipeline.Spend;
using Microsoft.Extensions.DependencyInjection;
using OmniTrackIQ.Collector.Hosting;
using OmniTrackIQ.Pipeline.Startup;

namespace OmniTrackIQ.Collector.Spend;

/// <summary>
/// <c>collector import-spend --input FILE --workspace ID [--currency CODE] [--data-dir DIR]</c>: parses a spend file (CSV,
/// or JSON when it ends in .json: our rows or a Google Ads / Meta Insights / TikTok answer) and upserts it into the store the collector's settings name (<c>OmniTrack:Store</c>;
/// for DuckDB <c>DIR/omnitrack.duckdb</c>; without --data-dir, OmniTrack:DuckDb:Path or OmniTrack:DataDirectory from
/// appsettings.json / environment, else ./data). DuckDB lets one process write a file, so run it while the
/// collector is stopped, or use <c>POST /v1/spend</c> instead. An invalid file is <see cref="ExitCodes.Refused"/>
/// (nothing imported). Rows in a currency other than the shop's (--currency, else the
/// configured workspace's Currency) are kept but flagged, and counted on the output.
/// </summary>
internal static class ImportSpendCommand
{
    /// <summary>A file is read whole; this bounds memory well above 100,000 rows of any sensible width.</summary>
    private const long MaxFileBytes = 64L * 1024 * 1024;

    public static Command Create()
    {
        var input = CommandOptions.RequiredText("--input", "FILE",
            "The spend file: CSV, or JSON when it ends in .json (our rows, or a Google Ads / Meta Insights / TikTok answer).");
        var workspace = CommandOptions.RequiredText("--workspace", "ID", "The workspace the spend belongs to.");
        var currency = CommandOptions.Text("--currency", "CODE",
            "The shop's currency (default: the configured workspace's Currency); rows in another one are kept but flagged.");
        var dataDirectory = CommandOptions.DataDirectory();
        var command = new Command("import-spend",
            "Upserts a spend file into the store the collector's settings name. Run it while the collector is stopped, or use POST /v1/spend.")
        {
            input, workspace, currency, dataDirectory,
        };
        command.SetAction((result, cancellationToken) => RunAsync(result.GetRequiredValue(input), result.GetRequiredValue(workspace), result.GetValue(currency),
            result.GetValue(dataDirectory), result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string input, string workspace, string? currency, string? dataDirectory,
        TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            if (new FileInfo(input).Length > MaxFileBytes)
            {
                await errors.WriteLineAsync($"import-spend: {input} is over the limit of {MaxFileBytes} bytes; split it");
                return ExitCodes.Refused;
            }

            bytes = await File.ReadAllBytesAsync(input, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await errors.WriteLineAsync($"import-spend: cannot read {input}: {ex.Message}");
            return ExitCodes.Failure;
        }

        var isJson = input.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        IngestError? error = isJson ? SpendJsonParser.TryParse(bytes, out var rows) : SpendCsvParser.TryParse(bytes, out rows);
        if (error is not null)
        {
            await errors.WriteLineAsync($"import-spend: {input}: {error.Field}: {error.Detail} (nothing imported)");
            return ExitCodes.Refused;
        }

        try
        {
            using var store = await StoreServices.OpenForCommandAsync(dataDirectory, cancellationToken);
            var flaggedRows = SpendCurrency.Flag(rows, currency ?? ConfiguredCurrency(workspace), out var flagged);
            var written = await store.GetRequiredService<ISpendStore>().UpsertAsync(workspace, flaggedRows, cancellationToken);
            await output.WriteLineAsync($"imported {written} rows");
            foreach (var other in flagged)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"flagged {other.Rows} rows in {other.Currency} ({other.Spend} {other.Currency}): not the shop's currency, kept but not summed"));
            }
            return ExitCodes.Ok;
        }
        catch (StoreNotReadyException ex)
        {
            await errors.WriteLineAsync($"import-spend: {ex.Message} (nothing imported)");
            return ExitCodes.Failure;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await errors.WriteLineAsync($"import-spend: cannot write to the store (an embedded DuckDB file is held by a running collector): {ex.Message}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>The workspace's Currency from OmniTrack:Workspaces as the server reads its settings.</summary>
    private static string? ConfiguredCurrency(string workspace) =>
        (StoreServices.CommandConfiguration().GetSection("OmniTrack:Workspaces").Get<List<WorkspaceSettings>>() ?? [])
            .FirstOrDefault(w => string.Equals(w.Id, workspace, StringComparison.Ordinal))?.Currency;
}
