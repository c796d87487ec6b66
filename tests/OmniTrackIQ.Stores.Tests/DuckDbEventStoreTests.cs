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

    [Fact]
    public async Task Batches_of_new_ids_and_batches_with_a_stored_id_take_load_seq_in_the_order_they_are_written()
    {
        using var database = new DuckDbDatabase(Path.Combine(_dir, "t.duckdb"));
        var store = new DuckDbEventStore(database, recentIdCapacity: 0);

        // The first and last batches are new ids (appended straight into events); the middle one holds a stored id
        // (b) and no filter remembers it, so the primary key refuses the append and the batch goes through staging,
        // which keeps c and drops b.
        Assert.Equal(2, await store.WriteEventsAsync([Page("a"), Page("b")], CancellationToken.None));
        Assert.Equal(1, await store.WriteEventsAsync([Page("b"), Page("c"), Page("c")], CancellationToken.None));
        Assert.Equal(2, await store.WriteEventsAsync([Page("d"), Page("e")], CancellationToken.None));
        Assert.Equal(1, store.StagedBatches);

        var rows = await database.WriteAsync(c => Rows(c, "SELECT message_id, load_seq FROM events ORDER BY load_seq"), CancellationToken.None);
        Assert.Equal(["a", "b", "c", "d", "e"], rows.Select(r => r[0]));
        Assert.Equal(5, rows.Select(r => r[1]).Distinct().Count());
    }

    [Fact]
    public async Task A_retry_of_ids_the_store_wrote_lately_is_appended_without_them_and_never_falls_back_to_staging()
    {
        using var database = new DuckDbDatabase(Path.Combine(_dir, "t.duckdb"));
        var store = new DuckDbEventStore(database, recentIdCapacity: 10);

        Assert.Equal(2, await store.WriteEventsAsync([Page("a"), Page("b")], CancellationToken.None));
        Assert.Equal(1, await store.WriteEventsAsync([Page("b"), Page("c"), Page("c")], CancellationToken.None));
        Assert.Equal(0, await store.WriteEventsAsync([Page("a"), Page("c")], CancellationToken.None));

        Assert.Equal(0, store.StagedBatches);
        var rows = await database.WriteAsync(c => Rows(c, "SELECT message_id, load_seq FROM events ORDER BY load_seq"), CancellationToken.None);
        Assert.Equal(["a", "b", "c"], rows.Select(r => r[0]));
        Assert.Equal(3, rows.Select(r => r[1]).Distinct().Count());
    }

    [Fact]
    public async Task A_replay_after_a_restart_which_the_filter_cannot_place_is_still_stored_exactly_once()
    {
        var path = Path.Combine(_dir, "t.duckdb");
        using (var before = new DuckDbDatabase(path))
        {
            Assert.Equal(2, await new DuckDbEventStore(before).WriteEventsAsync([Page("a"), Page("b")], CancellationToken.None));
        }

        using var database = new DuckDbDatabase(path);
        var store = new DuckDbEventStore(database);
        Assert.Equal(1, await store.WriteEventsAsync([Page("a"), Page("b"), Page("c")], CancellationToken.None));
        Assert.Equal(1, store.StagedBatches); // the new process's filter is empty: the primary key decided
        Assert.Equal(0, await store.WriteEventsAsync([Page("b"), Page("c")], CancellationToken.None));
        Assert.Equal(1, store.StagedBatches); // and the filter learnt the replayed ids it found stored

        var rows = await database.WriteAsync(c => Rows(c, "SELECT message_id FROM events ORDER BY load_seq"), CancellationToken.None);
        Assert.Equal(["a", "b", "c"], rows.Select(r => r[0]));
    }

    [Fact]
    public async Task A_file_upgraded_from_before_the_later_columns_stores_every_value_in_its_column_exactly_once()
    {
        var path = Path.Combine(_dir, "old.duckdb");
        Directory.CreateDirectory(_dir);
        using (var old = new DuckDB.NET.Data.DuckDBConnection($"Data Source={path}"))
        {
            // The first release's events: the columns before previous_id, no load_seq. Opening adds load_seq, then the
            // later columns after it, so the table's order is not the appender's.
            var firstColumns = EventsSchema.Columns[..EventsSchema.Columns.IndexOf("previous_id", StringComparison.Ordinal)].TrimEnd().TrimEnd(',');
            old.Open();
            DuckDbEventStore.Execute(old, $"CREATE TABLE events ({firstColumns}, PRIMARY KEY (workspace, message_id))");
        }

        using var database = new DuckDbDatabase(path);
        var store = new DuckDbEventStore(database);
        Assert.False(await database.WriteAsync(EventsSchema.AppendsInTableOrder, CancellationToken.None));

        var a = Page("a");
        a.PreviousId = "prev-a";
        a.NetRevenue = 12.5m;
        a.OrderUpdatedAt = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);
        Assert.Equal(1, await store.WriteEventsAsync([a], CancellationToken.None));
        Assert.Equal(1, await store.WriteEventsAsync([Page("a"), Page("b")], CancellationToken.None));

        var rows = await database.WriteAsync(
            c => Rows(c, "SELECT message_id, channel, previous_id, net_revenue::VARCHAR, order_updated_at::VARCHAR, load_seq FROM events ORDER BY load_seq"),
            CancellationToken.None);
        Assert.Equal(2, rows.Count);
        Assert.Equal(new string?[] { "a", "Direct", "prev-a", "12.5000", "2026-03-04 05:06:07" }, rows[0][..5]);
        Assert.Equal(new string?[] { "b", "Direct", null, null, null }, rows[1][..5]);
    }

    [Fact]
    public async Task A_file_made_with_todays_schema_is_appended_to_in_its_own_column_order()
    {
        using var database = new DuckDbDatabase(Path.Combine(_dir, "t.duckdb"));
        Assert.True(await database.WriteAsync(EventsSchema.AppendsInTableOrder, CancellationToken.None));
    }

    private static TrackedEvent Page(string id) => new()
    {
        Workspace = "w", MessageId = id, Type = EventType.Page, Channel = "Direct", Ts = DateTimeOffset.UnixEpoch, ReceivedAt = DateTimeOffset.UnixEpoch,
    };

    private static List<string?[]> Rows(DuckDB.NET.Data.DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string?[]>();
        while (reader.Read())
        {
            var row = new string?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) { row[i] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture); }
            rows.Add(row);
        }

        return rows;
    }

    [Theory]
    [InlineData(null, "32MB")] // the store's default (issue 16: DuckDB's own 16MB checkpointed too often, 128MB held too much in memory)
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
