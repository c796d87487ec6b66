using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Paths;
using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Pipeline.Erasure;
using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>
/// What a ClickHouse tick keeps so that it costs its own people: each run's model counts (<c>attribution_model_counts</c>,
/// the sums Markov and Shapley are fitted from), carried forward by the difference a tick's people make, and journeys
/// read for the scope only. Each run's kept counts must equal the counts of a fresh sum of every person's newest paths,
/// and a tick's results a full recompute's. One database for the class, a workspace per test.
/// </summary>
public class ClickHouseTickTests(ClickHouseServerFixture server) : IClassFixture<ClickHouseServerFixture>
{
    private static readonly AttributionSettings Settings = new() { LookbackDays = 30 };

    private readonly AttributionData _data = new("tick-" + Guid.NewGuid().ToString("N")[..12]);

    private string Ws => _data.Workspace;

    [SkippableFact]
    public async Task Each_tick_keeps_the_counts_a_fresh_sum_of_every_persons_newest_paths_gives_and_the_results_of_a_recompute()
    {
        server.RequireServer();
        var (s, _) = await OpenAsync();
        var history = _data.ShopHistory(people: 40);
        // One order reported by two people, each with a touch of their own: first by a logged-in buyer, then by
        // another device's server report.
        history.InsertRange(0,
        [
            _data.Page("dev-buyer", 1, "Referral"), _data.Identify("dev-buyer", 1.1, userId: "buyer-x"),
            _data.Conversion(null, 2, "order-split", 50, userId: "buyer-x"),
            _data.Page("anon-split", 1, "Display"), _data.Conversion("anon-split", 2.1, "order-split", 50, source: "s2s"),
            _data.Page("anon-old", 25, "Referral"), _data.Identify("anon-old", 25.1, userId: "user-link"),
        ]);
        await s.Events.WriteEventsAsync(history[..(history.Count / 2)], CancellationToken.None);
        Assert.True((await s.Runs.RunAsync(Ws, Settings, CancellationToken.None)).Full);
        await AssertKeptCountsAreAFreshSumAsync();

        await s.Events.WriteEventsAsync(history[(history.Count / 2)..], CancellationToken.None);
        Assert.False((await s.Runs.RunAsync(Ws, Settings, CancellationToken.None)).Full);
        await AssertKeptCountsAreAFreshSumAsync();

        // Two stored people merged (the merged-away one's paths stop counting), an order reported again by a new key
        // earlier than its first report (it moves to the new person) and one reported again later (it stays), and the
        // later reporter of order-split back with a page only: the order stays the buyer's, whose report the tick does not scope.
        await s.Events.WriteEventsAsync(
        [
            _data.Identify("anon-001", 30, userId: "user-002"), _data.Page("anon-split", 30, "Email"),
            _data.Page("anon-new-1", 1, "Display"), _data.Conversion("anon-new-1", 1.5, "order-3", 60),
            _data.Page("anon-new-2", 31, "Referral"), _data.Conversion("anon-new-2", 31.5, "order-6", 70),
            // A new device logs in as anon-old's user and buys: the tick finds anon-old (and its Referral touch) only
            // through the stored link's person_key side (identity_links_by_person).
            _data.Identify("anon-dev", 30.2, userId: "user-link"), _data.Conversion("anon-dev", 30.5, "order-link", 40),
        ], CancellationToken.None);
        Assert.False((await s.Runs.RunAsync(Ws, Settings, CancellationToken.None)).Full);
        await AssertKeptCountsAreAFreshSumAsync();
        Assert.Equal("3\n", await server.QueryAsync($"SELECT uniqExact(run) FROM {server.Database}.attribution_model_counts WHERE workspace = '{Ws}' FORMAT TabSeparated"));

        // anon-split, written by the full run and by the last tick: only its paths of the last tick leave the counts.
        await s.Events.WriteEventsAsync([_data.Page("anon-split", 32, "Referral")], CancellationToken.None);
        Assert.False((await s.Runs.RunAsync(Ws, Settings, CancellationToken.None)).Full);
        await AssertKeptCountsAreAFreshSumAsync();

        // The ticks sent their people maps with their queries: only the full run wrote one.
        Assert.Equal("1\n", await server.QueryAsync($"SELECT uniqExact(run) FROM {server.Database}.attribution_people WHERE workspace = '{Ws}' FORMAT TabSeparated"));

        var incremental = await AttributionStoreContract.SnapshotAsync(s, Ws);
        await s.Runs.RecomputeAsync(Ws, Settings, null, CancellationToken.None);
        Assert.Equal(await AttributionStoreContract.SnapshotAsync(s, Ws), incremental);
        await AssertKeptCountsAreAFreshSumAsync();
    }

