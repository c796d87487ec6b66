using System.Diagnostics;
using System.Globalization;
using System.Net;
using DuckDB.NET.Data;
using OmniTrackIQ.Collector.Hosting;
using OmniTrackIQ.Collector.Tests.ClickHouse;

namespace OmniTrackIQ.Collector.Tests.Spool;

/// <summary>
/// Issue 17: an ingest node whose disk survives but whose machine does not. A collector is killed (-9) with
/// acknowledged events still in its spool (its sink had not written them, or its store was unreachable); <c>drain-spool</c>,
/// run as another process with another node's settings, stores them, each once, on either store; a second run stores
/// nothing more. A spool a live collector holds is refused.
/// </summary>
public sealed class DrainSpoolCommandTests : IAsyncLifetime
{
    private const string WriteKey = "wk_crash";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "otq-drain-" + Guid.NewGuid().ToString("N"));
    private ClickHouseTestServer? _clickHouse;

    private string DeadNode => Path.Combine(_root, "dead");

    private string DeadSpool => Path.Combine(DeadNode, "spool");

    private string OtherNode => Path.Combine(_root, "other");

    [Fact]
    public async Task A_killed_nodes_spool_is_refused_while_it_lives_then_drained_into_duckdb_once_and_a_half_stored_part_is_not_doubled()
    {
        List<string> acked;
        using (var dead = await StartHoldingAsync(["--OmniTrack:Sink:MaxBatchAge", "01:00:00", "--OmniTrack:Sink:BatchSize", "1000000"]))
        {
            acked = await SendAsync(dead.Client, batches: 30);
            var (refusedCode, refusedOutput, refusedErrors) = await DrainAsync(DuckDb());
            Assert.Equal((ExitCodes.Refused, ""), (refusedCode, refusedOutput));
            Assert.Contains("is in use by another collector process", refusedErrors, StringComparison.Ordinal);
            Assert.Contains("(nothing drained)", refusedErrors, StringComparison.Ordinal);
            dead.Crash();
        }

        Assert.False(File.Exists(Path.Combine(OtherNode, "omnitrack.duckdb"))); // the refusal opened no store
        // The first 40 were stored by a batch whose checkpoint the crash lost: the store's dedup is the truth.
        await StoreDirectlyAsync(acked.Take(40));

        var (code, output, errors) = await DrainAsync(DuckDb());

        Assert.True(code == ExitCodes.Ok, errors);
        Assert.Matches($@"^drained {Escaped(DeadSpool)}: 30 records from 1:0 to 1:\d+: 260 events stored, 40 already in the store, 0 damaged stretches quarantined", output);
        AssertStoredOnce(StoredInDuckDb(), acked);

        var again = await DrainAsync(DuckDb());
        Assert.Equal(ExitCodes.Ok, again.Code);
        Assert.Matches(@"^drained .*: 0 records from 1:\d+ to 1:\d+: 0 events stored, 0 already in the store, 0 damaged stretches quarantined", again.Output);
        AssertStoredOnce(StoredInDuckDb(), acked);
    }

    [Fact]
    public async Task A_damaged_record_in_the_dead_spool_is_quarantined_and_reported_and_the_records_around_it_are_stored()
    {
        List<string> acked;
        using (var dead = await StartHoldingAsync(["--OmniTrack:Sink:MaxBatchAge", "01:00:00", "--OmniTrack:Sink:BatchSize", "1000000"]))
        {
            acked = await SendAsync(dead.Client, batches: 3);
            dead.Crash();
        }

        // Bit rot inside the second batch's record: its ten events cannot be read back; the batches around it can.
        var segment = Directory.GetFiles(DeadSpool, "*.seg").Single();
        var bytes = await File.ReadAllBytesAsync(segment);
        var at = bytes.AsSpan().IndexOf("b1-e4"u8);
        Assert.True(at > 0);
        bytes[at] ^= 0xFF;
        await File.WriteAllBytesAsync(segment, bytes);

        var (code, output, errors) = await DrainAsync(DuckDb());

        Assert.True(code == ExitCodes.Ok, errors);
        Assert.Matches(@"^drained .*: 2 records from 1:0 to 1:\d+: 20 events stored, 0 already in the store, 1 damaged stretches quarantined", output);
        AssertStoredOnce(StoredInDuckDb(), [.. acked.Where(id => !id.Contains("-b1-", StringComparison.Ordinal))]);
        using var connection = OpenDuckDb();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT reason FROM bad_events";
        Assert.StartsWith("spool_corrupt: ", Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(Path.Combine(DeadSpool, "quarantine")));
    }

    [SkippableFact]
    public async Task A_node_killed_while_its_ClickHouse_was_unreachable_is_drained_into_clickhouse_once_and_a_replay_stores_nothing_more()
    {
        var clickHouse = _clickHouse = await ClickHouseTestServer.RequireAsync();
        List<string> acked;
        // Its store is a closed port: every acknowledged event is in the spool only.
        using (var dead = await StartHoldingAsync(["--OmniTrack:Store", "ClickHouse", "--OmniTrack:ClickHouse:ConnectionString",
                   $"Host=127.0.0.1;Port={CollectorProcess.FreePort()};Database={clickHouse.Database}"]))
        {
            acked = await SendAsync(dead.Client, batches: 30);
            dead.Crash();
        }

        var settings = new Dictionary<string, string>
        {
            ["OmniTrack__Store"] = "ClickHouse", ["OmniTrack__ClickHouse__ConnectionString"] = clickHouse.ConnectionString(),
        };
        var (code, output, errors) = await DrainAsync(settings);

        Assert.True(code == ExitCodes.Ok, errors);
        Assert.Matches(@"^drained .*: 30 records from 1:0 to 1:\d+: 300 events stored, 0 already in the store, 0 damaged stretches quarantined", output);
        AssertStoredOnce(await clickHouse.StoredIdsAsync("crash"), acked);

        var again = await DrainAsync(settings);
        Assert.Matches(@"^drained .*: 0 records from .*: 0 events stored, 0 already in the store", again.Output);
        // A checkpoint lost with the machine: everything is read again, and the store keeps each event once.
        File.Delete(Path.Combine(DeadSpool, "checkpoint"));
        var replay = await DrainAsync(settings);
        Assert.Matches(@"^drained .*: 30 records from 1:0 to 1:\d+: 0 events stored, 300 already in the store", replay.Output);
        AssertStoredOnce(await clickHouse.StoredIdsAsync("crash"), acked);
    }

    /// <summary>A collector on the dead node's data directory whose sink holds everything back (settings in <paramref name="holdBack"/>).</summary>
    private Task<CollectorProcess> StartHoldingAsync(string[] holdBack) =>
        CollectorProcess.StartAsync(DeadNode, WriteKey, "rt_crash", extraArgs: [.. holdBack, "--OmniTrack:Attribution:IntervalSeconds", "0"]);

    /// <summary>Sends <paramref name="batches"/> batches of ten, one after another (one spool record each); all must be acknowledged.</summary>
    private static async Task<List<string>> SendAsync(HttpClient client, int batches)
    {
        var acked = new List<string>();
        for (var batch = 0; batch < batches; batch++)
        {
            var ids = Enumerable.Range(0, 10).Select(i => string.Create(CultureInfo.InvariantCulture, $"d-b{batch}-e{i}")).ToArray();
            using var response = await client.PostAsync("/v1/batch", Payloads.Json(Payloads.BatchWithKey(WriteKey, [.. ids.Select(id => Payloads.Event(id))])));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            acked.AddRange(ids);
        }

        return acked;
    }

    private Dictionary<string, string> DuckDb() => new() { ["OmniTrack__DataDirectory"] = OtherNode };

    /// <summary>Runs <c>drain-spool --spool DEAD</c> as its own process, in a folder of its own, with <paramref name="settings"/> as environment.</summary>
    private async Task<(int Code, string Output, string Errors)> DrainAsync(Dictionary<string, string> settings)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _root };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "OmniTrackIQ.Collector.dll"), "drain-spool", "--spool", DeadSpool }) { info.ArgumentList.Add(arg); }
        info.Environment["OmniTrack__Clock__StartAt"] = TestClock.StartAt;
        foreach (var (name, value) in settings) { info.Environment[name] = value; }
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the collector");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }

    private async Task StoreDirectlyAsync(IEnumerable<string> ids)
    {
        Directory.CreateDirectory(OtherNode);
        using var database = new Store.DuckDb.DuckDbDatabase(Path.Combine(OtherNode, "omnitrack.duckdb"));
        var store = new Store.DuckDb.DuckDbEventStore(database);
        var at = DateTimeOffset.Parse(TestClock.StartAt, CultureInfo.InvariantCulture);
        await store.WriteEventsAsync(
            [.. ids.Select(id => new Pipeline.Events.TrackedEvent { Workspace = "crash", MessageId = id, Type = Pipeline.Events.EventType.Page, AnonymousId = "a", Ts = at, ReceivedAt = at })],
            CancellationToken.None);
    }

    private DuckDBConnection OpenDuckDb()
    {
        var connection = new DuckDBConnection($"Data Source={Path.Combine(OtherNode, "omnitrack.duckdb")}");
        connection.Open();
        return connection;
    }

    private List<string> StoredInDuckDb() => TableScan.MessageIds(OtherNode, "crash");

    private static void AssertStoredOnce(List<string> stored, List<string> expected)
    {
        Assert.Equal(expected.Order(StringComparer.Ordinal), stored.Order(StringComparer.Ordinal));
    }

    private static string Escaped(string text) => System.Text.RegularExpressions.Regex.Escape(text);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_clickHouse is not null) { await _clickHouse.DisposeAsync(); }
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}
