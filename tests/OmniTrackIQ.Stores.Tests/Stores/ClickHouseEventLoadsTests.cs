using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Pipeline.Erasure;
using OmniTrackIQ.Store.ClickHouse;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>
/// <c>event_loads</c>, the rows of each write of <c>events</c>, where a run reads its workspace's newest load mark and row
/// count, and <c>events_by_load</c>, each row's identity columns by write, where a tick reads the keys and links loaded
/// since its mark: they must hold what <c>events</c> holds — filled at insert by their views, filled from the stored
/// events on an upgraded database's first start, less what an erasure deletes — so that a tick runs exactly when a row is
/// new, a row stamped below the last mark included, and scopes its people. One database for the class, a workspace per test.
/// </summary>
public class ClickHouseEventLoadsTests(ClickHouseServerFixture server) : IClassFixture<ClickHouseServerFixture>
{
    private static readonly AttributionSettings Settings = new() { LookbackDays = 30 };

    private readonly AttributionData _data = new("loads-" + Guid.NewGuid().ToString("N")[..12]);

    private string Ws => _data.Workspace;

    [SkippableFact]
    public async Task Each_write_of_events_is_there_with_its_rows_and_each_row_with_its_keys()
    {
        server.RequireServer();
        var (s, _) = await OpenAsync();
        var history = _data.ShopHistory(people: 30);
        await s.Events.WriteEventsAsync(history[..10], CancellationToken.None);
        await s.Events.WriteEventsAsync(history[10..], CancellationToken.None);
        await s.Events.WriteEventsAsync([_data.Page("anon-one", 3, "Email")], CancellationToken.None);

        Assert.Equal(3, (await QueryAsync($"SELECT DISTINCT load_ms FROM {server.Database}.events WHERE workspace = '{Ws}' FORMAT TabSeparated"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        await AssertLoadsAreThoseOfEventsAsync();
    }

    [SkippableFact]
    public async Task An_upgraded_database_gets_the_loads_and_keys_stored_before_the_steps_and_its_ticks_run_when_a_row_is_new_only()
    {
        server.RequireServer();
        var (s, _) = await OpenAsync();
        await s.Events.WriteEventsAsync([.. _data.ShopHistory(people: 20), _data.Page("anon-up", 4, "Referral"), _data.Identify("anon-up", 4.1, userId: "user-up")],
            CancellationToken.None);
        Assert.True((await s.Runs.RunAsync(Ws, Settings, CancellationToken.None)).Full);

        // The database as it was before the steps: no loads of the workspace, no links sorted by person, the steps not recorded.
        var local = server.Cluster is null ? "" : "_local";
        string[] stepTables = ["event_loads", "events_by_load", "identity_links_by_person"];
        foreach (var table in stepTables)
        {
            await server.QueryEveryNodeAsync($"ALTER TABLE {server.Database}.{table}{local} DELETE WHERE workspace = '{Ws}'");
        }

        await server.QueryEveryNodeAsync($"ALTER TABLE {server.Database}.schema_migrations{local} DELETE WHERE version IN (29, 30, 31)");
        await server.UntilMutationsDoneAsync();
        foreach (var table in stepTables)
        {
            Assert.Equal("0\n", await QueryAsync($"SELECT count() FROM {server.Database}.{table} WHERE workspace = '{Ws}' FORMAT TabSeparated"));
        }

        (s, _) = await OpenAsync();
        await AssertLoadsAreThoseOfEventsAsync();
        // Step 31 copied the stored links: the same links, sorted by person_key.
        var links = $"SELECT id_key, person_key, source, min(first_seen) FROM {server.Database}.{{0}} WHERE workspace = '{Ws}' GROUP BY id_key, person_key, source ORDER BY id_key, person_key, source FORMAT TabSeparated";
        var stored = await QueryAsync(string.Format(CultureInfo.InvariantCulture, links, "identity_links"));
        Assert.NotEqual("", stored);
        Assert.Equal(stored, await QueryAsync(string.Format(CultureInfo.InvariantCulture, links, "identity_links_by_person")));

        // Nothing new since the run before the upgrade: the tick does not run.
        var last = await LastRunAsync();
        await s.Runs.RunAsync(Ws, Settings, CancellationToken.None);
        Assert.Equal(last, await LastRunAsync());

        // A store opened again starts its marks from its clock: a minute on, as a restarted node's would be.
        server.Time.Advance(TimeSpan.FromMinutes(1));
        // anon-next logs in as user-up, whom anon-up logged in as before the upgrade: the tick finds anon-up (and its
        // Referral touch) only through that stored link's person_key, in the copy step 31 made.
        await s.Events.WriteEventsAsync(
            [_data.Page("anon-next", 5, "Display"), _data.Identify("anon-next", 5.5, userId: "user-up"), _data.Conversion("anon-next", 6, "order-next", 80)],
            CancellationToken.None);
        Assert.False((await s.Runs.RunAsync(Ws, Settings, CancellationToken.None)).Full);
        Assert.NotEqual(last, await LastRunAsync());
        Assert.Equal("1\n", await QueryAsync(
            $"SELECT count() FROM {server.Database}.attribution_conversions WHERE workspace = '{Ws}' AND conversion_id = 'order-next' FORMAT TabSeparated"));
        var incremental = await AttributionStoreContract.SnapshotAsync(s, Ws);
        await s.Runs.RecomputeAsync(Ws, Settings, null, CancellationToken.None);
        Assert.Equal(await AttributionStoreContract.SnapshotAsync(s, Ws), incremental);
    }

    /// <summary>
    /// A node whose clock is behind stamps its rows below the mark the last run took: the count still changes, so the tick
    /// runs, and its margin takes the row in. The default margin (5 minutes), as deployed.
    /// </summary>
    [SkippableFact]
    public async Task A_row_stamped_below_the_last_mark_still_makes_the_next_tick_run_and_is_attributed()
    {
        server.RequireServer();
        var (s, _) = await OpenAsync(server.Options());
        await s.Events.WriteEventsAsync([.. _data.ShopHistory(people: 10), _data.Page("anon-late", 4, "Email")], CancellationToken.None);
        await s.Runs.RunAsync(Ws, Settings, CancellationToken.None);
        var last = await LastRunAsync();
        await s.Runs.RunAsync(Ws, Settings, CancellationToken.None);
        Assert.Equal(last, await LastRunAsync());

        // Another node's write, a second below the newest mark: an order of anon-late's, staged in a workspace of its own
        // through the store and copied in with its stamp moved.
        var db = server.Database;
        var staged = new AttributionData(Ws + "-staged");
        await s.Events.WriteEventsAsync([staged.Conversion("anon-late", 4.5, "order-late", 45)], CancellationToken.None);
        var mark = (await QueryAsync($"SELECT max(load_ms) FROM {db}.events WHERE workspace = '{Ws}' FORMAT TabSeparated")).Trim();
        var values = EventsColumns.Names.Select(c => c switch { "workspace" => $"'{Ws}'", "message_id" => "'late-order'", "load_ms" => $"toUInt64({mark} - 1000)", _ => c });
        await QueryAsync($"INSERT INTO {db}.events ({string.Join(", ", EventsColumns.Names)}) SELECT {string.Join(", ", values)} " +
                         $"FROM {db}.events WHERE workspace = '{staged.Workspace}'");
        await AssertLoadsAreThoseOfEventsAsync();

        await s.Runs.RunAsync(Ws, Settings, CancellationToken.None);
        Assert.NotEqual(last, await LastRunAsync());
        Assert.Equal("1\n", await QueryAsync(
            $"SELECT count() FROM {db}.attribution_conversions WHERE workspace = '{Ws}' AND conversion_id = 'order-late' FORMAT TabSeparated"));
    }

    [SkippableFact]
    public async Task An_erasure_takes_its_rows_and_keys_out_and_the_next_tick_runs()
    {
        server.RequireServer();
        var (s, erasure) = await OpenAsync();
        await s.Events.WriteEventsAsync(
            [.. _data.ShopHistory(people: 10), _data.Page("anon-gone", 1, "Email"), _data.Conversion("anon-gone", 2, "order-gone", 30, userId: "user-gone")],
            CancellationToken.None);
        await s.Runs.RunAsync(Ws, Settings, CancellationToken.None);
        var last = await LastRunAsync();

        await erasure.ErasePersonAsync(Ws, [PersonKey.Anonymous("anon-gone"), PersonKey.User("user-gone")], CancellationToken.None);
        await server.UntilMutationsDoneAsync();
        await AssertLoadsAreThoseOfEventsAsync();
        Assert.Equal("0\n", await QueryAsync(
            $"SELECT count() FROM {server.Database}.events_by_load WHERE workspace = '{Ws}' AND (anonymous_id = 'anon-gone' OR user_id = 'user-gone') FORMAT TabSeparated"));

        await s.Runs.RunAsync(Ws, Settings, CancellationToken.None);
        Assert.NotEqual(last, await LastRunAsync());
    }

    /// <summary>With no load mark margin unless given, so a tick's scope is the new events' people only.</summary>
    private async Task<(AttributionStoreUnderTest Store, IErasureStore Erasure)> OpenAsync(ClickHouseStoreOptions? options = null)
    {
        if (options is null)
        {
            options = server.Options();
            options.LoadMarkMargin = TimeSpan.Zero;
        }

        var provider = await server.OpenAsync(options);
        return (await DuckDbAttributionStoreContractTests.UnderTestAsync(provider), provider.GetRequiredService<IErasureStore>());
    }

    /// <summary>The workspace's last finished run (its newest <c>attribution_state</c> row; a merge keeps only that one).</summary>
    private Task<string> LastRunAsync() => QueryAsync($"SELECT max(run) FROM {server.Database}.attribution_state WHERE workspace = '{Ws}' FORMAT TabSeparated");

    /// <summary>
    /// The workspace's rows per write, the same in both tables (no copies of an event here, so the counts agree), and each
    /// row's write, type, time and identity columns in <c>events_by_load</c>.
    /// </summary>
    private async Task AssertLoadsAreThoseOfEventsAsync()
    {
        const string keys = "load_ms, type, ts, anonymous_id, user_id, email_sha256, phone_sha256, previous_id";
        var rows = await QueryAsync($"SELECT {keys} FROM {server.Database}.events WHERE workspace = '{Ws}' ORDER BY {keys} FORMAT TabSeparated");
        Assert.Equal(rows, await QueryAsync($"SELECT {keys} FROM {server.Database}.events_by_load WHERE workspace = '{Ws}' ORDER BY {keys} FORMAT TabSeparated"));

        var expected = await QueryAsync(
            $"SELECT load_ms, count() FROM {server.Database}.events WHERE workspace = '{Ws}' GROUP BY load_ms ORDER BY load_ms FORMAT TabSeparated");
        Assert.NotEqual("", expected);
        Assert.Equal(expected, await QueryAsync(
            $"SELECT load_ms, sum(event_rows) AS n FROM {server.Database}.event_loads WHERE workspace = '{Ws}' GROUP BY load_ms HAVING n != 0 ORDER BY load_ms FORMAT TabSeparated"));
    }

    /// <summary>
    /// SQL read as the store reads (each shard's first replica, the one its inserts reached), so it does not wait for
    /// replication; and an insert through a Distributed table answered once the shards have its rows, as the store's are
    /// (without it the row copied in below the mark reached its shard after the tick had read, now and then).
    /// </summary>
    private async Task<string> QueryAsync(string sql)
    {
        using var response = await server.Http.PostAsync(new Uri(server.Url, "/?load_balancing=in_order&insert_distributed_sync=1"), new StringContent(sql));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return body;
    }
}

/// <summary>The same on 2 shards x 2 replicas: the view on every node's local <c>events</c>, the fill and the erasure's rows through the Distributed tables.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterEventLoadsTests(ClickHouseClusterFixture cluster) : ClickHouseEventLoadsTests(cluster), IClassFixture<ClickHouseClusterFixture>;
