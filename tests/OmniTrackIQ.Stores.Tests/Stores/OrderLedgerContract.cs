using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Orders;
using OmniTrackIQ.Pipeline.Sink;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>An initialised event store and the ledger over it.</summary>
public sealed record LedgerUnderTest(IEventStore Store, IOrderLedger Ledger);

/// <summary>One row of the store's orders relation (the DuckDB view, the ClickHouse OrdersSql subquery).</summary>
public sealed record OrderFigures(decimal? Gross, decimal Refunded, decimal? Net, string? Currency, string Status, long Reports);

/// <summary>
/// What every <see cref="IOrderLedger"/> must answer for orders reported as conversion events (OrderEvents: one
/// event per report, <c>Event = "Refund"</c> for a refund report), run against each store by a subclass. Each test
/// uses its own workspace.
/// </summary>
public abstract class OrderLedgerContract
{
    private static readonly DateTimeOffset s_placed = new(2026, 11, 20, 9, 30, 0, 250, TimeSpan.Zero);

    protected string Workspace { get; } = "ws-" + Guid.NewGuid().ToString("N")[..12];

    protected abstract Task<LedgerUnderTest> OpenAsync();

    /// <summary>Stores <paramref name="events"/> past the store's "already stored?" check where it has one (a writers' race).</summary>
    protected abstract Task WriteRacingCopyAsync(LedgerUnderTest store, IReadOnlyList<TrackedEvent> events);

    /// <summary>The order's row of the relation other queries join (null when absent).</summary>
    protected abstract Task<OrderFigures?> ReadOrderRowAsync(string workspace, string orderId);

    [SkippableFact]
    public async Task An_unknown_order_or_one_of_another_workspace_is_null()
    {
        var s = await OpenAsync();
        await Write(s, Report("m1", "o-1", OrderSources.ShopifyWebhook, "paid", 10m));

        Assert.Null(await s.Ledger.GetAsync(Workspace, "o-2", CancellationToken.None));
        Assert.Null(await s.Ledger.GetAsync(Workspace + "-other", "o-1", CancellationToken.None));
        Assert.Null(await ReadOrderRowAsync(Workspace + "-other", "o-1"));
        Assert.NotNull(await s.Ledger.GetAsync(Workspace, "o-1", CancellationToken.None));
    }

    [SkippableFact]
    public async Task The_most_authoritative_source_decides_even_when_received_earlier_and_sources_list_it_first()
    {
        var s = await OpenAsync();
        await Write(s, Report("shop", "o-1", OrderSources.ShopifyWebhook, "paid", 90m, receivedSecond: 1, currency: "EUR"));
        await Write(s, Report("s2s", "o-1", OrderSources.ServerToServer, "pending", 95m, receivedSecond: 2, currency: "GBP"));
        await Write(s, Report("px", "o-1", OrderSources.Pixel, "paid", 100m, receivedSecond: 3, currency: "USD"));
        await Write(s, Report("px2", "o-2", OrderSources.Pixel, "paid", 100m, receivedSecond: 3));
        await Write(s, Report("s2s2", "o-2", OrderSources.ServerToServer, "pending", 80m, receivedSecond: 1));

        var order = await Get(s, "o-1");
        Assert.Equal(("paid", 90m, 0m, 90m, "EUR"), (order.Status, order.Gross, order.Refunded, order.Net, order.Currency));
        Assert.Equal(["shopify", "s2s", "pixel"], order.Sources);
        Assert.Equal(["shop", "s2s", "px"], order.Reports.Select(r => r.MessageId));
        var o2 = await Get(s, "o-2");
        Assert.Equal(("pending", 80m), (o2.Status, o2.Gross));
        Assert.Equal(["s2s", "pixel"], o2.Sources);
        await AssertRowMatchesLedger("o-1", order);
        await AssertRowMatchesLedger("o-2", o2);
    }

