using System.Globalization;
using DuckDB.NET.Data;
using OmniTrackIQ.Collector.Hosting;

namespace OmniTrackIQ.Collector.Tests.Spend;

/// <summary><c>import-spend</c> against a temporary data directory, read back from its DuckDB file.</summary>
public sealed class ImportSpendCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "otq-import-" + Guid.NewGuid().ToString("N"));

    public ImportSpendCommandTests() => Directory.CreateDirectory(_dir);

    [Fact]
    public async Task A_csv_file_is_imported_and_importing_it_again_changes_nothing()
    {
        var file = Write("spend.csv", "date,platform,campaign,spend,currency,impressions,clicks\n2026-11-01,google,brand,12.5,EUR,1000,50\n2026-11-01,tiktok,launch,7,EUR,,\n");

        for (var attempt = 0; attempt < 2; attempt++)
        {
            var (code, output, errors) = await RunAsync("--input", file, "--workspace", "shop", "--data-dir", _dir);
            Assert.Equal((0, "imported 2 rows", ""), (code, output.Trim(), errors));
        }

        Assert.Equal(["shop|2026-11-01|google|Paid Search|brand|12.5000|EUR|1000|50", "shop|2026-11-01|tiktok|Paid Social|launch|7.0000|EUR||"], ReadBack());
    }

    [Fact]
    public async Task A_json_file_is_parsed_as_json()
    {
        var file = Write("spend.json", """{"rows":[{"date":"2026-11-02","platform":"youtube","campaign":"pre-roll","spend":3.25,"currency":"usd"}]}""");

        var (code, output, _) = await RunAsync("--workspace", "shop", "--input", file, "--data-dir", _dir);

        Assert.Equal((0, "imported 1 rows"), (code, output.Trim()));
        Assert.Equal(["shop|2026-11-02|youtube|Paid Video|pre-roll|3.2500|USD||"], ReadBack());
    }

    [Fact]
    public async Task A_bad_file_prints_its_line_and_field_and_imports_nothing()
    {
        var file = Write("spend.csv", "date,platform,campaign,spend,currency\n2026-11-01,google,brand,1,EUR\n2026-11-01,google,generic,abc,EUR\n");

        var (code, output, errors) = await RunAsync("--input", file, "--workspace", "shop", "--data-dir", _dir);

        Assert.Equal(ExitCodes.Refused, code);
        Assert.Equal("", output);
        Assert.Contains("line 3: spend: must be a decimal number", errors, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "omnitrack.duckdb")));
    }

    [Fact]
    public async Task A_meta_insights_page_is_imported_at_ad_level_and_other_currencies_are_flagged()
    {
        var file = Write("insights.json", """
            {"data":[
              {"campaign_id":"238","campaign_name":"Retargeting","adset_id":"239","adset_name":"Cart 7d","ad_id":"240","ad_name":"Carousel",
               "spend":"18.42","impressions":"2210","clicks":"57","account_currency":"EUR","date_start":"2026-11-01","date_stop":"2026-11-01"},
              {"campaign_id":"338","campaign_name":"US launch","spend":"9","account_currency":"USD","date_start":"2026-11-01","date_stop":"2026-11-01"}],
             "paging":{"cursors":{"before":"MAZDZD","after":"MQZDZD"}}}
            """);

        var (code, output, errors) = await RunAsync("--input", file, "--workspace", "shop", "--currency", "eur", "--data-dir", _dir);

        Assert.Equal((0, "imported 2 rows\nflagged 1 rows in USD (9 USD): not the shop's currency, kept but not summed", ""),
            (code, output.Trim().ReplaceLineEndings("\n"), errors));
        Assert.Equal(["shop|2026-11-01|meta|Paid Social|Retargeting|18.4200|EUR|2210|57", "shop|2026-11-01|meta|Paid Social|US launch|9.0000|USD||"], ReadBack());
        Assert.Equal(["Retargeting|238|239|Cart 7d|240|Carousel|false", "US launch|338|||||true"], ReadLevels());
    }

    [Theory]
    [InlineData("import-spend: Option '--workspace' is required.", "--input", "x.csv")]
    [InlineData("import-spend: Option '--input' is required.", "--workspace", "shop")]
    [InlineData("import-spend: --workspace must not be blank", "--input", "x.csv", "--workspace", " ")]
    [InlineData("import-spend: Unrecognized command or argument '--verbose'.", "--input", "x.csv", "--workspace", "shop", "--verbose")]
    public async Task Missing_or_unknown_arguments_print_the_error_and_the_help_and_exit_2(string message, params string[] args)
    {
        var (code, output, errors) = await RunAsync(args);

        Assert.Equal((ExitCodes.Usage, ""), (code, output));
        Assert.StartsWith(message + "\n", errors.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("--input <FILE> (REQUIRED)", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_data_dir_the_path_is_the_collectors_default()
    {
        Assert.Equal(Path.Combine(Path.GetFullPath("data"), "omnitrack.duckdb"), DuckDbPath(null));
        Assert.Equal(Path.Combine(_dir, "omnitrack.duckdb"), DuckDbPath(_dir));
    }

    private static string DuckDbPath(string? dataDirectory)
    {
        using var store = StoreServices.ForCommand(dataDirectory);
        return Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<OmniTrackIQ.Store.DuckDb.DuckDbStoreOptions>(store).Path;
    }

    private static async Task<(int Code, string Output, string Errors)> RunAsync(params string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var errors = new StringWriter(CultureInfo.InvariantCulture);
        var code = await CollectorCommandLine.InvokeAsync(["import-spend", .. args], output, errors);
        return (code, output.ToString(), errors.ToString());
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private List<string> ReadBack()
    {
        using var connection = new DuckDBConnection($"Data Source={Path.Combine(_dir, "omnitrack.duckdb")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT concat_ws('|', workspace, strftime(date, '%Y-%m-%d'), platform, channel, campaign, CAST(spend AS VARCHAR),
                   currency, coalesce(CAST(impressions AS VARCHAR), ''), coalesce(CAST(clicks AS VARCHAR), ''))
            FROM ad_spend ORDER BY platform
            """;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) { rows.Add(reader.GetString(0)); }
        return rows;
    }

    private List<string> ReadLevels()
    {
        using var connection = new DuckDBConnection($"Data Source={Path.Combine(_dir, "omnitrack.duckdb")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT concat_ws('|', campaign, campaign_id, ad_group_id, ad_group, ad_id, ad, CAST(currency_flagged AS VARCHAR)) FROM ad_spend ORDER BY campaign";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) { rows.Add(reader.GetString(0)); }
        return rows;
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
