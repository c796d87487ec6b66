using OmniTrackIQ.Attribution.Identity;
using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Attribution.Runs;

/// <summary>
/// The attribution run, the same for every store (a store only moves data, through <see cref="IAttributionRunStore"/>),
/// incremental and idempotent:
/// <list type="number">
/// <item>the events loaded since the last run's mark add their identity links;</item>
/// <item>the people they touch — after stitching, plus the earlier owner of a re-posted order — are the scope; only
/// their identity components (<see cref="IdentityClosure"/>) and journeys are read and recomputed (everyone, from every
/// link, on the first run, when the settings changed, or on request);</item>
/// <item>their results are replaced, Markov and Shapley refitted over every current path (from the sums over the paths a
/// store keeps by delta, <see cref="Paths.ChannelModelCounts"/>, when it keeps them), and the run recorded; the
/// store shows none of it before the commit, so a crash leaves nothing half visible and the next run writes the same rows.</item>
/// </list>
/// Re-running with nothing new does nothing.
/// </summary>
public sealed class AttributionOrchestrator(IAttributionRunStore store) : IAttributionStore
{
    /// <summary>Up to this many identity keys in scope, a run reads its journeys before it starts writing (the writes then hold the store briefly).</summary>
    public const int ReadAheadMaxKeys = 50_000;

    private const int ProgressEvery = 1000;

    public Task<AttributionRun> RunAsync(string workspace, AttributionSettings settings, CancellationToken cancellationToken) =>
        RunAsync(workspace, settings, RunScope.Changed, null, null, null, cancellationToken);

    public Task<AttributionRun> RecomputeAsync(string workspace, AttributionSettings settings, IProgress<AttributionProgress>? progress, CancellationToken cancellationToken) =>
        RunAsync(workspace, settings, RunScope.All, null, null, progress, cancellationToken);

    /// <summary>
    /// Recomputes the people with a conversion in [<paramref name="from"/>, <paramref name="to"/>) (open bounds when
    /// null) — all their conversions, so their rows stay consistent — plus anything new; both null is a full recompute.
    /// </summary>
    public Task<AttributionRun> BackfillAsync(string workspace, AttributionSettings settings, DateTime? from, DateTime? to,
        IProgress<AttributionProgress>? progress, CancellationToken cancellationToken) =>
        from is null && to is null
            ? RecomputeAsync(workspace, settings, progress, cancellationToken)
            : RunAsync(workspace, settings, RunScope.Range, from, to, progress, cancellationToken);

    /// <summary>One run: the first run, changed settings or <see cref="RunScope.All"/> recompute everything.</summary>
    public async Task<AttributionRun> RunAsync(string workspace, AttributionSettings settings, RunScope scope,
        DateTime? from, DateTime? to, IProgress<AttributionProgress>? progress, CancellationToken cancellationToken)
    {
        var attributor = new JourneyAttributor(settings.ToOptions(), AttributionModels.Heuristics);
        await using var run = await store.BeginRunAsync(workspace, cancellationToken);
        var mark = run.Mark;
        var full = scope == RunScope.All || mark.Settings != settings.Key;
        if (!full && scope == RunScope.Changed && mark.NothingNew) { return new AttributionRun(0, 0, false, mark.StoredThrough); }

        await run.AddLinksSinceMarkAsync(cancellationToken);
        JourneyScope journeyScope;
        var totalPeople = 0;
        if (full)
        {
            var (people, leadMs) = await PersonResolver.FromLinksAsync(run.LinksAsync(cancellationToken), cancellationToken);
            journeyScope = new JourneyScope(people, leadMs, null);
        }
        else
        {
            // Only the people the new events touch: their identity components, read from the store a few at a time.
            var seeds = new HashSet<string>(StringComparer.Ordinal);
            if (scope == RunScope.Range) { await AddKeysAsync(seeds, run.KeysConvertingInAsync(from, to, cancellationToken)); }
            await AddKeysAsync(seeds, run.KeysTouchedSinceMarkAsync(cancellationToken));
            var closure = new IdentityClosure(seeds);
            while (closure.Pending.Count > 0) { closure.Add(await ReadAllAsync(run.LinksOfPeopleAsync(closure.Pending, cancellationToken))); }
            var people = closure.Resolve(out var leadMs);
            var roots = seeds.Select(people.Find).ToHashSet(StringComparer.Ordinal);
            journeyScope = new JourneyScope(people, leadMs, people.KeysOf(roots));
            totalPeople = roots.Count; // an upper bound (a root may have no events left), cheaper than counting
        }

        await run.MapPeopleAsync(journeyScope, cancellationToken);
        if (!journeyScope.IsPartial && progress is not null) { totalPeople = await run.CountJourneysAsync(cancellationToken) ?? 0; } // a scan: only when someone watches

        // A usual incremental tick touches few people: read their journeys before writing, so the store keeps loading
        // events meanwhile. Full runs (and huge scopes) stream, one person at a time, so memory stays flat.
        IAsyncEnumerable<PersonJourney> journeys = run.JourneysAsync(cancellationToken);
        if (journeyScope.Keys is { Count: <= ReadAheadMaxKeys }) { journeys = (await ReadAllAsync(journeys)).ToAsyncEnumerable(); }

        await using var writer = await run.BeginWritesAsync(journeyScope, cancellationToken);
        var conversions = 0;
        var done = 0;
        await foreach (var journey in journeys)
        {
            var result = attributor.Attribute(journey.Touches, journey.Conversions, journey.LeadTimestampMs);
            await writer.WriteAsync(journey, result, cancellationToken);
            conversions += result.Conversions.Count;
            if (++done % ProgressEvery == 0) { progress?.Report(new AttributionProgress(done, Math.Max(done, totalPeople))); }
        }

        progress?.Report(new AttributionProgress(done, done));
        var counts = await writer.CurrentCountsAsync(settings.MarkovOrder, cancellationToken);
        var models = counts is null
            ? ChannelModelFit.Fit(await writer.CurrentPathsAsync(cancellationToken), settings.MarkovOrder)
            : ChannelModelFit.Fit(counts);
        await writer.WriteChannelModelsAsync(models, cancellationToken);
        await writer.CommitAsync(settings.Key, cancellationToken);
        return new AttributionRun(conversions, done, full, mark.Through);
    }

    private static async Task AddKeysAsync(HashSet<string> seeds, IAsyncEnumerable<string> keys)
    {
        await foreach (var key in keys)
        {
            if (key.Length > 0) { seeds.Add(key); }
        }
    }

    private static async Task<List<T>> ReadAllAsync<T>(IAsyncEnumerable<T> rows)
    {
        var all = new List<T>();
        await foreach (var row in rows) { all.Add(row); }
        return all;
    }
}
