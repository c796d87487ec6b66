using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Collector.Hosting;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Store.DuckDb;

namespace OmniTrackIQ.Collector.Tests.Attribution;

/// <summary>The backfill verb against a real DuckDB file in a temp data directory.</summary>
public sealed class BackfillCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "otq-backfill-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Backfill_of_a_range_draws_progress_and_writes_results()
    {
        using (var database = new DuckDbDatabase(Path.Combine(_dir, "omnitrack.duckdb")))
        {
            var store = new DuckDbEventStore(database);
            var day = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
            await store.WriteEventsAsync(
            [
                new TrackedEvent { Workspace = "shop", MessageId = "p1", Type = EventType.Page, AnonymousId = "a", Channel = "Email", Ts = day, ReceivedAt = day },
                new TrackedEvent { Workspace = "shop", MessageId = "c1", Type = EventType.Conversion, AnonymousId = "a", OrderId = "o1", Revenue = 12, Ts = day.AddDays(1), ReceivedAt = day },
                new TrackedEvent { Workspace = "shop", MessageId = "c2", Type = EventType.Conversion, AnonymousId = "b", OrderId = "o2", Revenue = 5, Ts = day.AddDays(20), ReceivedAt = day },
            ], CancellationToken.None);

            // A first run attributes everything (there is no state yet); the backfill below then redoes only its range.
            await new OmniTrackIQ.Store.DuckDb.Attribution.AttributionRunner(database, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TestClock.Now))
                .RunAsync("shop", new(), CancellationToken.None);
        }

        var output = new StringWriter();
        var errors = new StringWriter();
        var code = await CollectorCommandLine.InvokeAsync(["backfill", "--workspace", "shop", "--from", "2026-11-01", "--to", "2026-11-10", "--data-dir", _dir], output, errors);

        Assert.True(code == 0, errors.ToString());
        Assert.StartsWith("backfilled 1 conversions of 1 people", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("[##############################] 100.0% 1/1 people", errors.ToString(), StringComparison.Ordinal);
        using var check = new DuckDbDatabase(Path.Combine(_dir, "omnitrack.duckdb"));
        using var connection = check.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT channel, credit FROM attribution_results WHERE model = 'last' AND conversion_id = 'o1'";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(("Email", 1.0), (reader.GetString(0), reader.GetDouble(1)));
    }

    [Theory]
    [InlineData("backfill: Option '--workspace' is required.", "--from", "2026-11-01")]
    [InlineData("backfill: invalid value \"5\" for --markov-order: expected an integer from 1 to 4", "--workspace", "shop", "--markov-order", "5")]
    [InlineData("backfill: invalid value \"not-a-date\" for --from: expected a date such as 2026-11-01 or 2026-11-01T12:00:00Z", "--workspace", "shop", "--from", "not-a-date")]
    [InlineData("backfill: --from must be before --to", "--workspace", "shop", "--from", "2026-11-10", "--to", "2026-11-01")]
    public async Task Bad_arguments_exit_2_with_the_error_and_the_help(string message, params string[] args)
    {
        var errors = new StringWriter();
        Assert.Equal(ExitCodes.Usage, await CollectorCommandLine.InvokeAsync(["backfill", .. args, "--data-dir", _dir], new StringWriter(), errors));
        Assert.StartsWith(message + "\n", errors.ToString().ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("--markov-order <K>", errors.ToString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
