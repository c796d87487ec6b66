using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;

namespace OmniTrackIQ.Collector.Tests;

/// <summary>Guarantee 1: an event answered 2xx survives kill -9 and is stored exactly once after restart.</summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private const string WriteKey = "wk_crash";
    private const string ReadToken = "rt_crash";
    private readonly string _data = Path.Combine(Path.GetTempPath(), "otq-crash-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Every_acknowledged_event_is_stored_exactly_once_after_kill_dash_nine_and_a_torn_tail_is_cut()
    {
        var acked = new ConcurrentBag<string>();
        var sent = new ConcurrentBag<string>();
        using (var first = await CollectorProcess.StartAsync(_data, WriteKey, ReadToken))
        {
            using var stop = new CancellationTokenSource();
            var clients = Enumerable.Range(0, 6).Select(c => SendUntilStoppedAsync(first.Client, c, acked, sent, stop.Token)).ToArray();
            await Poll.UntilAsync(() => acked.Count >= 3000, TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(20));

            first.Crash(); // mid-load: clients still sending
            await stop.CancelAsync();
            await Task.WhenAll(clients);
        }

        Assert.True(acked.Count >= 3000);
        var tornBytes = AppendTornRecord();

        using (var second = await CollectorProcess.StartAsync(_data, WriteKey, ReadToken))
        {
            // Replay runs in the background after start: wait (bounded) until at least every acknowledged event is stored.
            var total = await Poll.UntilAsync(async () => (await CollectorClient.StatsAsync(second.Client, ReadToken)).GetProperty("total").GetInt64(),
                stored => stored >= acked.Count, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(50));

            Assert.Contains("torn record", second.Output, StringComparison.Ordinal);
            Assert.Contains(tornBytes.ToString(CultureInfo.InvariantCulture) + " bytes", second.Output, StringComparison.Ordinal);
            await second.StopAsync();
        }

        var stored = ReadStoredIds();
        Assert.Equal(stored.Count, stored.Distinct().Count()); // exactly once
        var storedSet = stored.ToHashSet();
        var missing = acked.Where(id => !storedSet.Contains(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged events lost, e.g. {string.Join(",", missing.Take(5))}");
        var sentSet = sent.ToHashSet();
        Assert.All(stored, id => Assert.Contains(id, sentSet)); // nothing invented (no garbage replayed from the torn tail)
        Assert.DoesNotContain(stored, id => id.EndsWith("-bad", StringComparison.Ordinal)); // a rejected event is never stored
    }

    private static async Task SendUntilStoppedAsync(HttpClient client, int clientId, ConcurrentBag<string> acked, ConcurrentBag<string> sent, CancellationToken stop)
    {
        for (var batch = 0; !stop.IsCancellationRequested; batch++)
        {
            // Per-event acceptance under the crash: every batch carries one invalid event (index 3, a track without
            // its name) that must be rejected alone, never stored, while its nine neighbours are acknowledged.
            var ids = Enumerable.Range(0, 10).Select(i => i == 3 ? $"c{clientId}-b{batch}-bad" : $"c{clientId}-b{batch}-e{i}").ToArray();
            foreach (var id in ids) { sent.Add(id); }
            var body = Payloads.BatchWithKey(WriteKey, ids.Select(id => id.EndsWith("-bad", StringComparison.Ordinal) ? Payloads.Event(id, "track") : Payloads.Event(id)).ToArray());
            try
            {
                using var response = await client.PostAsync("/v1/batch", Payloads.Json(body), stop);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var answer = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(stop)).RootElement;
                    Assert.Equal(9, answer.GetProperty("accepted").GetInt32());
                    Assert.Equal(3, Assert.Single(answer.GetProperty("rejected").EnumerateArray()).GetProperty("index").GetInt32());
                    foreach (var id in ids.Where(id => !id.EndsWith("-bad", StringComparison.Ordinal))) { acked.Add(id); }
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
            {
                if (stop.IsCancellationRequested) { return; }
                await Task.Delay(10, CancellationToken.None); // paces the load: a client whose request failed tries again shortly, as a real one does
            }
        }
    }

    /// <summary>Simulates a crash mid-write: a header promising 4096 bytes followed by only 100.</summary>
    private int AppendTornRecord()
    {
        var segment = Directory.GetFiles(Path.Combine(_data, "spool"), "*.seg").Order(StringComparer.Ordinal).Last();
        var torn = new byte[8 + 100];
        BinaryPrimitives.WriteUInt32LittleEndian(torn, 4096);
        BinaryPrimitives.WriteUInt32LittleEndian(torn.AsSpan(4), 0xDEADBEEF);
        torn.AsSpan(8).Fill((byte)'{');
        using var stream = new FileStream(segment, FileMode.Append, FileAccess.Write);
        stream.Write(torn);
        return torn.Length;
    }

    private List<string> ReadStoredIds() => TableScan.MessageIds(_data, "crash");

    public void Dispose()
    {
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }
}
