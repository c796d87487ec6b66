using OmniTrackIQ.Attribution.Markov;
using OmniTrackIQ.Attribution.Paths;
using OmniTrackIQ.Attribution.Shapley;
using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Store.DuckDb.Attribution;

namespace OmniTrackIQ.Pipeline.Tests.Attribution;

/// <summary>The incremental worker against a real DuckDB file: scope, idempotency, stitching, data-driven rows.</summary>
public sealed class AttributionRunnerTests : IAsyncLifetime
{
    private readonly AttributionStoreFixture _db = new();

    [Fact]
    public async Task Incremental_runs_touch_only_new_people_and_end_equal_to_a_full_recompute()
    {
        await _db.WriteAsync(
            _db.Page("a", 1, "Paid Search", "brand"), _db.Conversion("a", 2, "o1", 100),
            _db.Page("b", 1, "Email"), _db.Page("b", 3, "Direct"), _db.Conversion("b", 4, "o2", 50));

        var first = await _db.RunAsync();
        Assert.True(first.Full);
        Assert.Equal((2, 2), (first.Conversions, first.People));

        var idle = await _db.RunAsync();
        Assert.False(idle.Full);
        Assert.Equal((0, 0), (idle.Conversions, idle.People));
        Assert.Equal(first.LoadedThrough, idle.LoadedThrough);

        await _db.WriteAsync(_db.Page("c", 5, "Organic Search"), _db.Conversion("c", 6, "o3", 30));
        var next = await _db.RunAsync();
        Assert.False(next.Full);
        Assert.Equal((1, 1), (next.Conversions, next.People));
        Assert.True(next.LoadedThrough > first.LoadedThrough);

        var incremental = _db.ResultSnapshot();
        var full = await _db.RecomputeAsync();
        Assert.True(full.Full);
        Assert.Equal(3, full.Conversions);
        Assert.Equal(incremental, _db.ResultSnapshot());

        var linear = _db.CreditByChannel("linear");
        Assert.Equal(1, linear["Paid Search"], 12);
        Assert.Equal(0.5, linear["Email"], 12);
        Assert.Equal(0.5, linear["Direct"], 12);
        Assert.Equal(1, linear["Organic Search"], 12);
    }

    [Fact]
    public async Task A_later_identify_moves_the_phone_visit_into_the_laptop_conversion()
    {
        await _db.WriteAsync(_db.Page("phone", 1, "Paid Social"), _db.Conversion("laptop", 3, "o1", 80));
        await _db.RunAsync();
        Assert.Equal(1, _db.CreditByChannel("linear")[AttributionSchema.NoTouchChannel], 12);

        await _db.WriteAsync(_db.Identify("phone", 1.5, userId: "u1"), _db.Identify("laptop", 2.9, userId: "u1"));
        var run = await _db.RunAsync();
        Assert.False(run.Full);
        Assert.Equal(1, run.Conversions);

        var linear = _db.CreditByChannel("linear");
        Assert.Equal(1, Assert.Single(linear).Value, 12);
        Assert.Equal("Paid Social", linear.Keys.Single());
        Assert.Equal(1, _db.Query("SELECT count(*) FROM conversions WHERE workspace = 'w'", r => r.GetInt64(0)).Single());
        Assert.Equal(2, _db.Query("SELECT count(*) FROM identity_links WHERE workspace = 'w' AND source = 'identify'", r => r.GetInt64(0)).Single());
    }

    [Fact]
    public async Task An_order_posted_again_by_the_server_stays_one_conversion_of_the_first_poster()
    {
        await _db.WriteAsync(_db.Page("a", 1, "Email"), _db.Conversion("a", 2, "o1", 40));
        await _db.RunAsync();
        await _db.WriteAsync(_db.Conversion(null, 2.01, "o1", 40, userId: "server-customer-9"));
        await _db.RunAsync();

        var conversions = _db.Query("SELECT conversion_id, person, revenue FROM conversions WHERE workspace = 'w'",
            r => (r.GetString(0), r.GetString(1), r.GetDouble(2)));
        Assert.Equal(("o1", "a:a", 40.0), Assert.Single(conversions));
        Assert.Equal(1, _db.CreditByChannel("last")["Email"], 12);
        Assert.Single(_db.CreditByChannel("last"));
    }