    [SkippableFact]
    public async Task Within_a_source_reports_without_a_state_time_rank_by_receipt_then_by_load()
    {
        var s = await OpenAsync();
        // Loaded in the opposite order to their receipt: receipt wins.
        await Write(s, Report("late", "o-1", OrderSources.ShopifyWebhook, "paid", 120m, receivedSecond: 9));
        await Write(s, Report("early", "o-1", OrderSources.ShopifyWebhook, "pending", 100m, receivedSecond: 2));
        // Received at the same instant: the one loaded last wins.
        await Write(s, Report("first", "o-2", OrderSources.ServerToServer, "pending", 10m, receivedSecond: 5));
        await Write(s, Report("second", "o-2", OrderSources.ServerToServer, "paid", 11m, receivedSecond: 5));

        Assert.Equal(("paid", 120m), await StatusAndGross(s, "o-1"));
        Assert.Equal(("paid", 11m), await StatusAndGross(s, "o-2"));
        var o1 = await Get(s, "o-1");
        Assert.Equal(["late", "early"], o1.Reports.Select(r => r.MessageId));
        var early = o1.Reports[1];
        Assert.Equal(new OrderReportRow("shopify", "pending", "Order", 100m, 0m, null, s_placed.UtcDateTime, s_placed.AddSeconds(2).UtcDateTime, "early", null), early);
        Assert.Equal(DateTimeKind.Utc, early.ReceivedAt.Kind);
    }

    [SkippableFact]
    public async Task Within_a_source_the_reports_own_state_time_decides_so_an_old_report_arriving_late_or_replayed_cannot_undo_a_newer_one()
    {
        var s = await OpenAsync();
        // o-1: cancelled (state at +2 h) arrives first; the older paid (state at +1 h) arrives after it, as a replay would.
        await Write(s, Report("cancel", "o-1", OrderSources.ShopifyWebhook, "cancelled", 100m, receivedSecond: 1, updatedSecond: 7200));
        await Write(s, Report("paid", "o-1", OrderSources.ShopifyWebhook, "paid", 100m, receivedSecond: 9, updatedSecond: 3600));
        // o-2: the same two reports in the order they happened.
        await Write(s, Report("paid2", "o-2", OrderSources.ShopifyWebhook, "paid", 100m, receivedSecond: 1, updatedSecond: 3600));
        await Write(s, Report("cancel2", "o-2", OrderSources.ShopifyWebhook, "cancelled", 100m, receivedSecond: 9, updatedSecond: 7200));

        var late = await Get(s, "o-1");
        Assert.Equal(("cancelled", 100m, 0m), (late.Status, late.Gross, late.Net));
        var inOrder = await Get(s, "o-2");
        Assert.Equal(("cancelled", 0m), (inOrder.Status, inOrder.Net));
        // The history is still every report in load order, each with its state time.
        Assert.Equal([("cancel", s_placed.AddHours(2).UtcDateTime), ("paid", s_placed.AddHours(1).UtcDateTime)],
            late.Reports.Select(r => (r.MessageId, r.UpdatedAt!.Value)));
        Assert.Equal(DateTimeKind.Utc, late.Reports[0].UpdatedAt!.Value.Kind);
        await AssertRowMatchesLedger("o-1", late);
    }

    [SkippableFact]
    public async Task A_newer_state_time_never_beats_a_more_authoritative_source_and_a_report_without_one_counts_at_its_arrival()
    {
        var s = await OpenAsync();
        await Write(s, Report("shop", "o-1", OrderSources.ShopifyWebhook, "paid", 90m, receivedSecond: 1, updatedSecond: 60));
        await Write(s, Report("s2s", "o-1", OrderSources.ServerToServer, "cancelled", 90m, receivedSecond: 2, updatedSecond: 7200));
        Assert.Equal(("paid", 90m), await StatusAndGross(s, "o-1"));

        // S2S: one report says its state is from +30 s, one says nothing and arrived at +40 s: the latter is newer.
        await Write(s, Report("timeless", "o-2", OrderSources.ServerToServer, "paid", 12m, receivedSecond: 40));
        await Write(s, Report("timed", "o-2", OrderSources.ServerToServer, "pending", 11m, receivedSecond: 50, updatedSecond: 30));
        Assert.Equal(("paid", 12m), await StatusAndGross(s, "o-2"));
        var o2 = await Get(s, "o-2");
        Assert.Equal([null, s_placed.AddSeconds(30).UtcDateTime], o2.Reports.Select(r => r.UpdatedAt));
        await AssertRowMatchesLedger("o-2", o2);
    }

