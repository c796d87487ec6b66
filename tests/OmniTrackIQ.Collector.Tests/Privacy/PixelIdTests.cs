using System.Text;
using OmniTrackIQ.Collector.Ingest;
using OmniTrackIQ.Collector.Tests.Ingest;
using OmniTrackIQ.Pipeline.Ingest;

namespace OmniTrackIQ.Collector.Tests.Privacy;

/// <summary>Issue 15: derived pixel ids are a keyed hash (the stored /24 plus 256 guesses must not give the address back), and still dedup.</summary>
public sealed class PixelIdTests
{
    private const string Query = $"?wk={CollectorFactory.WriteKey}&aid=noscript-1&url=https%3A%2F%2Fshop.example%2F";

    [Fact]
    public async Task A_pixel_hit_sent_again_after_a_restart_is_stored_once_and_the_key_file_is_private()
    {
        var data = Path.Combine(Path.GetTempPath(), "otq-pixel-id-" + Guid.NewGuid().ToString("N"));
        try
        {
            string id;
            await using (var first = Collector(data))
            {
                using var client = Browser(first);
                using (await client.GetAsync("/p.gif" + Query)) { }
                id = Assert.Single(await CollectorClient.WaitForEventsAsync(client, 1)).GetProperty("messageId").GetString()!;
            }

            var keyFile = Path.Combine(data, PixelIdKey.FileName);
            Assert.Equal(32, new FileInfo(keyFile).Length);
            if (!OperatingSystem.IsWindows()) { Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile)); }
            Assert.Equal(MessageIds.ForPixel(File.ReadAllBytes(keyFile), Query, SegmentRequests.BrowserUserAgent, null, TestClock.Now), id);

            await SpoolReleasedAsync(data);
            await using (var second = Collector(data))
            {
                using var client = Browser(second);
                using (await client.GetAsync("/p.gif" + Query)) { }
                using (await client.GetAsync($"/p.gif?wk={CollectorFactory.WriteKey}&mid=after-restart&aid=noscript-1")) { }
                // The sink stores in arrival order: once the later hit is there, the retry was written or deduplicated.
                // Written in one store batch, the two rows may be listed in either order.
                var rows = await CollectorClient.WaitForEventsAsync(client, 2);
                Assert.Equal(new[] { id, "after-restart" }.Order(StringComparer.Ordinal), rows.Select(r => r.GetProperty("messageId").GetString()!).Order(StringComparer.Ordinal));
            }
        }
        finally
        {
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task A_configured_key_is_the_one_every_ingest_node_hashes_with()
    {
        const string Key = "0123456789abcdef0123456789abcdef-shared-by-every-node";
        await using var factory = new CollectorFactory();
        factory.Settings["OmniTrack:Ingest:PixelIdKey"] = Key;
        using var client = Browser(factory);
        using (await client.GetAsync("/p.gif" + Query)) { }

        var row = Assert.Single(await CollectorClient.WaitForEventsAsync(client, 1));
        Assert.Equal(MessageIds.ForPixel(Encoding.UTF8.GetBytes(Key), Query, SegmentRequests.BrowserUserAgent, null, TestClock.Now), row.GetProperty("messageId").GetString());
        Assert.False(File.Exists(Path.Combine(factory.DataDirectory, PixelIdKey.FileName)));
    }

    [Fact]
    public void A_short_configured_key_stops_the_start_with_the_setting_named()
    {
        using var factory = new CollectorFactory();
        factory.Settings["OmniTrack:Ingest:PixelIdKey"] = "too-short";
        var error = Assert.Throws<InvalidOperationException>(() => factory.CreateClient());
        Assert.Contains("OmniTrack:Ingest:PixelIdKey must be at least 32 characters", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Waits (bounded) until no host of this process holds the spool's lock any more: a second in-process host started
    /// while the first one's services are still being disposed would be refused the spool, as a second process is.
    /// </summary>
    private static async Task SpoolReleasedAsync(string data)
    {
        var lockFile = Path.Combine(data, "spool", "lock");
        await Poll.UntilAsync(() =>
        {
            try
            {
                using (new FileStream(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None)) { return true; }
            }
            catch (IOException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));
    }

    private static CollectorFactory Collector(string data)
    {
        var factory = new CollectorFactory();
        factory.Settings["OmniTrack:DataDirectory"] = data;
        return factory;
    }

    private static HttpClient Browser(CollectorFactory factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd(SegmentRequests.BrowserUserAgent);
        return client;
    }
}