    [Fact]
    public async Task W_shaped_gives_the_visit_of_the_first_identify_the_lead_share()
    {
        await _db.WriteAsync(
            _db.Page("a", 1, "Paid Search"), _db.Page("a", 2, "Email"), _db.Identify("a", 2.01, emailSha256: "e1"),
            _db.Page("a", 3, "Organic Social"), _db.Page("a", 4, "Direct"), _db.Conversion("a", 5, "o1", 10),
            _db.Identify("a", 4.5, emailSha256: "e1"));
        await _db.RunAsync();

        var credits = _db.Credits("o1", "w_shaped");
        Assert.Equal(["Paid Search", "Email", "Organic Social", "Direct"], credits.Select(c => c.Channel));
        Assert.Equal([0.3, 0.3, 0.1, 0.3], credits.Select(c => Math.Round(c.Credit, 12)));
    }

    [Fact]
    public async Task Markov_and_shapley_rows_follow_the_models_over_converting_and_null_paths()
    {
        await _db.WriteAsync(
            _db.Page("p1", 1, "Paid Search"), _db.Page("p1", 2, "Email"), _db.Conversion("p1", 3, "o1", 100),
            _db.Page("p2", 1, "Paid Search"),
            _db.Page("p3", 1, "Email"), _db.Conversion("p3", 2, "o3", 60),
            _db.Page("p4", 1, "Paid Search"), _db.Page("p4", 2, "Email"));
        await _db.RunAsync();

        IReadOnlyList<PathCount> paths =
        [
            new(["Email"], 1, 60, 0),
            new(["Paid Search"], 0, 0, 1),
            new(["Paid Search", "Email"], 1, 100, 1),
        ];
        var markov = MarkovModel.Compute(paths);
        var shapley = ShapleyModel.Compute(paths);
        var stored = _db.Query("SELECT model, channel, weight, conversions FROM attribution_channel_models WHERE workspace = 'w'",
            r => (r.GetString(0), r.GetString(1), r.GetDouble(2), r.GetDouble(3)));
        foreach (var (channel, effect) in markov.RemovalEffects)
        {
            Assert.Equal(effect, stored.Single(s => s.Item1 == "markov" && s.Item2 == channel).Item3, 12);
        }

        foreach (var (channel, credit) in shapley.Channels)
        {
            Assert.Equal(credit.Conversions, stored.Single(s => s.Item1 == "shapley" && s.Item2 == channel).Item4, 12);
        }

        var effects = markov.RemovalEffects;
        var o1 = _db.Credits("o1", "markov");
        Assert.Equal(effects["Paid Search"] / (effects["Paid Search"] + effects["Email"]), o1.Single(c => c.Channel == "Paid Search").Credit, 12);
        Assert.Equal(1, Assert.Single(_db.Credits("o3", "shapley")).Credit, 12);
        var sums = _db.Query("SELECT model, conversion_id, sum(credit) FROM attribution_results WHERE workspace = 'w' GROUP BY ALL",
            r => r.GetDouble(2));
        Assert.Equal(2 * 9, sums.Count);
        Assert.All(sums, s => Assert.Equal(1, s, 12));
    }

    [Fact]
    public async Task Backfill_of_a_range_recomputes_only_people_converting_in_it_and_reports_progress()
    {
        await _db.WriteAsync(_db.Page("a", 0, "Email"), _db.Conversion("a", 1, "o1", 10), _db.Page("b", 8, "Direct"), _db.Conversion("b", 9, "o2", 20));
        await _db.RunAsync();

        var reports = new List<AttributionProgress>();
        var run = await _db.Runner.BackfillAsync("w", _db.Settings, AttributionStoreFixture.Day0.AddDays(5).UtcDateTime,
            AttributionStoreFixture.Day0.AddDays(15).UtcDateTime, new SyncProgress(reports), CancellationToken.None);
        Assert.Equal((1, 1, false), (run.Conversions, run.People, run.Full));
        Assert.Equal(new AttributionProgress(1, 1), reports[^1]);
        Assert.Equal(2, _db.Query("SELECT count(*) FROM conversions WHERE workspace = 'w'", r => r.GetInt64(0)).Single());
    }