    [SkippableFact]
    public async Task Refund_reports_add_up_to_partially_refunded_then_refunded()
    {
        var s = await OpenAsync();
        await Write(s, Report("order", "o-1", OrderSources.ShopifyWebhook, "paid", 100m, receivedSecond: 1));
        await Write(s, Refund("r1", "o-1", 20m, receivedSecond: 2), Refund("r2", "o-1", 5.5m, receivedSecond: 3));

        var partial = await Get(s, "o-1");
        Assert.Equal(("partially_refunded", 100m, 25.5m, 74.5m), (partial.Status, partial.Gross, partial.Refunded, partial.Net));
        Assert.Equal(3, partial.Reports.Count);
        Assert.Equal(["Order", "Refund", "Refund"], partial.Reports.Select(r => r.Kind));
        await AssertRowMatchesLedger("o-1", partial);

        await Write(s, Refund("r3", "o-1", 74.5m, receivedSecond: 4));
        var full = await Get(s, "o-1");
        Assert.Equal(("refunded", 100m, 0m), (full.Status, full.Refunded, full.Net));
        await AssertRowMatchesLedger("o-1", full);
    }

    [SkippableFact]
    public async Task Refunded_is_the_larger_of_the_order_report_and_the_refund_reports_and_net_is_bounded_by_both()
    {
        var s = await OpenAsync();
        // The order report already knows 30 refunded and a net of 60 (shipping kept): net = min(60, 100 − 30).
        await Write(s, Report("order", "o-1", OrderSources.ShopifyWebhook, "partially_refunded", 100m, receivedSecond: 1, refunded: 30m, net: 60m));
        await Write(s, Refund("r1", "o-1", 20m, receivedSecond: 2));
        var order = await Get(s, "o-1");
        Assert.Equal(("partially_refunded", 30m, 60m), (order.Status, order.Refunded, order.Net));

        // A net above what the refunds leave is capped by them.
        await Write(s, Report("order2", "o-2", OrderSources.ServerToServer, "paid", 50m, receivedSecond: 1, net: 50m));
        await Write(s, Refund("r2", "o-2", 10m, receivedSecond: 2));
        Assert.Equal(40m, (await Get(s, "o-2")).Net);
        await AssertRowMatchesLedger("o-1", order);
    }

    [SkippableFact]
    public async Task A_cancelled_order_nets_zero_and_a_refund_without_its_order_has_no_gross()
    {
        var s = await OpenAsync();
        await Write(s, Report("order", "o-1", OrderSources.ShopifyWebhook, "paid", 100m, receivedSecond: 1));
        await Write(s, Report("cancel", "o-1", OrderSources.ShopifyWebhook, "cancelled", 100m, receivedSecond: 2));
        await Write(s, Refund("r1", "o-1", 100m, receivedSecond: 3));
        var cancelled = await Get(s, "o-1");
        Assert.Equal(("cancelled", 100m, 100m, 0m), (cancelled.Status, cancelled.Gross, cancelled.Refunded, cancelled.Net));

        await Write(s, Refund("r2", "o-2", 7m, receivedSecond: 1));
        var orphan = await Get(s, "o-2");
        Assert.Equal(("partially_refunded", null, 7m, null, null), (orphan.Status, orphan.Gross, orphan.Refunded, orphan.Net, orphan.Currency));
        Assert.Equal(["shopify"], orphan.Sources);
        await AssertRowMatchesLedger("o-1", cancelled);
        await AssertRowMatchesLedger("o-2", orphan);
    }

    [SkippableFact]
    public async Task A_retried_report_and_a_racing_copy_count_once()
    {
        var s = await OpenAsync();
        await Write(s, Report("order", "o-1", OrderSources.ShopifyWebhook, "paid", 100m, receivedSecond: 1));
        await Write(s, Refund("r1", "o-1", 20m, receivedSecond: 2));
        // The webhook retried with the same message id: the store keeps the first.
        await Write(s, Refund("r1", "o-1", 20m, receivedSecond: 3));
        // Two writers stored the same reports again, one with another ts (skew-corrected twice): unmerged copies.
        var copy = Refund("r1", "o-1", 20m, receivedSecond: 2);
        copy.Ts = copy.Ts.AddMilliseconds(5);
        await WriteRacingCopyAsync(s, [copy, Report("order", "o-1", OrderSources.ShopifyWebhook, "paid", 100m, receivedSecond: 1)]);

        var order = await Get(s, "o-1");
        Assert.Equal(("partially_refunded", 20m, 80m), (order.Status, order.Refunded, order.Net));
        // Each report once; where a raced report sits in the history is the store's (DuckDB keeps the first write,
        // ClickHouse the copy a merge keeps, so that a merge never moves it).
        Assert.Equal(["order", "r1"], order.Reports.Select(r => r.MessageId).Order());
        Assert.Equal(["shopify"], order.Sources);
        await AssertRowMatchesLedger("o-1", order);
    }

