using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Store.DuckDb;

namespace OmniTrackIQ.Pipeline.Tests;

public sealed class DuckDbEventStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "otq-duck-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task An_event_id_stored_twice_is_one_row_and_stats_count_by_type_and_channel()
    {
        using var database = new DuckDbDatabase(Path.Combine(_dir, "t.duckdb"));
        var store = new DuckDbEventStore(database);

        static TrackedEvent E(string id, EventType type, string channel) => new()
        {
            Workspace = "w", MessageId = id, Type = type, Channel = channel, Ts = DateTimeOffset.UnixEpoch, ReceivedAt = DateTimeOffset.UnixEpoch,
            Revenue = 59.90m, Currency = "EUR",
        };

        var first = await store.WriteEventsAsync([E("a", EventType.Page, "Direct"), E("b", EventType.Conversion, "Email"), E("a", EventType.Page, "Direct")], CancellationToken.None);
        var replay = await store.WriteEventsAsync([E("b", EventType.Conversion, "Email"), E("c", EventType.Page, "Direct")], CancellationToken.None);
        Assert.Equal(2, first);
        Assert.Equal(1, replay);

        var stats = await store.GetStatsAsync("w", CancellationToken.None);
        Assert.Equal(3, stats.Total);
        Assert.Equal(2, stats.ByType["page"]);
        Assert.Equal(1, stats.ByType["conversion"]);
        Assert.Equal(2, stats.ByChannel["Direct"]);
        Assert.Equal(0, (await store.GetStatsAsync("other", CancellationToken.None)).Total);
        Assert.True(await store.PingAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData(null, "128MB")] // the store's default (issue 16: DuckDB's own 16MB checkpointed almost every sink batch)
    [InlineData("64MB", "64MB")]
    public async Task TheCheckpointThresholdIsTheConfiguredOneOrTheStoresDefault(string? configured, string expected)
    {
        using var database = configured is null
            ? new DuckDbDatabase(Path.Combine(_dir, "t.duckdb"))
            : new DuckDbDatabase(Path.Combine(_dir, "t.duckdb"), checkpointThreshold: configured);

        var actual = await database.WriteAsync(Setting, CancellationToken.None);

        // DuckDB answers in its own units (e.g. "122.0 MiB"): the reference is what it answers for the expected value.
        using var reference = new DuckDB.NET.Data.DuckDBConnection("Data Source=:memory:");
        reference.Open();
        DuckDbEventStore.Execute(reference, $"SET checkpoint_threshold = '{expected}'");
        Assert.Equal(Setting(reference), actual);
        DuckDbEventStore.Execute(reference, "RESET checkpoint_threshold");
        Assert.NotEqual(Setting(reference), actual);
    }

    private static string Setting(DuckDB.NET.Data.DuckDBConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT current_setting('checkpoint_threshold')";
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