    [Fact]
    public async Task Changed_settings_recompute_everything_with_the_new_window()
    {
        await _db.WriteAsync(_db.Page("a", 1, "Paid Search"), _db.Conversion("a", 3, "o1", 10));
        await _db.RunAsync();
        Assert.Equal(1, _db.CreditByChannel("first")["Paid Search"], 12);

        _db.Settings = _db.Settings with { LookbackDays = 1 };
        var run = await _db.RunAsync();
        Assert.True(run.Full);
        Assert.Equal(1, _db.CreditByChannel("first")[AttributionSchema.NoTouchChannel], 12);
        Assert.Equal(AttributionSchema.NoTouchChannel, _db.Query("SELECT path FROM conversions", r => r.GetString(0)).Single());
    }

    [Fact]
    public async Task A_database_with_the_old_results_table_is_upgraded_to_the_view_and_recomputed()
    {
        await _db.Database.WriteAsync(c => OmniTrackIQ.Store.DuckDb.DuckDbEventStore.Execute(c,
            "CREATE TABLE attribution_results (workspace VARCHAR, conversion_id VARCHAR, model VARCHAR, credit DOUBLE)"), CancellationToken.None);
        await _db.WriteAsync(_db.Page("a", 1, "Email"), _db.Conversion("a", 2, "o1", 10));
        var fresh = new AttributionRunner(_db.Database, OmniTrackIQ.Pipeline.Tests.Attribution.AttributionStoreFixture.Clock());

        var run = await fresh.RunAsync("w", _db.Settings, CancellationToken.None);

        Assert.True(run.Full);
        Assert.Equal("VIEW", _db.Query("SELECT table_type FROM information_schema.tables WHERE table_name = 'attribution_results'", r => r.GetString(0)).Single());
        Assert.Equal(1, _db.CreditByChannel("shapley")["Email"], 12);
    }

    [Fact]
    public async Task On_the_fly_attribution_with_the_stored_settings_equals_the_stored_results_for_every_model()
    {
        await _db.WriteAsync(
            _db.Page("p1", 1, "Paid Search", "brand"), _db.Page("p1", 2, "Email"), _db.Identify("p1", 2.1, userId: "u1"),
            _db.Page("p1", 3, "Direct"), _db.Conversion("p1", 4, "o1", 100),
            _db.Page("p2", 1, "Paid Social", "retarget"), _db.Conversion("laptop", 2, "o2", 40, userId: "u2"), _db.Identify("p2", 1.5, userId: "u2"),
            _db.Page("p3", 1, "Paid Search", "generic"), _db.Page("p3", 5, "Organic Search"),
            _db.Page("p4", 1, "Email"), _db.Conversion("p4", 1.5, "o4", 30), _db.Page("p4", 2, "Referral"), _db.Conversion("p4", 3, "o5", 10),
            _db.Conversion("p5", 1, "o6", 5));
        await _db.RunAsync();
        var summary = new AttributionSummary(_db.Database, _db.Runner);

        foreach (var groupBy in new[] { AttributionGroupBy.Channel, AttributionGroupBy.Campaign })
        {
            var stored = await summary.SummarizeAsync("w", AttributionModels.Names.ToList(), groupBy, null, null, null, null, CancellationToken.None);
            var onTheFly = await summary.SummarizeAsync("w", AttributionModels.Names.ToList(), groupBy, null, null, _db.Settings, null, CancellationToken.None);
            foreach (var model in AttributionModels.Names)
            {
                Assert.Equal(stored[model], onTheFly[model]);
                Assert.Equal(185, stored[model].Sum(r => r.Revenue), 2); // rows are rounded to 4 decimals
            }
        }
    }

