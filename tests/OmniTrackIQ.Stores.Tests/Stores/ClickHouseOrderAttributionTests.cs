using Microsoft.Extensions.DependencyInjection;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Orders;
using OmniTrackIQ.Pipeline.Sink;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>
/// GET /v1/orders' person, path, miss reason and touches on ClickHouse, from the attribution tables as the worker
/// writes them (made here with their DDL; the store's migrations make them later): the conversion's row of its
/// largest run, and that run's touches only.
/// </summary>
public sealed class ClickHouseOrderAttributionTests(ClickHouseServerFixture server) : IClassFixture<ClickHouseServerFixture>
{
    private static readonly DateTimeOffset s_placed = new(2026, 11, 20, 9, 30, 0, TimeSpan.Zero);

    private readonly string _workspace = "ws-" + Guid.NewGuid().ToString("N")[..12];

    [SkippableFact]
    public async Task The_current_run_gives_person_path_and_its_own_touches_once_each()
    {
        var (store, ledger) = await OpenAsync();
        await store.WriteEventsAsync([Order("o-1"), Order("o-2")], CancellationToken.None);
        var db = server.Database;
        await server.QueryAsync($"""
            INSERT INTO {db}.attribution_conversions (workspace, conversion_id, person, conversion_ts, revenue, currency, path, touches, miss_reason, run) VALUES
            ('{_workspace}', 'o-1', 'person-old', 1, 10, 'EUR', 'Email', 1, NULL, 1),
            ('{_workspace}', 'o-1', 'person-1', 1, 10, 'EUR', 'Paid Search > Email', 2, NULL, 2),
            ('{_workspace}', 'o-2', 'person-2', 1, 10, 'EUR', '(none)', 0, 'no_visit', 2),
            ('{_workspace}-other', 'o-1', 'person-x', 1, 10, 'EUR', 'Direct', 1, NULL, 3)
            """);
        // Run 1's touch is history; run 2's second touch was inserted twice (a retried insert).
        await server.QueryAsync($"""
            INSERT INTO {db}.attribution_touches (workspace, conversion_id, run, touch_index, channel, source, medium, campaign, touch_ts, credit_linear) VALUES
            ('{_workspace}', 'o-1', 1, 0, 'Email', 'newsletter', 'email', NULL, 1000, 10),
            ('{_workspace}', 'o-1', 2, 1, 'Email', 'newsletter', 'email', 'nov', 3000, 5),
            ('{_workspace}', 'o-1', 2, 0, 'Paid Search', 'google', 'cpc', NULL, 2000, 5),
            ('{_workspace}', 'o-1', 2, 1, 'Email', 'newsletter', 'email', 'nov', 3000, 5)
            """);

        var o1 = await ledger.GetAsync(_workspace, "o-1", CancellationToken.None) ?? throw new InvalidOperationException("no o-1");
        Assert.Equal(("person-1", "Paid Search > Email", (string?)null), (o1.Person, o1.Path, o1.MissReason));
        Assert.Equal(
            [
                new OrderTouch(0, "Paid Search", "google", "cpc", null, DateTime.UnixEpoch.AddSeconds(2), 5),
                new OrderTouch(1, "Email", "newsletter", "email", "nov", DateTime.UnixEpoch.AddSeconds(3), 5),
            ],
            o1.Touches);
        Assert.Equal(DateTimeKind.Utc, o1.Touches[0].Ts!.Value.Kind);

        var o2 = await ledger.GetAsync(_workspace, "o-2", CancellationToken.None) ?? throw new InvalidOperationException("no o-2");
        Assert.Equal(("person-2", "(none)", "no_visit"), (o2.Person, o2.Path, o2.MissReason));
        Assert.Empty(o2.Touches);
    }

    [SkippableFact]
    public async Task An_order_the_worker_has_not_reached_yet_has_no_attribution()
    {
        var (store, ledger) = await OpenAsync();
        await store.WriteEventsAsync([Order("o-new")], CancellationToken.None);

        var order = await ledger.GetAsync(_workspace, "o-new", CancellationToken.None) ?? throw new InvalidOperationException("no o-new");
        Assert.Equal((null, null), (order.Person, order.Path));
        Assert.Empty(order.Touches);
    }

    private async Task<(IEventStore Store, IOrderLedger Ledger)> OpenAsync()
    {
        var provider = await server.OpenAsync();
        var db = server.Database;
        // Older runs' rows must stay unmerged for the read to prove it picks the current one.
        await server.QueryAsync($"SYSTEM STOP MERGES {db}.attribution_conversions");
        return (provider.GetRequiredService<IEventStore>(), provider.GetRequiredService<IOrderLedger>());
    }

    private TrackedEvent Order(string orderId) => new()
    {
        Workspace = _workspace, MessageId = "m-" + orderId, Type = EventType.Conversion, Event = "Order", OrderId = orderId,
        OrderSource = OrderSources.ShopifyWebhook, OrderStatus = "paid", Revenue = 10m, Currency = "EUR", AnonymousId = "order:" + orderId,
        Ts = s_placed, ReceivedAt = s_placed,
    };
}
