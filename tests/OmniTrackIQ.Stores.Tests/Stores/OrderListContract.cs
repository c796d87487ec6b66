using Microsoft.Extensions.DependencyInjection;
using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Pipeline.Analytics;
using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>
/// What every store's <see cref="IOrderListQueries"/> must answer, and so the analyst API's orders page and KPI summary
/// (the pure <see cref="OrderPage"/> and <see cref="MetricsSummary"/> over the store's rows), run against each store by a
/// subclass; each test has its own workspace.
/// </summary>
public abstract class OrderListContract
{
    private static readonly AttributionSettings Settings = new() { LookbackDays = 30 };
    private static readonly DateTime s_day0 = AttributionData.Day0.UtcDateTime;

    private protected AttributionData Data { get; } = new("orders-" + Guid.NewGuid().ToString("N")[..12]);

    private string Ws => Data.Workspace;

    /// <summary>A store's services (events, attribution, spend, order list) for one test.</summary>
    protected abstract Task<IServiceProvider> OpenAsync();

    /// <summary>
    /// Six orders from day 2 to day 12: one reported by pixel and webhook, one refunded in part, one cancelled, one
    /// without any visit; "ann" orders twice (days 2 and 10), so in a period from day 8 she is a returning customer.
    /// </summary>
    private async Task<IServiceProvider> ShopAsync(bool attribute = true)
    {
        var services = await OpenAsync();
        TrackedEvent[] events =
        [
            Data.Page("ann", 1, "Paid Search", "google", "cpc", "20123456789"),
            Data.Conversion("ann", 2, "o-1", 100),
            Data.Page("bob", 8, "Email", "newsletter", "email", "november"),
            Data.Page("bob", 8.5, "Paid Social", "facebook", "paid", "Retargeting"),
            Data.Conversion("bob", 9, "o-2", 80),
            Data.Conversion("bob", 9.0001, "o-2", 80, source: "shopify"),
            Data.Page("ann", 9.9, "Paid Search", "google", "cpc", "20123456789"),
            Data.Conversion("ann", 10, "o-3", 60, source: "s2s"),
            Data.Conversion("ann", 11, "o-3", 0, source: "shopify", status: "partially_refunded", refunded: 15, eventName: "Refund"),
            Data.Page("cid", 10.5, "Direct"),
            Data.Conversion("cid", 11, "o-4", 40, status: "cancelled", source: "s2s"),
            Data.Conversion("dee", 12, "o-5", 25),
            Data.Page("eve", 11.5, "Organic Search", "google"),
            Data.Conversion("eve", 12, "o-6", 30),
        ];
        await services.GetRequiredService<Sink.IEventStore>().WriteEventsAsync(events, CancellationToken.None);
        if (attribute) { await services.GetRequiredService<IAttributionStore>().RunAsync(Ws, Settings, CancellationToken.None); }
        return services;
    }

    [SkippableFact]
    public async Task Orders_are_listed_newest_first_with_the_ledgers_figures_sources_and_touches()
    {
        var services = await ShopAsync();

        var page = OrderPage.From(await ReadAsync(services, s_day0, s_day0.AddDays(30), null, 100), 100);

        Assert.Null(page.NextCursor);
        Assert.Equal(
        [
            "o-6|2026-10-13|30|0|30|EUR|paid|pixel|Organic Search|Organic Search|Organic Search",
            "o-5|2026-10-13|25|0|25|EUR|paid|pixel|||(none)",
            "o-4|2026-10-12|40|0|0|EUR|cancelled|s2s|Direct|Direct|Direct",
            "o-3|2026-10-11|60|15|45|EUR|partially_refunded|shopify,s2s|Paid Search|Paid Search|Paid Search > Paid Search",
            "o-2|2026-10-10|80|0|80|EUR|paid|shopify,pixel|Email|Paid Social|Email > Paid Social",
            "o-1|2026-10-03|100|0|100|EUR|paid|pixel|Paid Search|Paid Search|Paid Search",
        ], page.Orders.Select(Line));
    }

    [SkippableFact]
    public async Task Keyset_pages_walk_every_order_once_even_when_times_tie()
    {
        var services = await ShopAsync();
        var seen = new List<string>();
        OrderCursor? after = null;
        var pages = 0;
        do
        {
            var page = OrderPage.From(await ReadAsync(services, s_day0, s_day0.AddDays(30), after, 2 + 1), 2);
            seen.AddRange(page.Orders.Select(o => o.OrderId));
            pages++;
            after = page.NextCursor is { } next && OrderCursor.TryDecode(next, out var cursor) ? cursor : null;
        }
        while (after is not null);

        Assert.Equal(["o-6", "o-5", "o-4", "o-3", "o-2", "o-1"], seen);
        Assert.Equal(3, pages);
    }

    [SkippableFact]
    public async Task The_range_is_half_open_on_the_orders_time_and_a_refund_does_not_move_it()
    {
        var services = await ShopAsync();

        // o-3 was placed on day 10 and refunded on day 11: it belongs to day 10 only.
        Assert.Equal(["o-4", "o-3"], (await ReadAsync(services, s_day0.AddDays(10), s_day0.AddDays(12), null, null)).Select(r => r.OrderId));
        Assert.Empty(await ReadAsync(services, s_day0.AddDays(12).AddMilliseconds(1), s_day0.AddDays(13), null, null));
        Assert.Empty(await ReadAsync(services, s_day0.AddDays(13), s_day0.AddDays(20), null, null));
    }