    [SkippableFact]
    public async Task Identity_keys_come_from_every_report_but_not_the_stand_in_order_id_and_no_run_means_no_attribution()
    {
        var s = await OpenAsync();
        var first = Report("order", "o-1", OrderSources.ShopifyWebhook, "paid", 10m, receivedSecond: 1);
        first.AnonymousId = "anon-1";
        first.UserId = "user-1";
        first.EmailSha256 = new string('e', 64);
        var second = Report("s2s", "o-1", OrderSources.ServerToServer, "paid", 10m, receivedSecond: 2);
        second.PhoneSha256 = new string('f', 64);
        await Write(s, first, second, Refund("r1", "o-1", 1m, receivedSecond: 3));

        var order = await Get(s, "o-1");
        Assert.Equal(["a:anon-1", "e:" + new string('e', 64), "p:" + new string('f', 64), "u:user-1"], order.IdentityKeys);
        Assert.Equal((null, null, null), (order.Person, order.Path, order.MissReason));
        Assert.Empty(order.Touches);
    }

    private async Task AssertRowMatchesLedger(string orderId, OrderDetail order)
    {
        var row = await ReadOrderRowAsync(Workspace, orderId);
        Assert.Equal(new OrderFigures(order.Gross, order.Refunded, order.Net, order.Currency, order.Status, order.Reports.Count), row);
    }

    private async Task<OrderDetail> Get(LedgerUnderTest s, string orderId) =>
        await s.Ledger.GetAsync(Workspace, orderId, CancellationToken.None) ?? throw new InvalidOperationException($"the ledger has no order {orderId}");

    private static Task Write(LedgerUnderTest s, params TrackedEvent[] events) => s.Store.WriteEventsAsync(events, CancellationToken.None);

    private async Task<(string, decimal?)> StatusAndGross(LedgerUnderTest s, string orderId)
    {
        var order = await Get(s, orderId);
        return (order.Status, order.Gross);
    }

    /// <summary>An order report as OrderEvents makes it (the fields the ledger reads).</summary>
    /// <param name="updatedSecond">The report's own state time (OrderUpdatedAt), seconds after the order was placed; null when it gives none.</param>
    protected TrackedEvent Report(string messageId, string orderId, string source, string status, decimal? gross, int receivedSecond = 0,
        string currency = "EUR", decimal refunded = 0m, decimal? net = null, int? updatedSecond = null) => new()
        {
            Workspace = Workspace, MessageId = messageId, Type = EventType.Conversion, Event = "Order", OrderId = orderId, OrderSource = source,
            OrderStatus = status, Revenue = gross, Refunded = refunded, NetRevenue = net, Currency = currency, AnonymousId = "order:" + orderId,
            Ts = s_placed, ReceivedAt = s_placed.AddSeconds(receivedSecond), OrderUpdatedAt = updatedSecond is { } u ? s_placed.AddSeconds(u) : null,
        };

    /// <summary>A refunds/create report: names only its order.</summary>
    protected TrackedEvent Refund(string messageId, string orderId, decimal amount, int receivedSecond) => new()
    {
        Workspace = Workspace, MessageId = messageId, Type = EventType.Conversion, Event = "Refund", OrderId = orderId,
        OrderSource = OrderSources.ShopifyWebhook, OrderStatus = "refunded", Refunded = amount, Currency = "EUR", AnonymousId = "order:" + orderId,
        Ts = s_placed.AddSeconds(receivedSecond), ReceivedAt = s_placed.AddSeconds(receivedSecond),
    };
}
