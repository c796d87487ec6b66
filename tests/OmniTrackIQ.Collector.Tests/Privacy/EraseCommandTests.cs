using System.Globalization;
using DuckDB.NET.Data;
using OmniTrackIQ.Collector.Hosting;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Privacy;
using OmniTrackIQ.Store.DuckDb;

namespace OmniTrackIQ.Collector.Tests.Privacy;

/// <summary>Issue 20: <c>collector erase</c> against a temporary data directory's DuckDB file, read back after.</summary>
public sealed class EraseCommandTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "otq-erase-" + Guid.NewGuid().ToString("N"));

    public EraseCommandTests() => Directory.CreateDirectory(_dir);

    [Fact]
    public async Task Erase_by_email_removes_the_person_and_their_linked_device_and_export_writes_their_rows_first()
    {
        await SeedAsync();
        var export = Path.Combine(_dir, "jane.json");

        var (exportCode, exportOutput, _) = await RunAsync("--workspace", "shop", "--email", " Jane@Example.com ", "--export", export, "--data-dir", _dir);
        Assert.Equal((0, $"exported to {export}"), (exportCode, exportOutput.Trim()));
        var exported = await File.ReadAllTextAsync(export);
        Assert.Contains("jane-device", exported, StringComparison.Ordinal);
        Assert.DoesNotContain("bob-device", exported, StringComparison.Ordinal);
        Assert.Equal(3, Count("jane-device"));

        var (code, output, errors) = await RunAsync("--workspace", "shop", "--email", "jane@example.com", "--data-dir", _dir);

        Assert.Equal((0, ""), (code, errors));
        Assert.Equal("erased a person of 3 identifiers: 3 events deleted, 0 order rows made anonymous, 0 identity links deleted", output.Trim());
        Assert.Equal((0, 1), (Count("jane-device"), Count("bob-device")));
    }

    [Fact]
    public async Task The_whole_workspace_goes_with_all_workspace_data()
    {
        await SeedAsync();

        var (code, output, _) = await RunAsync("--workspace", "shop", "--all-workspace-data", "--data-dir", _dir);

        Assert.Equal((0, "erased workspace shop: 4 events, 0 identity links"), (code, output.Trim()));
        Assert.Equal((0, 0), (Count("jane-device"), Count("bob-device")));
    }

    [Theory]
    [InlineData("erase: name the person (--email, --email-sha256, --phone, --user-id, --anonymous-id or --order-id) or give --all-workspace-data, not both", "--workspace", "shop")]
    [InlineData("erase: Option '--workspace' is required.", "--email", "a@b.c")]
    [InlineData("erase: name the person (--email, --email-sha256, --phone, --user-id, --anonymous-id or --order-id) or give --all-workspace-data, not both", "--workspace", "shop", "--email", "a@b.c", "--all-workspace-data")]
    [InlineData("erase: --export writes one person's rows; it does not go with --all-workspace-data", "--workspace", "shop", "--all-workspace-data", "--export", "x.json")]
    [InlineData("erase: Unrecognized command or argument '--verbose'.", "--workspace", "shop", "--email", "a@b.c", "--verbose")]
    public async Task Missing_conflicting_or_unknown_arguments_print_the_error_and_the_help_and_exit_2(string message, params string[] args)
    {
        var (code, output, errors) = await RunAsync([.. args, "--data-dir", _dir]);

        Assert.Equal((ExitCodes.Usage, ""), (code, output));
        Assert.StartsWith(message + "\n", errors.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("--workspace <ID> (REQUIRED)", errors, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "omnitrack.duckdb")));
    }

    /// <summary>Jane: a page and an identify with her e-mail on one device, then a page; Bob: one page.</summary>
    private async Task SeedAsync()
    {
        using var database = new DuckDbDatabase(Path.Combine(_dir, "omnitrack.duckdb"));
        var store = new DuckDbEventStore(database);
        var n = 0;
        TrackedEvent Event(EventType type, string anonymousId, string? email = null) => new()
        {
            Workspace = "shop", MessageId = "m" + (++n).ToString(CultureInfo.InvariantCulture), Type = type, AnonymousId = anonymousId,
            EmailSha256 = email is null ? null : EmailHasher.Hash(email), Ts = At.AddMinutes(n), ReceivedAt = At.AddMinutes(n),
        };
        await store.WriteEventsAsync(
            [Event(EventType.Page, "jane-device"), Event(EventType.Identify, "jane-device", "jane@example.com"), Event(EventType.Page, "jane-device"), Event(EventType.Page, "bob-device")],
            CancellationToken.None);
    }

    private long Count(string anonymousId)
    {
        using var connection = new DuckDBConnection($"Data Source={Path.Combine(_dir, "omnitrack.duckdb")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM events WHERE anonymous_id = '{anonymousId}'";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static async Task<(int Code, string Output, string Errors)> RunAsync(params string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var errors = new StringWriter(CultureInfo.InvariantCulture);
        var code = await CollectorCommandLine.InvokeAsync(["erase", .. args], output, errors);
        return (code, output.ToString(), errors.ToString());
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
