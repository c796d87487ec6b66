using Microsoft.Extensions.DependencyInjection;
using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Pipeline.Erasure;
using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>
/// <c>order_reports</c>, the conversion reports of <c>events</c> sorted by order id, where a tick finds every report of
/// its orders: it must hold exactly the reports <c>events</c> holds — filled at insert by its view, filled from the stored
/// events on an upgraded database's first start, and erased with the person. One database for the class, a workspace
/// per test.
/// </summary>
public class ClickHouseOrderReportsTests(ClickHouseServerFixture server) : IClassFixture<ClickHouseServerFixture>
{
    private static readonly AttributionSettings Settings = new() { LookbackDays = 30 };

    private readonly AttributionData _data = new("reports-" + Guid.NewGuid().ToString("N")[..12]);

    private string Ws => _data.Workspace;

    [SkippableFact]
    public async Task Every_order_report_written_to_events_is_there_and_nothing_else()
    {
        server.RequireServer();
        var (s, _) = await OpenAsync();
        var noOrder = _data.Conversion("anon-x", 2, "dropped", 10);
        noOrder.OrderId = null;
        List<TrackedEvent> events =
        [
            .. _data.ShopHistory(people: 20), noOrder,
            _data.Conversion(null, 3, "order-s2s", 40, userId: "buyer-s2s", source: "s2s"),
            _data.Conversion(null, 4, "order-s2s", 0, source: "shopify", refunded: 15, eventName: "Refund"),
        ];
        await s.Events.WriteEventsAsync(events, CancellationToken.None);

        var reports = events.Count(e => e.Type == EventType.Conversion && e.OrderId is not null);
        Assert.True(reports > 2);
        Assert.Equal($"{reports}\n", await QueryAsync($"SELECT uniqExact(message_id) FROM {server.Database}.order_reports WHERE workspace = '{Ws}' FORMAT TabSeparated"));
        await AssertReportsAreThoseOfEventsAsync();
    }

    [SkippableFact]
    public async Task An_upgraded_database_gets_the_reports_stored_before_the_step_on_its_first_start_and_a_tick_reads_them()
    {
        server.RequireServer();
        var (s, _) = await OpenAsync();
        await s.Events.WriteEventsAsync(
            [.. _data.ShopHistory(people: 20), _data.Page("anon-first", 1, "Email"), _data.Conversion("anon-first", 2, "order-twice", 80)],
            CancellationToken.None);
        Assert.True((await s.Runs.RunAsync(Ws, Settings, CancellationToken.None)).Full);

        // The database as it was before the step: no reports of the workspace, the step not recorded.
        var local = server.Cluster is null ? "" : "_local";
        await server.QueryEveryNodeAsync($"ALTER TABLE {server.Database}.order_reports{local} DELETE WHERE workspace = '{Ws}'");
        await server.QueryEveryNodeAsync($"ALTER TABLE {server.Database}.schema_migrations{local} DELETE WHERE version = 13");
        await server.UntilMutationsDoneAsync();
        Assert.Equal("0\n", await QueryAsync($"SELECT count() FROM {server.Database}.order_reports WHERE workspace = '{Ws}' FORMAT TabSeparated"));

        (s, _) = await OpenAsync();
        await AssertReportsAreThoseOfEventsAsync();

        // A new person reports the order again, later: it stays the first reporter's, whose report only the filled rows show the tick.
        await s.Events.WriteEventsAsync([_data.Page("anon-second", 5, "Display"), _data.Conversion("anon-second", 6, "order-twice", 80, source: "s2s")],
            CancellationToken.None);
        Assert.False((await s.Runs.RunAsync(Ws, Settings, CancellationToken.None)).Full);
        var incremental = await AttributionStoreContract.SnapshotAsync(s, Ws);
        await s.Runs.RecomputeAsync(Ws, Settings, null, CancellationToken.None);
        Assert.Equal(await AttributionStoreContract.SnapshotAsync(s, Ws), incremental);
    }

    [SkippableFact]
    public async Task Erasing_a_person_leaves_none_of_their_reports_and_the_anonymous_copy_of_their_order()
    {
        server.RequireServer();
        var (s, erasure) = await OpenAsync();
        await s.Events.WriteEventsAsync(
            [.. _data.ShopHistory(people: 10), _data.Page("anon-gone", 1, "Email"), _data.Conversion("anon-gone", 2, "order-gone", 30, userId: "user-gone")],
            CancellationToken.None);

        await erasure.ErasePersonAsync(Ws, [PersonKey.Anonymous("anon-gone"), PersonKey.User("user-gone")], CancellationToken.None);
        await server.UntilMutationsDoneAsync();

        Assert.Equal("0\n", await QueryAsync(
            $"SELECT count() FROM {server.Database}.order_reports WHERE workspace = '{Ws}' AND (anonymous_id = 'anon-gone' OR user_id = 'user-gone') FORMAT TabSeparated"));
        Assert.Equal("1\n", await QueryAsync(
            $"SELECT uniqExact(message_id) FROM {server.Database}.order_reports WHERE workspace = '{Ws}' AND order_id = 'order-gone' FORMAT TabSeparated"));
        await AssertReportsAreThoseOfEventsAsync();
    }

    /// <summary>With no load mark margin, so a tick's scope is the new events' people only.</summary>
    private async Task<(AttributionStoreUnderTest Store, IErasureStore Erasure)> OpenAsync()
    {
        var options = server.Options();
        options.LoadMarkMargin = TimeSpan.Zero;
        var provider = await server.OpenAsync(options);
        return (await DuckDbAttributionStoreContractTests.UnderTestAsync(provider), provider.GetRequiredService<IErasureStore>());
    }

    /// <summary>The workspace's reports, one row per message id, every column the table keeps, the same in both tables.</summary>
    private async Task AssertReportsAreThoseOfEventsAsync()
    {
        const string columns = "message_id, type, event, anonymous_id, user_id, email_sha256, phone_sha256, previous_id, ts, received_at, revenue, currency, " +
                               "order_id, order_source, order_status, refunded, net_revenue, order_updated_at";
        string Reports(string table) =>
            $"SELECT {columns} FROM {server.Database}.{table} WHERE workspace = '{Ws}' AND type = 'conversion' AND isNotNull(order_id) " +
            "ORDER BY message_id, load_ms DESC LIMIT 1 BY message_id FORMAT TabSeparated";
        var expected = await QueryAsync(Reports("events"));
        Assert.NotEqual("", expected);
        Assert.Equal(expected, await QueryAsync(Reports("order_reports")));
        Assert.Equal("0\n", await QueryAsync(
            $"SELECT count() FROM {server.Database}.order_reports WHERE workspace = '{Ws}' AND NOT (type = 'conversion' AND isNotNull(order_id)) FORMAT TabSeparated"));
    }

    /// <summary>SQL read as the store reads (each shard's first replica, the one its inserts reached), so it does not wait for replication.</summary>
    private async Task<string> QueryAsync(string sql)
    {
        using var response = await server.Http.PostAsync(new Uri(server.Url, "/?load_balancing=in_order"), new StringContent(sql));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return body;
    }
}

/// <summary>The same on 2 shards x 2 replicas: the view on every node's local <c>events</c>, the fill through the Distributed tables.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterOrderReportsTests(ClickHouseClusterFixture cluster) : ClickHouseOrderReportsTests(cluster), IClassFixture<ClickHouseClusterFixture>;
