using OmniTrackIQ.Attribution.Runs;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Attribution.Tests.Runs;

/// <summary>The attribution run's rules, over the port in memory (<see cref="InMemoryRunStore"/>): no store, no clock.</summary>
public sealed class AttributionOrchestratorTests
{
    private const long Day = 86_400_000;
    private static readonly AttributionSettings Settings = new();
    private readonly InMemoryRunStore _store = new();
    private readonly AttributionOrchestrator _orchestrator;

    public AttributionOrchestratorTests() => _orchestrator = new AttributionOrchestrator(_store);

    private Task<AttributionRun> RunAsync(AttributionSettings? settings = null) =>
        _orchestrator.RunAsync("ws", settings ?? Settings, CancellationToken.None);

    private void Visit(string anonymousId, long day, string channel) => _store.Add("page", day * Day, anonymousId, channel: channel);

    private void Order(string anonymousId, long day, string orderId, double revenue) =>
        _store.Add("conversion", day * Day, anonymousId, orderId: orderId, revenue: revenue);

    [Fact]
    public async Task The_first_run_recomputes_everyone_and_records_its_mark_and_settings()
    {
        Visit("1", 1, "Paid Search");
        Order("1", 2, "o-1", 50);
        Visit("2", 1, "Email");

        var run = await RunAsync();

        Assert.Equal(new AttributionRun(1, 2, true, 3), run);
        Assert.Null(_store.LastScopeKeys);
        Assert.Equal((3L, Settings.Key), _store.State);
        var (person, attributed) = _store.Conversions["o-1"];
        Assert.Equal("a:1", person);
        Assert.Equal("Paid Search", attributed.PathText);
    }

    [Fact]
    public async Task A_run_with_nothing_new_reads_no_links_and_writes_nothing()
    {
        Visit("1", 1, "Paid Search");
        Order("1", 2, "o-1", 50);
        await RunAsync();
        _store.Calls.Clear();

        var run = await RunAsync();

        Assert.Equal(new AttributionRun(0, 0, false, 2), run);
        Assert.Equal(["begin"], _store.Calls);
    }

