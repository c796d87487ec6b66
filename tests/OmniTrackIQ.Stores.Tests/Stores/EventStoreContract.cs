using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Sink;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>A migrated store under test, its browser, and its start-up step to run again (<paramref name="MigrateAgain"/>).</summary>
public sealed record StoreUnderTest(IEventStore Store, IEventBrowser Browser, Func<Task> MigrateAgain);

/// <summary>
/// What every <see cref="IEventStore"/> must do, run against each store by a subclass. Each test uses its own
/// workspace, so a subclass may share one database across the tests of a class.
/// </summary>
public abstract class EventStoreContract
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 23, 11, 59, 59, 123, TimeSpan.Zero);

    protected string Workspace { get; } = "ws-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The store, its start-up step run.</summary>
    protected abstract Task<StoreUnderTest> OpenAsync();

    /// <summary>
    /// Stores <paramref name="events"/> as a second writer racing the first would: past the store's own "already
    /// stored?" check where it has one, so that reads meet unmerged copies.
    /// </summary>
    protected abstract Task WriteRacingCopyAsync(StoreUnderTest store, IReadOnlyList<TrackedEvent> events);

    protected TrackedEvent Event(string id, EventType type = EventType.Page, string? channel = "Direct", int second = 0) => new()
    {
        Workspace = Workspace, MessageId = id, Type = type, Channel = channel, AnonymousId = "anon-" + id,
        Ts = T0.AddSeconds(second), ReceivedAt = T0.AddSeconds(second + 1),
    };

    [SkippableFact]
    public async Task Duplicates_in_a_batch_and_across_batches_are_stored_once_and_not_counted_as_new()
    {
        var s = await OpenAsync();
        Assert.Equal(2, await s.Store.WriteEventsAsync([Event("a"), Event("b"), Event("a")], CancellationToken.None));
        Assert.Equal(1, await s.Store.WriteEventsAsync([Event("b"), Event("c")], CancellationToken.None));
        Assert.Equal(0, await s.Store.WriteEventsAsync([Event("c"), Event("a"), Event("b")], CancellationToken.None));

        // The key is (workspace, message id): the same id in another workspace is another event.
        var other = Event("a");
        other.Workspace = Workspace + "-other";
        Assert.Equal(1, await s.Store.WriteEventsAsync([other], CancellationToken.None));

        Assert.Equal(3, (await s.Store.GetStatsAsync(Workspace, CancellationToken.None)).Total);
        Assert.Equal(1, (await s.Store.GetStatsAsync(other.Workspace, CancellationToken.None)).Total);
        Assert.Equal(["a", "b", "c"], (await s.Browser.RecentEventsAsync(Workspace, 100, CancellationToken.None)).Select(e => e.MessageId).Order());
    }

    [SkippableFact]
    public async Task A_store_opened_again_skips_what_the_earlier_one_stored_and_counts_it_not_as_new()
    {
        var first = await OpenAsync();
        Assert.Equal(2, await first.Store.WriteEventsAsync([Event("a"), Event("b")], CancellationToken.None));

        // A restarted process: its spool replays what the earlier one may have stored before it died.
        var again = await OpenAsync();
        Assert.Equal(1, await again.Store.WriteEventsAsync([Event("a"), Event("b"), Event("c")], CancellationToken.None));

        Assert.Equal(3, (await again.Store.GetStatsAsync(Workspace, CancellationToken.None)).Total);
        Assert.Equal(["a", "b", "c"], (await again.Browser.RecentEventsAsync(Workspace, 100, CancellationToken.None)).Select(e => e.MessageId).Order());
    }

    [SkippableFact]
    public async Task Long_and_multibyte_values_come_back_whole()
    {
        var s = await OpenAsync();
        var e = Event("long");
        e.PageTitle = new string('t', 126) + "ü"; // 128 UTF-8 bytes: a length of two varint bytes in ClickHouse's RowBinary
        e.PropertiesJson = "{\"text\":\"" + string.Concat(Enumerable.Repeat("€😀", 3_000)) + "\"}"; // 21 KB: three length bytes
        e.UserAgent = "";
        await s.Store.WriteEventsAsync([e], CancellationToken.None);

        var back = Assert.Single(await s.Browser.RecentEventsAsync(Workspace, 10, CancellationToken.None));
        Assert.Equal(e.PageTitle, back.PageTitle);
        Assert.Equal(e.PropertiesJson, back.Properties);
        Assert.Equal("", back.UserAgent);
    }

    [SkippableFact]
    public async Task Stats_count_by_type_and_by_channel_with_unassigned_for_no_channel()
    {
        var s = await OpenAsync();
        await s.Store.WriteEventsAsync(
            [Event("p1"), Event("p2", channel: "Email"), Event("t1", EventType.Track, null), Event("c1", EventType.Conversion, "Email")],
            CancellationToken.None);

        var stats = await s.Store.GetStatsAsync(Workspace, CancellationToken.None);
        Assert.Equal(Workspace, stats.Workspace);
        Assert.Equal(4, stats.Total);
        Assert.Equal(new Dictionary<string, long> { ["page"] = 2, ["track"] = 1, ["conversion"] = 1 }, stats.ByType);
        Assert.Equal(new Dictionary<string, long> { ["Direct"] = 1, ["Email"] = 2, ["Unassigned"] = 1 }, stats.ByChannel);
        Assert.Equal(0, (await s.Store.GetStatsAsync(Workspace + "-none", CancellationToken.None)).Total);
    }

    [SkippableFact]
    public async Task Reads_stay_exact_when_a_racing_writer_stored_an_event_again()
    {
        var s = await OpenAsync();
        await s.Store.WriteEventsAsync([Event("a"), Event("b", EventType.Conversion, "Email")], CancellationToken.None);
        // The same events sent again and skew-corrected to another ts: another sorting key, same message id.
        await WriteRacingCopyAsync(s, [Event("a", second: 5), Event("b", EventType.Conversion, "Email", second: 5)]);

        var stats = await s.Store.GetStatsAsync(Workspace, CancellationToken.None);
        Assert.Equal(2, stats.Total);
        Assert.Equal(1, stats.ByType["page"]);
        Assert.Equal(1, stats.ByType["conversion"]);
        Assert.Equal(1, stats.ByChannel["Email"]);
        Assert.Equal(["a", "b"], (await s.Browser.RecentEventsAsync(Workspace, 100, CancellationToken.None)).Select(e => e.MessageId).Order());
        Assert.Equal(0, await s.Store.WriteEventsAsync([Event("a"), Event("b")], CancellationToken.None));
    }

    [SkippableFact]
    public async Task Recent_events_give_back_every_column_as_written()
    {
        var s = await OpenAsync();
        var full = new TrackedEvent
        {
            Workspace = Workspace, MessageId = "m-'quoted'\\back", Type = EventType.Conversion, Event = "Order Completed ✓",
            AnonymousId = "anon-ü", UserId = "user\t1", Timestamp = T0.AddMinutes(-1), Ts = T0, ReceivedAt = T0.AddMilliseconds(456),
            PropertiesJson = """{"note":"it's \"fine\" \\ ok","emoji":"😀"}""", Revenue = 99_999_999_999_999.9999m, Currency = "EUR",
            OrderId = "123456789012345678901234567890", PageUrl = "https://shop.example/?q=a'b&x=\\", PageReferrer = "https://google.com/",
            PageTitle = "Kasse – Bestätigung\n", UtmSource = "google", UtmMedium = "cpc", UtmCampaign = "black'friday", UtmTerm = "schuhe",
            UtmContent = "ad-1", ClickIdType = "gclid", ClickId = "Cj0KCQ", EmailSha256 = new string('e', 64), PhoneSha256 = new string('f', 64),
            PreviousId = "prev-1", GroupId = "grp-1", Ip = "203.0.113.0", UserAgent = "Mozilla/5.0 (X11; Linux x86_64)", Country = "DE",
            Browser = "Firefox", DeviceClass = "desktop", IsBot = true, Channel = "Paid Search", Flags = "truncated:batch[0].context.page.title",
            ConsentAnalytics = true, ConsentAds = false, GlobalPrivacyControl = true, Region = "BE", City = "Berlin", Asn = 4_000_000_000,
            AsnOrganization = "Org", BrowserVersion = "140", Os = "Linux", OsVersion = "6", DeviceFamily = "Other", DeviceBrand = "b",
            DeviceModel = "m", AdPlatform = "Google Ads", OrderSource = "s2s", OrderStatus = "paid", Refunded = 0.0001m, NetRevenue = -12.5m,
            SourceName = "web",
        };
        var bare = new TrackedEvent { Workspace = Workspace, MessageId = "bare", Type = EventType.Identify, UserId = "u", Ts = T0, ReceivedAt = T0 };
        await s.Store.WriteEventsAsync([full], CancellationToken.None);
        await s.Store.WriteEventsAsync([bare], CancellationToken.None);

        var events = await s.Browser.RecentEventsAsync(Workspace, 10, CancellationToken.None);
        Assert.Equal(2, events.Count);
        var expectedFull = new StoredEvent(
            full.MessageId, "conversion", full.Event, full.AnonymousId, full.UserId, T0.UtcDateTime, T0.AddMilliseconds(456).UtcDateTime,
            full.PropertiesJson, full.Revenue, "EUR", full.OrderId, full.PageUrl, full.PageReferrer, full.PageTitle, "google", "cpc",
            "black'friday", "schuhe", "ad-1", "gclid", "Cj0KCQ", full.EmailSha256, full.PhoneSha256, "prev-1", "grp-1", "203.0.113.0",
            full.UserAgent, "DE", "Firefox", "desktop", true, "Paid Search", full.Flags);
        Assert.Equal(expectedFull, events[0]);
        Assert.Equal(DateTimeKind.Utc, events[0].Ts.Kind);
        Assert.Equal(DateTimeKind.Utc, events[0].ReceivedAt.Kind);
        var expectedBare = new StoredEvent("bare", "identify", null, null, "u", T0.UtcDateTime, T0.UtcDateTime, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, false, null, null);
        Assert.Equal(expectedBare, events[1]);
    }

    [SkippableFact]
    public async Task Recent_events_are_the_last_loaded_oldest_first()
    {
        var s = await OpenAsync();
        // Load order, not event time: the last batch carries the oldest ts.
        await s.Store.WriteEventsAsync([Event("1", second: 30), Event("2", second: 20)], CancellationToken.None);
        await s.Store.WriteEventsAsync([Event("3", second: 10)], CancellationToken.None);

        Assert.Equal(["2", "3"], (await s.Browser.RecentEventsAsync(Workspace, 2, CancellationToken.None)).Select(e => e.MessageId));
        Assert.Equal(["1", "2", "3"], (await s.Browser.RecentEventsAsync(Workspace, 10, CancellationToken.None)).Select(e => e.MessageId));
    }

    [SkippableFact]
    public async Task Bad_events_come_back_per_workspace_last_ones_oldest_first()
    {
        var s = await OpenAsync();
        var payload = """{"type":"track","note":"it's \\ \"bad\" – ü 😀"}""" + "\n";
        await s.Store.WriteBadEventsAsync(
        [
            new BadEvent(Workspace, "first", "invalid_json: x", T0),
            new BadEvent(Workspace, payload, "missing_field: messageId", T0.AddMilliseconds(1), 3, "batch[3].messageId"),
            new BadEvent(null, "no workspace", "unknown_write_key", T0),
            new BadEvent(Workspace + "-other", "elsewhere", "r", T0),
        ], CancellationToken.None);
        await s.Store.WriteBadEventsAsync([new BadEvent(Workspace, "third", "event_too_large: 40000 bytes", T0.AddSeconds(2), 0, "batch[0]")], CancellationToken.None);

        Assert.Equal(
            [
                new StoredBadEvent(3, "batch[3].messageId", "missing_field: messageId", payload, T0.AddMilliseconds(1).UtcDateTime),
                new StoredBadEvent(0, "batch[0]", "event_too_large: 40000 bytes", "third", T0.AddSeconds(2).UtcDateTime),
            ],
            await s.Browser.RecentBadEventsAsync(Workspace, 2, CancellationToken.None));
        var all = await s.Browser.RecentBadEventsAsync(Workspace, 10, CancellationToken.None);
        Assert.Equal(new StoredBadEvent(null, null, "invalid_json: x", "first", T0.UtcDateTime), all[0]);
        Assert.Equal(3, all.Count);
    }

    [SkippableFact]
    public async Task Migrating_again_keeps_the_data_and_ping_answers()
    {
        var s = await OpenAsync();
        await s.Store.WriteEventsAsync([Event("a")], CancellationToken.None);
        await s.MigrateAgain();
        Assert.Equal(1, (await s.Store.GetStatsAsync(Workspace, CancellationToken.None)).Total);
        Assert.True(await s.Store.PingAsync(CancellationToken.None));
    }
}
