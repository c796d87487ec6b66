using DuckDB.NET.Data;
using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// Attribution over the embedded store, incremental and idempotent:
/// <list type="number">
/// <item>events loaded since the last run (by <c>load_seq</c>) add their identity links;</item>
/// <item>the people they touch — after stitching, plus the earlier owner of a re-posted order — are the
/// scope; only their journeys are read and recomputed (all people on the first run, when the settings
/// changed, or on request);</item>
/// <item>in one transaction their old conversions, results and paths are deleted and the new ones written,
/// then Markov and Shapley are refitted over all paths (their rows are a view), and the state advances.</item>
/// </list>
/// Re-running with nothing new does nothing; re-running after a crash recomputes the same rows.
/// </summary>
public sealed class AttributionRunner : ScopedAttributionStore
{
    /// <summary>Up to this many identity keys in scope, a run reads its journeys into memory before locking the writer.</summary>
    private const int ReadAheadMaxKeys = 50_000;

    private readonly DuckDbDatabase _database;
    private readonly TimeProvider _time;
    private int _tablesReady;

    public AttributionRunner(DuckDbDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

    /// <summary>
    /// Creates the attribution tables once per process (idempotent DDL), and <c>events</c> too, so a worker
    /// that runs alone (<c>--role attribute</c>) or before the sink's first write finds it.
    /// </summary>
    public async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _tablesReady) == 1) { return; }
        await _database.WriteAsync(connection =>
        {
            using (var check = connection.CreateCommand())
            {
                check.CommandText = AttributionSchema.ResultsTableExists;
                if (Convert.ToInt64(check.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0)
                {
                    DuckDbEventStore.Execute(connection, "DROP TABLE attribution_results; DROP TABLE IF EXISTS attribution_state;");
                }
            }

            return DuckDbEventStore.Execute(connection, EventsSchema.CreateEvents + AttributionSchema.Create + AttributionSchema.CreateResultsView);
        }, cancellationToken);
        Volatile.Write(ref _tablesReady, 1);
    }

    protected override async Task<AttributionRun> RunCoreAsync(string workspace, AttributionSettings settings, RunScope scope,
        DateTime? from, DateTime? to, IProgress<AttributionProgress>? progress, CancellationToken cancellationToken)
    {
        var options = settings.ToOptions();
        await EnsureTableAsync(cancellationToken);
        var state = await _database.WriteAsync(connection => RunState.Advance(connection, workspace), cancellationToken);
        var full = scope == RunScope.All || state.Settings != settings.Key;
        if (!full && scope == RunScope.Changed && state.Through == state.Previous)
        {
            return new AttributionRun(0, 0, false, state.Through);
        }

        // The reader streams journeys (its own snapshot) while the writer connection replaces the results.
        using var reader = _database.OpenReader();
        var people = IdentityGraph.Load(reader, workspace, out var leadMs);
        List<string>? scopeKeys = null;
        var totalPeople = 0;
        if (!full)
        {
            var roots = scope == RunScope.Range
                ? ScopeReader.PeopleConvertingIn(reader, workspace, people, from, to)
                : [];
            roots.UnionWith(ScopeReader.PeopleChangedSince(reader, workspace, people, state.Previous, state.Through));
            scopeKeys = people.KeysOf(roots);
            totalPeople = roots.Count; // an upper bound (a root may have no events left), cheaper than counting
            JourneyReader.SetScope(reader, scopeKeys);
        }

        JourneyReader.SetPeople(reader, people);
        var scoped = scopeKeys is not null;
        if (!scoped && progress is not null) { totalPeople = JourneyReader.CountPeople(reader, workspace); } // a scan: only when someone watches
        var computedAt = _time.GetUtcNow().UtcDateTime;
        var attributor = new JourneyAttributor(options, AttributionModels.Heuristics);

        // A usual incremental tick touches few people: read their journeys before taking the write lock, so
        // the sink keeps loading events meanwhile. Full runs (and huge scopes) stream under the lock instead,
        // one person at a time, so memory stays flat.
        IEnumerable<PersonJourney> journeys = JourneyReader.Stream(reader, workspace, leadMs, scoped);
        if (scopeKeys is { Count: <= ReadAheadMaxKeys }) { journeys = journeys.ToList(); }

        return await _database.WriteAsync(connection =>
        {
            using var transaction = connection.BeginTransaction();
            if (scopeKeys is not null) { JourneyReader.SetScope(connection, scopeKeys); }
            var writer = new ResultWriter(connection, workspace, computedAt);
            writer.DeleteOld(transaction, scoped);
            var (conversions, persons) = writer.Write(attributor, journeys, totalPeople, progress);
            DataDrivenCredits.Refit(connection, transaction, workspace, settings.MarkovOrder, computedAt);
            RunState.Save(connection, transaction, workspace, state.Through, settings.Key, computedAt);
            transaction.Commit();
            return new AttributionRun(conversions, persons, full, state.Through);
        }, cancellationToken);
    }
}
