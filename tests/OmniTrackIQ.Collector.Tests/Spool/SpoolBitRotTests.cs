using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using DuckDB.NET.Data;
using OmniTrackIQ.Pipeline.Spool;

namespace OmniTrackIQ.Collector.Tests.Spool;

/// <summary>
/// Issue 15, reproduced on the real process: 1,000 events acknowledged while the store is unreachable, the collector
/// stopped, one byte flipped in the middle of the spool segment, the collector started again. Before the fix 300
/// events were stored ("ends in a torn record: cutting 343693 bytes"); now only the damaged record's event is
/// missing, and it is reported as one spool_corrupt row with its bytes in quarantine.
/// </summary>
public sealed class SpoolBitRotTests : IDisposable
{
    private const string WriteKey = "wk_crash";
    private const string ReadToken = "rt_crash";
    private const int Events = 1000;
    private readonly string _data = Path.Combine(Path.GetTempPath(), "otq-bitrot-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_byte_flipped_in_the_middle_of_the_spool_costs_the_one_event_in_that_record_and_is_reported()
    {
        var acked = new List<string>();
        using (var first = await CollectorProcess.StartAsync(_data, WriteKey, ReadToken, extraArgs: UnreachableStore()))
        {
            // One event a batch: one spool record per acknowledged event. Eight clients at once, so that group commits
            // hold several records (as under load) and the test does not wait for a thousand fsyncs one by one.
            await Parallel.ForEachAsync(Enumerable.Range(0, Events), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            {
                var id = $"rot-{i:D4}";
                using var response = await first.Client.PostAsync("/v1/batch", Payloads.Json(Payloads.BatchWithKey(WriteKey, Payloads.Event(id))));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                lock (acked) { acked.Add(id); }
            });

            await first.StopAsync();
        }

        var spool = Path.Combine(_data, "spool");
        var records = SpoolReader.Read(spool, new SpoolPosition(0, 0), new SpoolPosition(long.MaxValue, long.MaxValue)).ToList();
        Assert.Equal(Events, records.Count);
        Assert.DoesNotContain(records, r => r.Damaged);
        var victim = records[Events / 2];
        var victimEvents = new List<OmniTrackIQ.Pipeline.Events.TrackedEvent>();
        Assert.True(SpoolBatchCodec.TryDecode(victim.Kind, victim.Payload, victimEvents, out var error), error);
        var victimId = Assert.Single(victimEvents).MessageId;
        var segment = SegmentPath(spool, victim.Start.Segment);
        var bytes = File.ReadAllBytes(segment);
        bytes[(victim.Start.Offset + victim.End.Offset) / 2] ^= 0x01;
        File.WriteAllBytes(segment, bytes);

        string output;
        using (var second = await CollectorProcess.StartAsync(_data, WriteKey, ReadToken, extraArgs: ["--OmniTrack:Attribution:IntervalSeconds", "0"]))
        {
            Assert.Equal(Events - 1, await CollectorClient.WaitForStoredAsync(second.Client, Events - 1, ReadToken));
            await second.StopAsync();
            output = second.Output;
        }

        var stored = Query("SELECT message_id FROM events WHERE workspace = 'crash'");
        Assert.Equal(acked.Where(id => id != victimId).Order(StringComparer.Ordinal), stored.Select(r => r[0]).Order(StringComparer.Ordinal)); // each once

        var row = Assert.Single(Query("SELECT workspace, reason, payload FROM bad_events"));
        Assert.Equal("(spool)", row[0]);
        Assert.StartsWith($"spool_corrupt: {victim.Length} unreadable bytes at spool position {victim.Start}", row[1], StringComparison.Ordinal);
        Assert.Equal(victim.Start.Offset, JsonDocument.Parse(row[2]).RootElement.GetProperty("offset").GetInt64());

        var quarantined = Path.Combine(spool, "quarantine", $"{victim.Start.Segment:D12}-{victim.Start.Offset}.bin");
        Assert.Equal(bytes.AsSpan((int)victim.Start.Offset, (int)victim.Length).ToArray(), File.ReadAllBytes(quarantined));
        Assert.DoesNotContain("torn record", output, StringComparison.Ordinal); // nothing after the damage was cut
        Assert.Contains($"Spool: {victim.Length} damaged bytes at {victim.Start} skipped", output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    /// <summary>ClickHouse on a loopback port nothing listens on: the sink waits, the spool keeps every event.</summary>
    private static string[] UnreachableStore()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return
        [
            "--OmniTrack:Store", "ClickHouse", "--OmniTrack:ClickHouse:ConnectionString", $"Host=127.0.0.1;Port={port};Database=otq_unreachable",
            "--OmniTrack:Attribution:IntervalSeconds", "0",
        ];
    }

    private static string SegmentPath(string spool, long segment) =>
        Path.Combine(spool, segment.ToString("D12", System.Globalization.CultureInfo.InvariantCulture) + ".seg");

    private List<string[]> Query(string sql)
    {
        using var connection = new DuckDBConnection($"Data Source={Path.Combine(_data, "omnitrack.duckdb")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string[]>();
        while (reader.Read()) { rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : reader.GetString(i))]); }
        return rows;
    }
}