    [Fact]
    public async Task Path_counts_stay_the_sum_of_every_persons_paths_through_ticks_a_stitch_and_an_erasure()
    {
        await _db.WriteAsync(
            _db.Page("a", 1, "Paid Search"), _db.Page("a", 2, "Email"), _db.Conversion("a", 3, "o1", 100.1m),
            _db.Page("b", 1, "Paid Search"), _db.Page("b", 2, "Email"), _db.Conversion("b", 3, "o2", 20.2m),
            _db.Page("c", 1, "Direct"), _db.Page("d", 1, "Email"));
        await _db.RunAsync();
        Assert.Equal(PersonPathSums(), PathCounts());

        // b's path changes, c and d become one person (c's and d's paths go, the stitched one comes), e is new.
        await _db.WriteAsync(_db.Page("b", 4, "Direct"), _db.Conversion("b", 5, "o3", 5.5m),
            _db.Identify("c", 2, userId: "u1"), _db.Identify("d", 2, userId: "u1"), _db.Conversion("d", 3, "o4", 30),
            _db.Page("e", 1, "Referral"));
        var tick = await _db.RunAsync();
        Assert.False(tick.Full);
        Assert.Equal(PersonPathSums(), PathCounts());
        Assert.Equal((4.0, 1.0), (PathCounts().Sum(p => p.Conversions), PathCounts().Sum(p => p.Nulls))); // o1–o4; e's tail (c's and d's went)

        await new OmniTrackIQ.Store.DuckDb.Erasure.DuckDbErasureStore(_db.Database)
            .ErasePersonAsync("w", [OmniTrackIQ.Pipeline.Erasure.PersonKey.Anonymous("a")], CancellationToken.None);
        Assert.Equal(PersonPathSums(), PathCounts());
        Assert.Equal(3.0, PathCounts().Sum(p => p.Conversions)); // a's o1 went with a

        await _db.RecomputeAsync();
        Assert.Equal(PersonPathSums(), PathCounts());
    }

    [Fact]
    public async Task A_database_from_before_path_counts_gets_them_from_its_paths_on_start_and_ticks_as_a_recompute_would()
    {
        await _db.WriteAsync(
            _db.Page("a", 1, "Paid Search"), _db.Page("a", 2, "Email"), _db.Conversion("a", 3, "o1", 100),
            _db.Page("b", 1, "Email"), _db.Page("c", 1, "Direct"), _db.Conversion("c", 2, "o2", 40));
        await _db.RunAsync();
        var before = PathCounts();
        await _db.Database.WriteAsync(c => OmniTrackIQ.Store.DuckDb.DuckDbEventStore.Execute(c, "DROP TABLE path_counts"), CancellationToken.None);

        var upgraded = new AttributionRunner(_db.Database, AttributionStoreFixture.Clock());
        await upgraded.EnsureTableAsync(CancellationToken.None);
        Assert.Equal(before, PathCounts());

        await _db.WriteAsync(_db.Page("b", 2, "Paid Search"), _db.Conversion("b", 3, "o3", 10));
        var tick = await upgraded.RunAsync("w", _db.Settings, CancellationToken.None);
        Assert.False(tick.Full);
        var incremental = _db.ResultSnapshot();
        await upgraded.RecomputeAsync("w", _db.Settings, null, CancellationToken.None);
        Assert.Equal(incremental, _db.ResultSnapshot());
        Assert.Equal(PersonPathSums(), PathCounts());
    }

    private List<(string Path, double Conversions, double Value, double Nulls)> PathCounts() =>
        _db.Query("SELECT path, conversions, round(conversion_value, 9), nulls FROM path_counts WHERE workspace = 'w' ORDER BY path",
            r => (r.GetString(0), r.GetDouble(1), r.GetDouble(2), r.GetDouble(3)));

    private List<(string Path, double Conversions, double Value, double Nulls)> PersonPathSums() =>
        _db.Query("""
            SELECT path, sum(conversions), round(sum(conversion_value), 9), sum(nulls) FROM person_paths WHERE workspace = 'w'
            GROUP BY path ORDER BY path
            """,
            r => (r.GetString(0), r.GetDouble(1), r.GetDouble(2), r.GetDouble(3)));

    public Task InitializeAsync() => _db.InitializeAsync();

    public Task DisposeAsync()
    {
        _db.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>IProgress that records synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SyncProgress(List<AttributionProgress> reports) : IProgress<AttributionProgress>
    {
        public void Report(AttributionProgress value) => reports.Add(value);
    }
}
