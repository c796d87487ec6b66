using OmniTrackIQ.Attribution.Identity;
using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Runs;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Pipeline.Tests.Attribution;

/// <summary>
/// A tick whose journeys stream after its writes begin, as the orchestrator runs a scope of more than
/// <see cref="AttributionOrchestrator.ReadAheadMaxKeys"/> keys: the embedded store then finds the orders its deletes
/// replace in <c>journey_events</c>, since no journey has been read yet to name them.
/// </summary>
public sealed class StreamedTickTests : IDisposable
{
    private readonly AttributionStoreFixture _db = new();

    [Fact]
    public async Task A_tick_whose_journeys_stream_after_the_writes_begin_ends_equal_to_a_full_recompute()
    {
        await _db.WriteAsync(
            _db.Page("a", 1, "Email"), _db.Conversion("a", 2, "o1", 40),
            _db.Page("b", 1, "Paid Search"), _db.Conversion("b", 3, "o2", 70));
        await _db.RunAsync();
        await _db.WriteAsync(
            _db.Conversion(null, 2.01, "o1", 40, userId: "server-customer-9"), // o1 re-posted by the shop's server
            _db.Page("b", 2.5, "Direct"), _db.Identify("b", 2.6, userId: "u-b"),
            _db.Page("c", 4, "Referral"), _db.Conversion("c", 5, "o3", 20));

        Assert.Equal(3, await StreamedTickAsync()); // o1 (still a's, the first poster), o2 (b's new visit), o3 (c, new)
        var tick = _db.ResultSnapshot();
        var owners = _db.Query("SELECT conversion_id, person FROM conversions WHERE workspace = 'w' ORDER BY 1", r => (r.GetString(0), r.GetString(1)));
        Assert.Equal([("o1", "a:a"), ("o2", "a:b"), ("o3", "a:c")], owners);

        await _db.RecomputeAsync();
        Assert.Equal(_db.ResultSnapshot(), tick);
    }

    /// <summary>The orchestrator's tick (<see cref="AttributionOrchestrator.RunAsync(string, AttributionSettings, RunScope, DateTime?, DateTime?, IProgress{AttributionProgress}?, CancellationToken)"/>) with the writes begun before the journeys are read.</summary>
    private async Task<int> StreamedTickAsync()
    {
        var ct = CancellationToken.None;
        await using var run = await _db.Runner.BeginRunAsync("w", ct);
        await run.AddLinksSinceMarkAsync(ct);
        var seeds = await run.KeysTouchedSinceMarkAsync(ct).ToHashSetAsync(StringComparer.Ordinal, ct);
        var closure = new IdentityClosure(seeds);
        while (closure.Pending.Count > 0) { closure.Add(await run.LinksOfPeopleAsync(closure.Pending, ct).ToListAsync(ct)); }
        var people = closure.Resolve(out var leadMs);
        var scope = new JourneyScope(people, leadMs, people.KeysOf(seeds.Select(people.Find).ToHashSet(StringComparer.Ordinal)));
        await run.MapPeopleAsync(scope, ct);

        await using var writer = await run.BeginWritesAsync(scope, ct);
        var attributor = new JourneyAttributor(_db.Settings.ToOptions(), AttributionModels.Heuristics);
        var conversions = 0;
        await foreach (var journey in run.JourneysAsync(ct))
        {
            var result = attributor.Attribute(journey.Touches, journey.Conversions, journey.LeadTimestampMs);
            await writer.WriteAsync(journey, result, ct);
            conversions += result.Conversions.Count;
        }

        var counts = await writer.CurrentCountsAsync(_db.Settings.MarkovOrder, ct) ?? throw new InvalidOperationException("DuckDB keeps its counts.");
        await writer.WriteChannelModelsAsync(ChannelModelFit.Fit(counts), ct);
        await writer.CommitAsync(_db.Settings.Key, ct);
        return conversions;
    }

    public void Dispose() => _db.Dispose();
}
