using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Metrics;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Pipeline.Spool;
using OmniTrackIQ.Store.ClickHouse;
using OmniTrackIQ.Pipeline.Startup;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>
/// Issue 15: one insert spanning more months than the server allows (code 252 on current ClickHouse) must neither fail
/// nor stall the sink. 18.16 has no <c>max_partitions_per_insert_block</c> (system.settings lists no such setting), so
/// <see cref="PartitionLimitServer"/> answers the error in front of the real server.
/// </summary>
public sealed class ClickHousePartitionLimitTests(ClickHouseServerFixture server) : IClassFixture<ClickHouseServerFixture>, IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "otq-partitions-" + Guid.NewGuid().ToString("N"));
    private readonly List<IDisposable> _disposables = [];

    [SkippableFact]
    public async Task The_test_server_really_has_no_partition_limit_setting_so_the_fake_stands_in_for_it()
    {
        server.RequireServer();
        var settings = await server.QueryAsync("SELECT name FROM system.settings WHERE name = 'max_partitions_per_insert_block' FORMAT TabSeparated");
        var version = (await server.QueryAsync("SELECT version() FORMAT TabSeparated")).Trim();
        // On a current server the setting exists and the store's own split is what keeps inserts under it.
        Skip.IfNot(version.StartsWith("18.", StringComparison.Ordinal), "a current server has the setting; this test documents 18.16");
        Assert.Equal("", settings);
    }

    [SkippableFact]
    public async Task A_batch_over_ten_months_is_written_as_inserts_of_at_most_the_configured_months_and_all_of_it_is_stored()
    {
        var fake = new PartitionLimitServer(maxPartitions: 3);
        var store = await OpenAsync(fake, maxPartitionsPerInsert: 3);
        var workspace = "months-" + Guid.NewGuid().ToString("N")[..8];
        // Interleaved, as a replayed history arrives: months 1..10 of 2025, then each month once more.
        var events = Enumerable.Range(0, 20).Select(i => Event(workspace, "e" + i, new DateTimeOffset(2025, 1 + (i % 10), 3, 12, 0, 0, TimeSpan.Zero))).ToList();

        Assert.Equal(20, await store.WriteEventsAsync(events, CancellationToken.None));

        Assert.Equal(0, fake.Refused);
        Assert.Equal([3, 3, 3, 1], fake.AcceptedPartitions);
        Assert.Equal(20, (await store.GetStatsAsync(workspace, CancellationToken.None)).Total);
    }

    [SkippableFact]
    public async Task An_insert_the_server_refuses_for_its_partitions_is_a_rejection_not_a_transient_failure()
    {
        var fake = new PartitionLimitServer(maxPartitions: 2);
        var store = await OpenAsync(fake, maxPartitionsPerInsert: 100); // configured above the server's limit
        var workspace = "over-" + Guid.NewGuid().ToString("N")[..8];
        var events = Enumerable.Range(0, 3).Select(i => Event(workspace, "e" + i, new DateTimeOffset(2025, 1 + i, 1, 0, 0, 0, TimeSpan.Zero))).ToList();

        var rejection = await Assert.ThrowsAsync<StoreRejectedDataException>(() => store.WriteEventsAsync(events, CancellationToken.None));

        Assert.Equal(252, rejection.ServerErrorCode);
        Assert.Contains("Too many partitions for single INSERT block", rejection.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task An_overloaded_server_is_a_transient_failure_and_the_same_batch_is_stored_when_it_recovers()
    {
        var fake = new PartitionLimitServer(maxPartitions: 100) { MemoryLimitFailures = 1 };
        var store = await OpenAsync(fake, maxPartitionsPerInsert: 100);
        var workspace = "busy-" + Guid.NewGuid().ToString("N")[..8];
        var events = Enumerable.Range(0, 3).Select(i => Event(workspace, "e" + i, new DateTimeOffset(2025, 1 + i, 1, 0, 0, 0, TimeSpan.Zero))).ToList();

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => store.WriteEventsAsync(events, CancellationToken.None));
        Assert.IsNotType<StoreRejectedDataException>(failure); // the sink retries it with back-off, never splits it
        Assert.Contains("Code: 241", failure.Message, StringComparison.Ordinal);

        Assert.Equal(3, await store.WriteEventsAsync(events, CancellationToken.None));
        Assert.Equal(3, (await store.GetStatsAsync(workspace, CancellationToken.None)).Total);
    }

    [SkippableFact]
    public async Task The_sink_splits_a_refused_insert_down_to_the_rows_that_cause_it_stores_the_rest_and_never_retries()
    {
        var fake = new PartitionLimitServer(maxPartitions: 2);
        fake.Poison.Add("m4-poison");
        var store = await OpenAsync(fake, maxPartitionsPerInsert: 100); // the server's limit is lower than ours: only the sink's split helps
        var workspace = "sink-" + Guid.NewGuid().ToString("N")[..8];
        var time = new RecordingTimeProvider();
        var spool = SegmentedSpool.Open(_dir, 1 << 20, NullLogger.Instance);
        _disposables.Add(spool);
        var queue = new SinkQueue(capacity: 16);
        var writer = new SpoolWriter(spool, new SpoolOptions(), queue, NullLogger<SpoolWriter>.Instance);
        var sink = new SinkWriter(spool, queue, store, StoreReadiness.Ready(), new BadEventQueue(time, new CollectorMetrics()),
            new SinkOptions { BatchSize = 12, MaxBatchAge = TimeSpan.FromHours(1) }, new CollectorMetrics(), time, NullLogger<SinkWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        await sink.StartAsync(CancellationToken.None);

        // Six months, two events each; one of them the server refuses whatever insert it is in.
        var events = Enumerable.Range(0, 12).Select(i => Event(workspace, i == 9 ? "m4-poison" : "e" + i.ToString(CultureInfo.InvariantCulture),
            new DateTimeOffset(2025, 1 + (i % 6), 1, 0, 0, 0, TimeSpan.Zero))).ToList();
        await writer.AppendAsync(events, waitForDisk: true, CancellationToken.None);
        await Poll.UntilAsync(() => spool.Checkpoint >= spool.DurableEnd);
        await sink.StopAsync(CancellationToken.None);
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(spool.DurableEnd, spool.Checkpoint); // drained: nothing held behind the refused insert
        Assert.Equal(11, (await store.GetStatsAsync(workspace, CancellationToken.None)).Total);
        Assert.All(fake.AcceptedPartitions, months => Assert.InRange(months, 1, 2));
        var bad = await server.QueryAsync($"SELECT reason FROM {server.Database}.bad_events WHERE workspace = '{workspace}' FORMAT TabSeparated");
        Assert.StartsWith("store_rejected: ClickHouse refused the rows: Code: 49, e.displayText() = DB::Exception: Logical error while inserting m4-poison", bad, StringComparison.Ordinal);
        Assert.Single(bad.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain(time.DueTimes, d => d < TimeSpan.FromHours(1)); // split at once, never a back-off retry
    }

    private async Task<ClickHouseEventStore> OpenAsync(PartitionLimitServer fake, int maxPartitionsPerInsert)
    {
        server.RequireServer();
        var options = server.Options();
        options.MaxPartitionsPerInsert = maxPartitionsPerInsert;
        var database = new ClickHouseDatabase(options, server.Time, fake);
        _disposables.Add(database);
        var readiness = new StoreReadiness();
        await new ClickHouseMigrations(database, readiness, server.Time).MigrateAsync(CancellationToken.None); // no host here: the step by hand
        return new ClickHouseEventStore(database, readiness);
    }

    private static TrackedEvent Event(string workspace, string id, DateTimeOffset ts) =>
        new() { Workspace = workspace, MessageId = id, Type = EventType.Track, Event = "e", AnonymousId = "a", Ts = ts, ReceivedAt = ts };

    public void Dispose()
    {
        foreach (var disposable in _disposables) { disposable.Dispose(); }
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
