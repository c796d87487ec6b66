using System.Globalization;
using System.Text;
using System.Web;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Startup;
using OmniTrackIQ.Store.ClickHouse;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>
/// Issue 16: the ClickHouse writer asks the server what is stored only where it cannot know (after it starts and after a
/// failed write); past that its recent-id filter skips what it stored. What neither catches is stored again, and every
/// read still counts it once (the edge the store's README names).
/// </summary>
public sealed class ClickHouseWriteCheckTests(ClickHouseServerFixture server) : IClassFixture<ClickHouseServerFixture>, IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 11, 0, 0, TimeSpan.Zero);
    private readonly List<IDisposable> _disposables = [];
    private readonly string _workspace = "check-" + Guid.NewGuid().ToString("N")[..10];

    [SkippableFact]
    public async Task Past_the_check_window_the_store_skips_what_it_stored_without_asking_the_server()
    {
        var (store, _, wire) = await OpenAsync(recentIds: 100, checkEvents: 2);

        Assert.Equal(2, await store.WriteEventsAsync([Event("a"), Event("b")], CancellationToken.None)); // just started: checked
        Assert.Equal(1, await store.WriteEventsAsync([Event("c")], CancellationToken.None));
        Assert.Equal(0, await store.WriteEventsAsync([Event("a"), Event("c")], CancellationToken.None));

        Assert.Equal(1, wire.ExistenceQueries);
        Assert.Equal(3, await RowsAsync());
    }

    [SkippableFact]
    public async Task An_insert_whose_answer_was_lost_is_found_on_the_server_when_the_batch_is_written_again()
    {
        var (store, _, wire) = await OpenAsync(recentIds: 100, checkEvents: 2);
        Assert.Equal(2, await store.WriteEventsAsync([Event("a"), Event("b")], CancellationToken.None));
        wire.LoseInsertAnswers = 1; // the rows land, the store sees a failure (a timeout after the server committed)

        await Assert.ThrowsAsync<HttpRequestException>(() => store.WriteEventsAsync([Event("c"), Event("d")], CancellationToken.None));
        Assert.Equal(4, await RowsAsync());

        Assert.Equal(0, await store.WriteEventsAsync([Event("c"), Event("d")], CancellationToken.None)); // the sink's retry
        Assert.Equal(2, wire.ExistenceQueries);
        Assert.Equal(4, await RowsAsync());
        Assert.Equal(4, (await store.GetStatsAsync(_workspace, CancellationToken.None)).Total);
    }

    [SkippableFact]
    public async Task An_event_the_filter_forgot_after_the_check_window_is_stored_again_yet_every_read_counts_it_once()
    {
        var (store, browser, wire) = await OpenAsync(recentIds: 1, checkEvents: 0);
        Assert.Equal(1, await store.WriteEventsAsync([Event("a")], CancellationToken.None));
        Assert.Equal(1, await store.WriteEventsAsync([Event("b")], CancellationToken.None)); // "a" leaves the filter

        Assert.Equal(1, await store.WriteEventsAsync([Event("a")], CancellationToken.None)); // counted as new again: the documented edge

        Assert.Equal(0, wire.ExistenceQueries);
        Assert.Equal(3, await RowsAsync());
        var stats = await store.GetStatsAsync(_workspace, CancellationToken.None);
        Assert.Equal(2, stats.Total);
        Assert.Equal(2, stats.ByType["page"]);
        Assert.Equal(["a", "b"], (await browser.RecentEventsAsync(_workspace, 10, CancellationToken.None)).Select(e => e.MessageId).Order());
    }

    private async Task<(ClickHouseEventStore Store, ClickHouseEventBrowser Browser, WireLog Wire)> OpenAsync(int recentIds, long checkEvents)
    {
        server.RequireServer();
        var options = server.Options();
        options.RecentIdCapacity = recentIds;
        options.ExistenceCheckEvents = checkEvents;
        var wire = new WireLog { InnerHandler = new SocketsHttpHandler() };
        var database = new ClickHouseDatabase(options, server.Time, wire);
        _disposables.Add(database);
        var readiness = new StoreReadiness();
        await new ClickHouseMigrations(database, readiness, server.Time).MigrateAsync(CancellationToken.None); // no host here: the step by hand
        await server.StopMergesAsync("events"); // copies must stay unmerged for the reads to prove they do not depend on merges
        wire.ExistenceQueries = 0;
        return (new ClickHouseEventStore(database, readiness), new ClickHouseEventBrowser(database, readiness), wire);
    }

    /// <summary>Rows of the workspace as stored, copies included.</summary>
    private async Task<long> RowsAsync() => long.Parse(
        (await server.QueryAsync($"SELECT count() FROM {server.Database}.events WHERE workspace = '{_workspace}' FORMAT TabSeparated")).Trim(),
        CultureInfo.InvariantCulture);

    private TrackedEvent Event(string id) => new()
    {
        Workspace = _workspace, MessageId = id, Type = EventType.Page, AnonymousId = "anon-" + id, Ts = T0, ReceivedAt = T0,
    };

    public void Dispose()
    {
        foreach (var disposable in _disposables) { disposable.Dispose(); }
    }

    /// <summary>
    /// Passes every request to the server; counts the writer's existence queries, and can lose the answer to the next
    /// inserts into events after the server took them.
    /// </summary>
    private sealed class WireLog : DelegatingHandler
    {
        private int _existenceQueries;

        public int ExistenceQueries { get => Volatile.Read(ref _existenceQueries); set => Volatile.Write(ref _existenceQueries, value); }

        public int LoseInsertAnswers { get; set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var statement = HttpUtility.ParseQueryString(request.RequestUri?.Query ?? "")["query"] ?? "";
            if (statement.Length == 0 && request.Content is not null)
            {
                // The driver may send the statement as the body's first line, ahead of the rows.
                var body = await request.Content.ReadAsByteArrayAsync(cancellationToken);
                var end = body.AsSpan().IndexOf((byte)'\n');
                statement = Encoding.UTF8.GetString(body, 0, end < 0 ? body.Length : end);
            }

            if (statement.Contains("batch_ids", StringComparison.Ordinal)) { Interlocked.Increment(ref _existenceQueries); }
            var response = await base.SendAsync(request, cancellationToken);
            if (LoseInsertAnswers > 0 && response.IsSuccessStatusCode && statement.StartsWith("INSERT INTO", StringComparison.Ordinal) &&
                statement.Contains(".events", StringComparison.Ordinal))
            {
                LoseInsertAnswers--;
                response.Dispose();
                throw new HttpRequestException("the answer to the insert was lost");
            }

            return response;
        }
    }
}
