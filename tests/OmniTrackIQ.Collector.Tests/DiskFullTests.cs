using System.Globalization;
using System.Net;

namespace OmniTrackIQ.Collector.Tests;

/// <summary>
/// The spool's disk fills up under the real process: ingest answers 503 + Retry-After and /readyz 503 (saying why)
/// while it is full, takes events again by itself once space returns, and SIGTERM exits cleanly even on a full disk;
/// every event answered 2xx is stored exactly once — on either store (the subclasses).
/// </summary>
public abstract class DiskFull : IAsyncLifetime
{
    private const string WriteKey = "wk_diskfull";
    private const string ReadToken = "rt_diskfull";
    protected string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "otq-diskfull-" + Guid.NewGuid().ToString("N"));
    private int _batch;

    [SkippableFact]
    public async Task A_full_spool_disk_is_a_503_until_space_returns_and_no_acknowledged_event_is_lost()
    {
        var spoolDirectory = Path.Combine(DataDirectory, "spool-tmpfs");
        using var tmpfs = TmpfsMount.TryMount(spoolDirectory, "2m", out var unavailable);
        if (tmpfs is null)
        {
            // CI runs as root and must really run this; elsewhere say why it did not.
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) { Assert.Fail("CI=true and " + unavailable); }
            Skip.If(true, unavailable);
        }

        var acked = new List<string>();
        var refused = new List<string>();
        var filler = Path.Combine(spoolDirectory, "filler");
        string output;
        var storeArgs = await StoreArgsAsync();
        using (var collector = await CollectorProcess.StartAsync(DataDirectory, WriteKey, ReadToken, extraArgs: ["--OmniTrack:Spool:Directory", spoolDirectory, .. storeArgs]))
        {
            var client = collector.Client;
            Assert.Equal(HttpStatusCode.OK, await SendAsync(client, acked, refused));

            tmpfs.Fill(filler);
            await SendUntilRefusedAsync(client, acked, refused);
            using (var response = await PostBatchAsync(client, out var ids))
            {
                refused.AddRange(ids);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "a 503 says when to retry");
                Assert.Equal("spool_full", (await CollectorClient.ProblemAsync(response)).GetProperty("reason").GetString());
            }

            using (var ready = await client.GetAsync("/readyz"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
                Assert.Contains("spool: cannot write to disk", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
            using (var ingestReady = await client.GetAsync("/readyz/ingest"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, ingestReady.StatusCode);
                Assert.StartsWith("spool: cannot write to disk", await ingestReady.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            File.Delete(filler);
            Assert.Equal(HttpStatusCode.OK, await WaitForReadyAsync(client)); // by itself: no request needed to find out
            for (var i = 0; i < 3; i++) { Assert.Equal(HttpStatusCode.OK, await SendAsync(client, acked, refused)); }
            var stored = await CollectorClient.WaitForEventsAsync(client, acked.Count, ReadToken);
            Assert.Equal(acked.Order(StringComparer.Ordinal), stored.Select(e => e.GetProperty("messageId").GetString()!).Order(StringComparer.Ordinal));

            // Full again, and stopped while full: the drain and the spool's Dispose meet ENOSPC and must not crash the exit.
            tmpfs.Fill(filler);
            await SendUntilRefusedAsync(client, acked, refused);
            await collector.StopAsync();
            Assert.Equal(0, collector.ExitCode);
            output = collector.Output;
        }

        Assert.DoesNotContain("Unhandled exception", output, StringComparison.OrdinalIgnoreCase);
        var storedIds = await ReadStoredIdsAsync();
        Assert.Equal(storedIds.Count, storedIds.Distinct().Count()); // exactly once
        Assert.Equal(acked.Order(StringComparer.Ordinal), storedIds.Order(StringComparer.Ordinal)); // every 2xx, and nothing torn or refused
    }

    /// <summary>Sends until the spool refuses (the pages its files already hold may take a few records); bounded.</summary>
    private async Task SendUntilRefusedAsync(HttpClient client, List<string> acked, List<string> refused)
    {
        for (var i = 0; i < 200; i++)
        {
            var status = await SendAsync(client, acked, refused);
            if (status == HttpStatusCode.ServiceUnavailable) { return; }
            Assert.Equal(HttpStatusCode.OK, status);
        }

        Assert.Fail("the spool never refused a batch on a full disk");
    }

    private async Task<HttpStatusCode> SendAsync(HttpClient client, List<string> acked, List<string> refused)
    {
        using var response = await PostBatchAsync(client, out var ids);
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        (response.StatusCode == HttpStatusCode.OK ? acked : refused).AddRange(ids);
        return response.StatusCode;
    }

    private Task<HttpResponseMessage> PostBatchAsync(HttpClient client, out string[] ids)
    {
        var batch = _batch++;
        ids = [.. Enumerable.Range(0, 5).Select(i => string.Create(CultureInfo.InvariantCulture, $"df-b{batch}-e{i}"))];
        // About 1 KiB a record, so a few fill what slack the spool's pages have left.
        var padding = new string('x', 150);
        return client.PostAsync("/v1/batch", Payloads.Json(Payloads.BatchWithKey(WriteKey, ids.Select(id => Payloads.Event(id, extra: $",\"properties\":{{\"pad\":\"{padding}\"}}")).ToArray())));
    }

    private static async Task<HttpStatusCode> WaitForReadyAsync(HttpClient client)
    {
        return await Poll.UntilAsync(async () =>
        {
            using var ready = await client.GetAsync("/readyz");
            return ready.StatusCode;
        }, status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));
    }

    /// <summary>The collector's store settings (none for the default DuckDB file in the data directory).</summary>
    protected abstract Task<string[]> StoreArgsAsync();

    /// <summary>Every stored row's message id of the test workspace, read from the store after the collector stopped.</summary>
    protected abstract Task<List<string>> ReadStoredIdsAsync();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync()
    {
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }
}

/// <summary>On the embedded store.</summary>
public sealed class DiskFullTests : DiskFull
{
    protected override Task<string[]> StoreArgsAsync() => Task.FromResult<string[]>([]);

    protected override Task<List<string>> ReadStoredIdsAsync() => Task.FromResult(TableScan.MessageIds(DataDirectory, "crash"));
}

/// <summary>On ClickHouse (a database of the test's own).</summary>
public sealed class ClickHouseDiskFullTests : DiskFull
{
    private ClickHouse.ClickHouseTestServer? _server;

    protected override async Task<string[]> StoreArgsAsync()
    {
        _server = await ClickHouse.ClickHouseTestServer.RequireAsync();
        return ["--OmniTrack:Store", "ClickHouse", "--OmniTrack:ClickHouse:ConnectionString", _server.ConnectionString()];
    }

    protected override Task<List<string>> ReadStoredIdsAsync() => _server!.StoredIdsAsync("crash");

    public override async Task DisposeAsync()
    {
        if (_server is not null) { await _server.DisposeAsync(); }
        await base.DisposeAsync();
    }
}