    [Fact]
    public async Task New_events_recompute_only_the_people_they_touch_and_keep_the_others_rows()
    {
        Visit("1", 1, "Paid Search");
        Order("1", 2, "o-1", 50);
        Visit("2", 1, "Email");
        await RunAsync();

        Order("2", 3, "o-2", 20);
        var run = await RunAsync();

        Assert.Equal(new AttributionRun(1, 1, false, 4), run);
        Assert.Equal(["a:2"], _store.LastScopeKeys);
        Assert.Equal(["o-1", "o-2"], _store.Conversions.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Email", _store.Conversions["o-2"].Attributed.PathText);
    }

    [Fact]
    public async Task An_identify_that_stitches_two_devices_puts_both_keys_in_scope_and_moves_their_rows_to_one_person()
    {
        Visit("phone", 1, "Paid Social");
        Visit("laptop", 2, "Email");
        Order("laptop", 3, "o-1", 80);
        await RunAsync();
        Assert.Equal("a:laptop", _store.Conversions["o-1"].Person);

        _store.Add("identify", 4 * Day, "phone", userId: "u1");
        _store.Add("identify", 5 * Day, "laptop", userId: "u1");
        var run = await RunAsync();

        Assert.False(run.Full);
        Assert.Equal(["a:laptop", "a:phone", "u:u1"], _store.LastScopeKeys!.Order(StringComparer.Ordinal));
        var (person, attributed) = _store.Conversions["o-1"];
        Assert.Equal("a:laptop", person);
        Assert.Equal("Paid Social > Email", attributed.PathText);
        Assert.Equal(["a:laptop"], _store.Paths.Keys);
    }

    [Fact]
    public async Task A_tick_reads_only_its_people_s_links_and_keeps_the_people_a_full_run_keeps()
    {
        _store.Add("identify", 1 * Day, "a", userId: "ua");
        _store.Add("identify", 1 * Day, "b", userId: "ub");
        _store.Add("identify", 1 * Day, "z", userId: "uz");
        Order("b", 2, "o-1", 10);
        await RunAsync();
        Assert.Equal(new Dictionary<string, string> { ["u:ua"] = "a:a", ["u:ub"] = "a:b", ["u:uz"] = "a:z" }, _store.People);

        _store.Add("identify", 3 * Day, "b", userId: "ua"); // joins the people a and b
        _store.Calls.Clear();
        var tick = await RunAsync();

        Assert.False(tick.Full);
        Assert.DoesNotContain("links", _store.Calls); // no read of every link
        Assert.Equal(["a:a", "a:b", "u:ua", "u:ub"], _store.LastScopeKeys!.Order(StringComparer.Ordinal)); // z is not touched
        Assert.Equal(new Dictionary<string, string> { ["a:b"] = "a:a", ["u:ua"] = "a:a", ["u:ub"] = "a:a", ["u:uz"] = "a:z" }, _store.People);
        Assert.Equal("a:a", _store.Conversions["o-1"].Person);

        var kept = new Dictionary<string, string>(_store.People);
        _store.People.Clear();
        await _orchestrator.RecomputeAsync("ws", Settings, null, CancellationToken.None);
        Assert.Equal(kept, _store.People);
    }

    [Fact]
    public async Task An_order_reported_again_by_another_device_takes_its_earlier_owner_into_scope()
    {
        Visit("1", 1, "Paid Search");
        Order("1", 2, "o-1", 50);
        await RunAsync();

        _store.Add("conversion", 3 * Day, "2", orderId: "o-1", revenue: 50);
        await RunAsync();

        Assert.Equal(["a:1", "a:2"], _store.LastScopeKeys!.Order(StringComparer.Ordinal));
        Assert.Equal("a:1", _store.Conversions["o-1"].Person); // the earliest report keeps the order
    }

    [Fact]
    public async Task Changed_settings_recompute_everyone()
    {
        Visit("1", 1, "Paid Search");
        Order("1", 2, "o-1", 50);
        await RunAsync();

        var run = await RunAsync(Settings with { LookbackDays = 7 });

        Assert.True(run.Full);
        Assert.Null(_store.LastScopeKeys);
        Assert.Equal((Settings with { LookbackDays = 7 }).Key, _store.State.Settings);
    }

    [Fact]
    public async Task A_backfill_over_a_range_adds_the_people_converting_in_it_to_what_changed()
    {
        Visit("1", 1, "Paid Search");
        Order("1", 2, "o-1", 50);
        Visit("2", 1, "Email");
        Order("2", 20, "o-2", 10);
        await RunAsync();

        var epoch = DateTime.UnixEpoch;
        var run = await _orchestrator.BackfillAsync("ws", Settings, epoch.AddDays(10), epoch.AddDays(30), null, CancellationToken.None);

        Assert.Equal(new AttributionRun(1, 1, false, 4), run);
        Assert.Equal(["a:2"], _store.LastScopeKeys);
    }

    [Fact]
    public async Task Markov_and_Shapley_are_fitted_once_over_every_current_path_after_the_rows_are_written()
    {
        Visit("1", 1, "Paid Search");
        Order("1", 2, "o-1", 50);
        Visit("2", 1, "Email");
        await RunAsync();
        Order("2", 3, "o-2", 20);
        _store.Calls.Clear();

        await RunAsync();

        Assert.Equal(["row", "paths", "models", "commit"], _store.Calls.SkipWhile(c => c != "row").Distinct());
        Assert.Single(_store.Calls, "models");
        var paths = new List<Paths.PathCount> { new(["Email"], 1, 20), new(["Paid Search"], 1, 50) };
        Assert.Equal(ChannelModelFit.Fit(paths, Settings.MarkovOrder), _store.ChannelModels);
        Assert.Equal(["markov", "markov", "shapley", "shapley"], _store.ChannelModels.Select(m => m.Model).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_store_that_keeps_the_counts_over_its_paths_is_refitted_from_them_without_a_read_of_the_paths()
    {
        _store.KeepsCounts = true;
        Visit("1", 1, "Paid Search");
        Order("1", 2, "o-1", 50);
        Visit("2", 1, "Email");
        await RunAsync();
        Order("2", 3, "o-2", 20);
        _store.Calls.Clear();

        await RunAsync();

        Assert.Equal(["row", "counts", "models", "commit"], _store.Calls.SkipWhile(c => c != "row").Distinct());
        var paths = new List<Paths.PathCount> { new(["Email"], 1, 20), new(["Paid Search"], 1, 50) };
        Assert.Equal(ChannelModelFit.Fit(Paths.ChannelModelCounts.Of(paths, Settings.MarkovOrder)), _store.ChannelModels);
        Assert.Equal(["markov", "markov", "shapley", "shapley"], _store.ChannelModels.Select(m => m.Model).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_small_scope_is_read_before_the_writes_start_and_a_full_run_streams_while_writing()
    {
        Visit("1", 1, "Paid Search");
        Visit("2", 1, "Email");
        await RunAsync();
        var full = _store.Calls.SkipWhile(c => c != "map").ToList();
        Assert.Equal(["map", "write", "journey", "row", "journey", "row"], full.Take(6));

        Visit("1", 3, "Email");
        _store.Calls.Clear();
        await RunAsync();
        var partial = _store.Calls.SkipWhile(c => c != "map").ToList();
        Assert.Equal(["map", "journey", "write", "row"], partial.Take(4));
    }

    [Fact]
    public async Task A_watched_full_run_reports_progress_against_the_counted_journeys_and_ends_with_all_done()
    {
        for (var i = 0; i < 2500; i++) { Visit(i.ToString(System.Globalization.CultureInfo.InvariantCulture), 1, "Email"); }
        var reports = new List<AttributionProgress>();

        await _orchestrator.RecomputeAsync("ws", Settings, new SynchronousProgress(reports), CancellationToken.None);

        Assert.Equal([new(1000, 2500), new(2000, 2500), new(2500, 2500)], reports);
    }

    private sealed class SynchronousProgress(List<AttributionProgress> reports) : IProgress<AttributionProgress>
    {
        public void Report(AttributionProgress value) => reports.Add(value);
    }
}