    [SkippableFact]
    public async Task A_workspace_whose_last_run_left_no_counts_as_after_an_erasure_or_an_upgrade_sums_them_afresh_on_its_next_tick()
    {
        server.RequireServer();
        // This test's ticks stream their journeys from the server's per-person query, as a scope too large to hold does;
        // the others' are assembled in process from flat reads (ScopeJourneys).
        var (s, erasure) = await OpenAsync(inProcessJourneyMaxKeys: 0);
        await s.Events.WriteEventsAsync(_data.ShopHistory(people: 30), CancellationToken.None);
        await s.Runs.RunAsync(Ws, Settings, CancellationToken.None);
        await erasure.ErasePersonAsync(Ws, [PersonKey.Anonymous("anon-004")], CancellationToken.None);
        await server.UntilMutationsDoneAsync();
        Assert.Equal("0\n", await server.QueryAsync($"SELECT count() FROM {server.Database}.attribution_model_counts WHERE workspace = '{Ws}' FORMAT TabSeparated"));

        await s.Events.WriteEventsAsync([_data.Page("anon-late", 21, "Email"), _data.Conversion("anon-late", 21.5, "order-late", 25)], CancellationToken.None);
        Assert.False((await s.Runs.RunAsync(Ws, Settings, CancellationToken.None)).Full);
        await AssertKeptCountsAreAFreshSumAsync();
        Assert.Equal("0\n", await server.QueryAsync(
            $"SELECT count() FROM {server.Database}.person_paths WHERE workspace = '{Ws}' AND person = 'a:anon-004' FORMAT TabSeparated"));

        var incremental = await AttributionStoreContract.SnapshotAsync(s, Ws);
        await s.Runs.RecomputeAsync(Ws, Settings, null, CancellationToken.None);
        Assert.Equal(await AttributionStoreContract.SnapshotAsync(s, Ws), incremental);
    }

    /// <summary>With no load mark margin, so a tick's scope is the new events' people only (the default 5 minutes would take in every event of a test).</summary>
    private async Task<(AttributionStoreUnderTest Store, IErasureStore Erasure)> OpenAsync(int? inProcessJourneyMaxKeys = null)
    {
        var options = server.Options();
        options.LoadMarkMargin = TimeSpan.Zero;
        options.InProcessJourneyMaxKeys = inProcessJourneyMaxKeys ?? options.InProcessJourneyMaxKeys;
        var provider = await server.OpenAsync(options);
        return (await DuckDbAttributionStoreContractTests.UnderTestAsync(provider), provider.GetRequiredService<IErasureStore>());
    }

    /// <summary>The last run's kept model counts against the counts of every person's newest paths of the valid runs, summed now.</summary>
    private async Task AssertKeptCountsAreAFreshSumAsync()
    {
        var markovOrder = Settings.MarkovOrder;
        var db = server.Database;
        var state = (await QueryAsync(
            $"SELECT max(run), argMax(base_run, run) FROM {db}.attribution_state WHERE workspace = '{Ws}' FORMAT TabSeparated")).Trim().Split('\t');
        var (run, baseRun) = (state[0], state[1]);
        var paths = Rows(await QueryAsync($"""
            SELECT path, sum(conversions), sum(conversion_value), sum(nulls) FROM {db}.person_paths
            WHERE workspace = '{Ws}' AND deleted = 0 AND (person, run) GLOBAL IN (
                SELECT person, max(run) FROM {db}.person_paths WHERE workspace = '{Ws}' AND run >= {baseRun} AND run <= {run} GROUP BY person)
            GROUP BY path ORDER BY path FORMAT TabSeparated
            """)).Select(r => new PathCount(r[0].Split(JourneyAttributor.Separator), Number(r[1]), Number(r[2]), Number(r[3]))).ToList();
        Assert.NotEmpty(paths);
        var fresh = ChannelModelCounts.Of(paths, markovOrder).Rows
            .Select(r => string.Create(CultureInfo.InvariantCulture, $"{markovOrder}\t{(int)r.Key.Kind}\t{r.Key.From}\t{r.Key.To}\t{r.Value.Conversions}\t{Rounded(r.Value.Value)}\t{r.Value.Nulls}"))
            .Order(StringComparer.Ordinal);
        var kept = Rows(await QueryAsync($"""
            SELECT markov_order, kind, from_state, to_state, conversions, conversion_value, nulls FROM {db}.attribution_model_counts
            WHERE workspace = '{Ws}' AND run = {run} FORMAT TabSeparated
            """)).Select(r => string.Create(CultureInfo.InvariantCulture, $"{r[0]}\t{r[1]}\t{r[2]}\t{r[3]}\t{Number(r[4])}\t{Rounded(Number(r[5]))}\t{Number(r[6])}")).Order(StringComparer.Ordinal);
        Assert.Equal(fresh, kept);
    }

    private static IEnumerable<string[]> Rows(string tsv) => tsv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t'));

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>A value to 6 places (kept values may differ from a fresh sum in the last bits), -0 read as 0.</summary>
    private static double Rounded(double value) => Math.Round(value, 6) + 0d;

    /// <summary>
    /// SQL read as the store reads (first replica of each shard, the one its inserts reached: on a single server nothing
    /// changes), so the comparison does not wait for replication.
    /// </summary>
    private async Task<string> QueryAsync(string sql)
    {
        using var response = await server.Http.PostAsync(new Uri(server.Url, "/?load_balancing=in_order"), new StringContent(sql));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return body;
    }
}

/// <summary>The same on 2 shards x 2 replicas, through the Distributed tables.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterTickTests(ClickHouseClusterFixture cluster) : ClickHouseTickTests(cluster), IClassFixture<ClickHouseClusterFixture>;