    [SkippableFact]
    public async Task The_summary_of_a_period_counts_net_revenue_orders_and_new_and_returning_customers()
    {
        var services = await ShopAsync();
        var period = new Period(s_day0.AddDays(8), s_day0.AddDays(16));
        var current = new MetricsSummary(period);
        var previous = new MetricsSummary(period.Previous);
        foreach (var row in await ReadAsync(services, period.Previous.From, period.To, null, null))
        {
            current.Add(row);
            previous.Add(row);
        }

        // o-2 80 + o-3 45 + o-4 0 (cancelled, not an order) + o-5 25 + o-6 30; ann ordered before (o-1): returning.
        Assert.Equal(new PeriodMetrics(180, 4, 45, 60, 3, 15, 120, 3, 1, 0, 150), current.Result(60, 150));
        Assert.Equal(new PeriodMetrics(100, 1, 100, 0, null, 0, 100, 1, 0, 0, 100), previous.Result(0, 100));
    }

    [SkippableFact]
    public async Task Before_attribution_ran_orders_have_no_person_or_path_and_count_as_orders_without_customer()
    {
        var services = await ShopAsync(attribute: false);

        var rows = await ReadAsync(services, s_day0, s_day0.AddDays(30), null, null);

        Assert.Equal(6, rows.Count);
        Assert.All(rows, r => Assert.Equal((null, null, null), (r.Person, r.Path, r.CustomerFirstOrder)));
        var summary = new MetricsSummary(new Period(s_day0, s_day0.AddDays(30)));
        rows.ForEach(summary.Add);
        Assert.Equal((5L, 0L, 0L, 5L), (summary.Result(0, 0).Orders, summary.Result(0, 0).NewCustomers, summary.Result(0, 0).ReturningCustomers,
            summary.Result(0, 0).OrdersWithoutCustomer));
    }

    [SkippableFact]
    public async Task A_credit_filter_keeps_the_orders_the_model_gives_the_channel_any_credit()
    {
        var services = await ShopAsync();
        async Task<List<string>> Ids(string channel, string model, OrderCursor? after = null, int? limit = null) =>
            [.. (await ReadAsync(services, s_day0, s_day0.AddDays(30), after, limit, new CreditFilter(channel, model))).Select(r => r.OrderId)];

        // o-2's path is Email > Paid Social: first touch credits Email only, last touch Paid Social only, linear both.
        Assert.Equal(["o-2"], await Ids("Email", "first"));
        Assert.Empty(await Ids("Email", "last"));
        Assert.Equal(["o-2"], await Ids("Paid Social", "last"));
        Assert.Equal(["o-2"], await Ids("Email", "linear"));
        Assert.Equal(["o-3", "o-1"], await Ids("Paid Search", "time_decay"));
        Assert.Equal(["o-5"], await Ids(AttributionModels.NoTouchChannel, "linear"));
        Assert.Equal(["o-2"], await Ids("Email", "markov"));
        Assert.Equal(["o-2"], await Ids("Paid Social", "shapley"));
        Assert.Equal(["o-4"], await Ids("Direct", "markov"));
        Assert.Empty(await Ids("Referral", "linear"));
        // The keyset works under the filter: after o-3 comes o-1, not o-2.
        Assert.Equal(["o-1"], await Ids("Paid Search", "linear", new OrderCursor(OrderCursor.EpochMs(s_day0.AddDays(10)), "o-3"), 5));
    }

    [SkippableFact]
    public async Task Before_attribution_ran_a_credit_filter_keeps_no_order()
    {
        var services = await ShopAsync(attribute: false);

        Assert.Empty(await ReadAsync(services, s_day0, s_day0.AddDays(30), null, null, new CreditFilter("Paid Search", "linear")));
    }

    [SkippableFact]
    public async Task A_channels_summary_counts_the_customers_of_the_orders_credited_to_it()
    {
        var services = await ShopAsync();
        var period = new Period(s_day0.AddDays(8), s_day0.AddDays(16));
        var current = new MetricsSummary(period);
        foreach (var row in await ReadAsync(services, period.Previous.From, period.To, null, null, new CreditFilter("Paid Search", "linear")))
        {
            current.Add(row);
        }

        // Paid Search's credit in the period is o-3 (45, one conversion), its spend 20: ann ordered before, so she returns.
        Assert.Equal(new PeriodMetrics(45, 1, 45, 20, 2.25, 20, 25, 0, 1, 0, 45), current.ChannelResult(1, 45, 20));
    }

    private async Task<List<OrderListRow>> ReadAsync(IServiceProvider services, DateTime from, DateTime to, OrderCursor? after, int? limit,
        CreditFilter? credited = null)
    {
        var rows = new List<OrderListRow>();
        await services.GetRequiredService<IOrderListQueries>().ReadAsync(Ws, from, to, credited, after, limit, rows.Add, CancellationToken.None);
        return rows;
    }

    /// <summary>An order as one comparable line (money without trailing zeros, the time as its day at midnight UTC).</summary>
    private static string Line(OrderItem o)
    {
        Assert.Equal(TimeSpan.Zero, o.Ts.TimeOfDay);
        return FormattableString.Invariant(
            $"{o.OrderId}|{o.Ts:yyyy-MM-dd}|{o.Gross:0.####}|{o.Refunded:0.####}|{o.Net:0.####}|{o.Currency}|{o.Status}|{string.Join(',', o.Sources)}|{o.FirstTouch}|{o.LastTouch}|{o.Path}");
    }
}
