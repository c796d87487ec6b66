using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OmniTrackIQ.Pipeline.Enrichment;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Ingest;
using OmniTrackIQ.Pipeline.Metrics;
using OmniTrackIQ.Pipeline.Orders;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Pipeline.Spool;
using OmniTrackIQ.Pipeline.Workspaces;
using OmniTrackIQ.Collector.Tests;

namespace OmniTrackIQ.Pipeline.Tests.Ingest;

/// <summary>
/// The ingest pipeline on its own, no HTTP: what every route gets from it (stamps, refusals named and kept as the route
/// does, the spool's answer). The routes' HTTP answers are proven in the collector's suites.
/// </summary>
public sealed class IngestPipelineTests : IAsyncLifetime
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly WorkspaceSettings s_workspace = new() { Id = "shop", WriteKey = "wk_shop" };

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "otq-ingest-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(s_now);
    private readonly CollectorMetrics _metrics = new();
    private LabeledTotals _rejected = null!;
    private SegmentedSpool _spool = null!;
    private SpoolWriter _writer = null!;
    private BadEventQueue _badEvents = null!;

    public async Task InitializeAsync()
    {
        _spool = SegmentedSpool.Open(_dir, 1 << 20, NullLogger.Instance);
        _writer = new SpoolWriter(_spool, new SpoolOptions(), new SinkQueue(64), NullLogger<SpoolWriter>.Instance);
        _badEvents = new BadEventQueue(_time, _metrics);
        _rejected = new LabeledTotals(_metrics, "otq_events_rejected_total", "reason");
        await _writer.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _writer.StopAsync(CancellationToken.None);
        _rejected.Dispose();
        _spool.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task ABatchEventAnEnricherRefusesIsAnsweredByItsPathKeptWithItsJsonAndTheOthersAreSpooledStamped()
    {
        var body = Encoding.UTF8.GetBytes("""{"batch":[{"type":"track","event":"ok","messageId":"m0","anonymousId":"a"},{"type":"track","event":"refuse me","messageId":"m1","anonymousId":"a"},{"type":"page","messageId":"m2","anonymousId":"a"}]}""");
        var batch = Parsed(IngestRoute.Batch, body);

        var outcome = await Pipeline(new RefuseEvent("refuse me")).AcceptAsync(batch, CancellationToken.None);

        var answer = Assert.IsType<AcceptedResponse>(outcome.Answer);
        Assert.Equal(2, answer.Accepted);
        Assert.Equal(new Rejection(1, "batch[1].event", "enrichment_rejected", "not wanted"), Assert.Single(answer.Rejected));
        Assert.Equal(["m0", "m2"], batch.Events.Select(e => e.MessageId));
        Assert.All(batch.Events, e => Assert.Equal(("shop", s_now), (e.Workspace, e.ReceivedAt)));
        Assert.Equal((2L, 1L), (_metrics.AcceptedEvents, _rejected.Get("enrichment_rejected")));
        var row = Assert.Single(_badEvents.Drain());
        Assert.Equal(new BadEvent("shop", """{"type":"track","event":"refuse me","messageId":"m1","anonymousId":"a"}""", "enrichment_rejected: not wanted", s_now, 1, "batch[1].event"), row);
    }

    [Fact]
    public async Task ASingleEventRouteNamesTheFieldFromTheEventsRoot()
    {
        var body = Encoding.UTF8.GetBytes("""{"event":"refuse me","messageId":"m1","anonymousId":"a"}""");
        var batch = Parsed(IngestRoute.SingleEvent, body, EventType.Track);

        var outcome = await Pipeline(new RefuseEvent("refuse me")).AcceptAsync(batch, CancellationToken.None);

        Assert.Equal(new Rejection(0, "event", "enrichment_rejected", "not wanted"), Assert.Single(outcome.Answer!.Rejected));
        Assert.Equal(0, outcome.Answer.Accepted);
        Assert.Equal(0L, _metrics.AcceptedEvents);
    }

    [Fact]
    public async Task AnOrderWhoseConversionIsRefusedLeavesWithItsLandingViewAndIsKeptWithItsOrderId()
    {
        // 1002's conversion is refused: its landing view (the next event, same item) must not be stored without it.
        var reports = new List<(OrderReport, string)> { (Order("1001"), "r1"), (Order("1002"), "r2") };
        var batch = OrderBatch.From(IngestRoute.ConversionApi, reports, s_workspace, s_now, []);
        Assert.Equal(4, batch.Events.Count);

        var outcome = await Pipeline(new RefuseEventWithId("r2")).AcceptAsync(batch, CancellationToken.None);

        Assert.Equal(1, outcome.Answer!.Accepted);
        Assert.Equal(new Rejection(1, "orders[1].properties", "enrichment_rejected", "not wanted"), Assert.Single(outcome.Answer.Rejected));
        Assert.Equal(["r1", "r1:landing"], batch.Events.Select(e => e.MessageId).Order());
        Assert.Equal("""{"orderId":"1002"}""", Assert.Single(_badEvents.Drain()).Payload);
    }

    [Fact]
    public async Task AWebhookOrderRefusalIsKeptWithTheSignedPayloadWithoutAnIndexAndNotCounted()
    {
        var body = Encoding.UTF8.GetBytes("""{"id":1002,"email":"jane@example.com"}""");
        var batch = OrderBatch.From(IngestRoute.ShopifyWebhook, [(Order("1002"), "r2")], s_workspace, s_now, [], body);

        var outcome = await Pipeline(new RefuseEventWithId("r2")).AcceptAsync(batch, CancellationToken.None);

        Assert.Equal((0, 0), (outcome.Answer!.Accepted, outcome.Answer.Rejected.Count));
        var row = Assert.Single(_badEvents.Drain());
        Assert.Equal(("enrichment_rejected: not wanted", (int?)null, "orders[0].properties"), (row.Reason, row.Index, row.Field));
        Assert.DoesNotContain("jane@example.com", row.Payload, StringComparison.Ordinal);
        Assert.Equal(0L, _rejected.Get("enrichment_rejected"));
    }

    [Fact]
    public async Task APixelHitTheSpoolHasNoRoomForIsARefusalKeptWithItsQueryNotA503()
    {
        var pipeline = PipelineOverItsLimit();
        var hit = new TrackedEvent { Type = EventType.Page, MessageId = "p1", AnonymousId = "a" };
        var batch = new IngestBatch(IngestRoute.Pixel, new IngestRequest(null, null, false, s_workspace), s_now, [hit], []) { Query = "?wk=wk_shop&uid=jane%40example.com" };

        var outcome = await pipeline.AcceptAsync(batch, CancellationToken.None);

        Assert.False(outcome.SpoolUnavailable);
        Assert.Equal(0, outcome.Answer!.Accepted);
        var row = Assert.Single(_badEvents.Drain());
        Assert.Equal(("$: spool full", "$"), (row.Reason, row.Field));
        Assert.StartsWith("?wk=wk_shop&uid=sha256:", row.Payload, StringComparison.Ordinal);
        Assert.Equal((1L, 0L, 0L), (_rejected.Get("spool_full"), _metrics.SpoolFullRejections, _metrics.AcceptedEvents));
    }

    [Fact]
    public async Task ABatchTheSpoolCannotTakeIsAnswered503WithRetryAfterAndKeepsNothing()
    {
        var body = Encoding.UTF8.GetBytes("""{"batch":[{"type":"track","event":"ok","messageId":"m0","anonymousId":"a"},{"type":"bogus"}]}""");
        var batch = Parsed(IngestRoute.Batch, body);
        Assert.Single(batch.Rejected);
        await _writer.StopAsync(CancellationToken.None); // the group-commit loop takes nothing more: the append fails

        var outcome = await Pipeline(options: new SpoolOptions { RetryAfterSeconds = 7 }).AcceptAsync(batch, CancellationToken.None);

        Assert.True(outcome.SpoolUnavailable);
        Assert.Equal(7, outcome.RetryAfterSeconds);
        // The client sends the batch again: its refusal is kept then, not twice.
        Assert.Empty(_badEvents.Drain());
        Assert.Equal((1L, 0L, 0L), (_metrics.SpoolFullRejections, _metrics.AcceptedEvents, _rejected.Get("invalid_type")));
    }

    [Fact]
    public async Task EventsAnotherNodeMadeDurableAreAnsweredAcceptedCountedAndNotSpooledAndTheRestMarkedOnlyAfterTheFsync()
    {
        using var skipped = new LabeledTotals(_metrics, "otq_ingest_duplicates_skipped_total", "workspace");
        var body = Encoding.UTF8.GetBytes("""{"batch":[{"type":"track","event":"ok","messageId":"m0","anonymousId":"a"},{"type":"page","messageId":"m1","anonymousId":"a"},{"type":"bogus"},{"type":"page","messageId":"m2","anonymousId":"a"}]}""");
        var batch = Parsed(IngestRoute.Batch, body);
        var ids = new KnownIds(_spool, "m1");
        var durableBefore = _spool.DurableEnd;

        var answer = (await Pipeline(durableIds: ids).AcceptAsync(batch, CancellationToken.None)).Answer!;

        Assert.Equal(3, answer.Accepted); // as the store's dedup would answer the copy
        Assert.Equal("invalid_type", Assert.Single(answer.Rejected).Reason);
        Assert.Equal(["m0", "m2"], batch.Events.Select(e => e.MessageId));
        Assert.Equal((3L, 1L), (_metrics.AcceptedEvents, skipped.Get("shop")));
        Assert.Equal(["m0", "m2"], ids.Marked);
        Assert.True(ids.DurableEndWhenMarked > durableBefore); // the group commit's fsync came first
    }

    [Fact]
    public async Task ABatchWhoseEventsAreAllDurableElsewhereIsAnsweredWithoutTheSpool()
    {
        var body = Encoding.UTF8.GetBytes("""{"batch":[{"type":"page","messageId":"m0","anonymousId":"a"}]}""");
        var ids = new KnownIds(_spool, "m0");
        await _writer.StopAsync(CancellationToken.None); // a spool append would fail: none is made

        var outcome = await Pipeline(durableIds: ids).AcceptAsync(Parsed(IngestRoute.Batch, body), CancellationToken.None);

        Assert.Equal(1, outcome.Answer!.Accepted);
        Assert.Empty(ids.Marked);
    }

    [Fact]
    public async Task NothingIsMarkedDurableWhenTheSpoolCannotTakeTheBatch()
    {
        var body = Encoding.UTF8.GetBytes("""{"batch":[{"type":"page","messageId":"m0","anonymousId":"a"},{"type":"page","messageId":"m1","anonymousId":"a"}]}""");
        var ids = new KnownIds(_spool, "m1");
        await _writer.StopAsync(CancellationToken.None);

        var outcome = await Pipeline(durableIds: ids).AcceptAsync(Parsed(IngestRoute.Batch, body), CancellationToken.None);

        Assert.True(outcome.SpoolUnavailable);
        Assert.Empty(ids.Marked);
        Assert.Equal(0L, _metrics.AcceptedEvents);
    }

    [Fact]
    public void IsFullCountsTheRefusalAndGivesTheRetryAfter()
    {
        Assert.False(Pipeline().IsFull(out _));
        Assert.Equal(0L, _metrics.SpoolFullRejections);
        Assert.True(PipelineOverItsLimit(retryAfterSeconds: 9).IsFull(out var retryAfter));
        Assert.Equal((9, 1L), (retryAfter, _metrics.SpoolFullRejections));
    }

    [Fact]
    public async Task AnAnswerListsRefusalsUpToItsByteBudgetAndCountsTheRestAsOmitted()
    {
        var events = string.Join(",", Enumerable.Range(0, 200).Select(i => $$"""{"type":"bogus{{i}}"}"""));
        var batch = Parsed(IngestRoute.Batch, Encoding.UTF8.GetBytes($$"""{"batch":[{{events}}]}"""));

        var answer = (await Pipeline().AcceptAsync(batch, CancellationToken.None)).Answer!;

        Assert.Equal(200, answer.Rejected.Count + answer.RejectedOmitted);
        Assert.InRange(answer.RejectedOmitted, 1, 199);
        Assert.Equal(Enumerable.Range(0, answer.Rejected.Count), answer.Rejected.Select(r => r.Index));
        Assert.Equal(200L, _rejected.Get("invalid_type"));
    }

    private static IngestBatch Parsed(IngestRoute route, byte[] body, EventType? single = null)
    {
        Assert.Null(BatchParser.TryParse(body, single, out var parsed));
        return new IngestBatch(route, new IngestRequest(null, null, false, s_workspace), s_now, parsed.Events, parsed.Rejected) { Body = body };
    }

    private static OrderReport Order(string id) => new()
    {
        OrderId = id,
        Timestamp = s_now.AddMinutes(-5),
        Gross = 10m,
        Currency = "EUR",
        Status = "paid",
        LandingUrl = "https://shop.example/?utm_source=news",
    };

    private IngestPipeline Pipeline(IEventEnricher? enricher = null, SpoolOptions? options = null, IDurableMessageIds? durableIds = null) =>
        new(enricher is null ? [] : [enricher], _writer, options ?? new SpoolOptions(), _badEvents, _metrics, _time, durableIds);

    /// <summary>A pipeline whose spool is over its limit: a limit of 0 bytes is reached by the empty spool.</summary>
    private IngestPipeline PipelineOverItsLimit(int retryAfterSeconds = 5)
    {
        var options = new SpoolOptions { MaxBytes = 0, RetryAfterSeconds = retryAfterSeconds };
        return new([], new SpoolWriter(_spool, options, new SinkQueue(64), NullLogger<SpoolWriter>.Instance), options, _badEvents, _metrics, _time);
    }

    /// <summary>Ids another node made durable; records what this node marks and how far its spool was durable then.</summary>
    private sealed class KnownIds(SegmentedSpool spool, params string[] durable) : IDurableMessageIds
    {
        public List<string> Marked { get; } = [];

        public SpoolPosition DurableEndWhenMarked { get; private set; }

        public ValueTask<bool[]?> FindDurableAsync(string workspace, IReadOnlyList<TrackedEvent> events, CancellationToken cancellationToken) =>
            ValueTask.FromResult<bool[]?>(events.Select(e => workspace == "shop" && durable.Contains(e.MessageId)).ToArray());

        public ValueTask MarkDurableAsync(string workspace, IReadOnlyList<TrackedEvent> events)
        {
            Marked.AddRange(events.Select(e => e.MessageId));
            DurableEndWhenMarked = spool.DurableEnd;
            return ValueTask.CompletedTask;
        }
    }

    private sealed class RefuseEvent(string name) : IEventEnricher
    {
        public EnrichmentVerdict Enrich(TrackedEvent evt, in IngestRequest request) =>
            evt.Event == name ? EnrichmentVerdict.Reject("event", "not wanted") : EnrichmentVerdict.Accept;
    }

    /// <summary>Refuses the event with this message id (an order's conversion has its report's id, <see cref="OrderEvents"/>).</summary>
    private sealed class RefuseEventWithId(string messageId) : IEventEnricher
    {
        public EnrichmentVerdict Enrich(TrackedEvent evt, in IngestRequest request) =>
            evt.MessageId == messageId ? EnrichmentVerdict.Reject("properties", "not wanted") : EnrichmentVerdict.Accept;
    }
}
