using OmniTrackIQ.Attribution.Identity;
using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Store.ClickHouse.Attribution;

/// <summary>
/// Attribution over ClickHouse, incremental and idempotent, with the shared rules (identity stitching, journey
/// assembly, models) and ClickHouse doing the heavy part (journeys assembled per person with groupArray):
/// <list type="number">
/// <item>the events loaded after the last run's mark (<c>load_ms</c>, less <see cref="ClickHouseStoreOptions.LoadMarkMargin"/>
/// for rows other ingest nodes stamped earlier or made visible late) add their identity links;</item>
/// <item>the people those events touch, after stitching, plus the earlier owner of any order they re-post, are the
/// scope: only their journeys are read (everyone on the first run, when the settings changed, or on request);</item>
/// <item>their conversions, touches and paths are written under a new run number, Markov and Shapley refitted over
/// every current path, and the run is recorded last: readers only see finished runs, so a crash leaves nothing half
/// visible and the next run writes the same rows again.</item>
/// </list>
/// One worker per workspace at a time (the collector's attribution role); ingest may run on many nodes.
/// </summary>
public sealed class ClickHouseAttributionStore(ClickHouseDatabase database, ClickHouseEventStore events, TimeProvider time) : ScopedAttributionStore
{
    /// <summary>The per-order subquery (net revenue, currency) journeys credit; the order ledger's numbers.</summary>
    internal static string Orders(string db, string ws) => OmniTrackIQ.Store.ClickHouse.Orders.OrdersSql.Orders(db, ws);

    protected override async Task<AttributionRun> RunCoreAsync(string workspace, AttributionSettings settings, RunScope scope,
        DateTime? from, DateTime? to, IProgress<AttributionProgress>? progress, CancellationToken cancellationToken)
    {
        var options = settings.ToOptions();
        await events.InitializeAsync(cancellationToken);
        var db = database.Name;
        var ws = SqlLiteral.String(workspace);
        var state = await RunState.ReadAsync(database, ws, cancellationToken);
        var (through, rows) = await LoadedAsync(ws, cancellationToken);
        var since = SinceMark(state);
        var full = scope == RunScope.All || !state.Exists || state.Settings != settings.Key;
        // Nothing new: no row above the mark and no more rows than then (a row another node stamped below the mark
        // still counts). Only a tick that runs widens its scope by the margin.
        var unchanged = through <= state.LoadedThrough && rows == state.LoadedRows;
        if (!full && scope == RunScope.Changed && unchanged) { return new AttributionRun(0, 0, false, (long)state.LoadedThrough); }

        var run = Math.Max(database.NextLoadMs(), state.Run + 1);
        if (through > since || !unchanged) { await database.InsertSelectAsync(IdentityLinks.InsertSince(db, ws, since, run), cancellationToken); }
        var (people, leadMs) = await IdentityLinks.LoadAsync(database, ws, cancellationToken);

        List<string>? scopeKeys = null;
        if (!full)
        {
            var roots = scope == RunScope.Range ? await PeopleConvertingInAsync(ws, people, from, to, cancellationToken) : [];
            roots.UnionWith(await PeopleChangedSinceAsync(ws, state, people, since, cancellationToken));
            scopeKeys = people.KeysOf(roots);
        }

        // The people map the journey query joins: every linked key on a full run, the scope's keys otherwise.
        var mapped = scopeKeys ?? [.. people.Keys];
        await database.InsertAsync("attribution_people", AttributionTables.PeopleColumns,
            mapped.Select(k => new object?[] { workspace, run, k, people.Find(k) }), cancellationToken);

        var batch = new ResultBatch(database, workspace, run);
        if (scopeKeys is not null)
        {
            foreach (var key in scopeKeys.Where(k => people.Find(k) != k)) { batch.AddMergedAway(key); }
        }

        var attributor = new JourneyAttributor(options, AttributionModels.Heuristics);
        var journeys = new JourneyRows(leadMs);
        var done = 0;
        await foreach (var row in database.StreamRowsAsync(JourneySql.Journeys(db, ws, run, Orders(db, ws), scoped: scopeKeys is not null), cancellationToken))
        {
            using (row)
            {
                var journey = journeys.Read(row.RootElement);
                batch.Add(journey, attributor.Attribute(journey.Touches, journey.Conversions, journey.LeadTimestampMs));
            }

            if (batch.Full) { await batch.FlushAsync(cancellationToken); }
            if (++done % 1000 == 0) { progress?.Report(new AttributionProgress(done, done)); }
        }

        await batch.FlushAsync(cancellationToken);
        progress?.Report(new AttributionProgress(done, done));
        var baseRun = full ? run : state.BaseRun;
        await DataDrivenFit.RefitAsync(database, workspace, ws, new RunState(run, baseRun, through, rows, settings.Key), settings.MarkovOrder, cancellationToken);
        await database.InsertAsync("attribution_state", AttributionTables.StateColumns,
            [[workspace, run, baseRun, Math.Max(through, state.LoadedThrough), rows, settings.Key, time.GetUtcNow().ToUnixTimeMilliseconds()]], cancellationToken);
        return new AttributionRun(batch.Conversions, done, full, (long)through);
    }

    /// <summary>The mark this run reads after: the last run's, less the margin for late or other-clock rows (0 before any run).</summary>
    private ulong SinceMark(RunState state)
    {
        if (!state.Exists) { return 0; }
        var margin = (ulong)Math.Max(0, database.Options.LoadMarkMargin.TotalMilliseconds);
        return state.LoadedThrough > margin ? state.LoadedThrough - margin : 0;
    }

    /// <summary>The newest load mark and the number of event rows of the workspace (counted from the primary key, cheap).</summary>
    private async Task<(ulong Through, ulong Rows)> LoadedAsync(string ws, CancellationToken cancellationToken)
    {
        (ulong, ulong) loaded = (0, 0);
        await database.ReadRowsAsync($"SELECT max(load_ms) AS m, count() AS c FROM {database.Name}.events WHERE workspace = {ws}",
            row => loaded = ((ulong)ClickHouseDatabase.Number(row.GetProperty("m")), (ulong)ClickHouseDatabase.Number(row.GetProperty("c"))), cancellationToken);
        return loaded;
    }

    /// <summary>People of the events loaded after <paramref name="since"/>, plus the current owner of any order those events re-post.</summary>
    private async Task<HashSet<string>> PeopleChangedSinceAsync(string ws, RunState state, PersonResolver people, ulong since, CancellationToken cancellationToken)
    {
        var db = database.Name;
        var roots = new HashSet<string>(StringComparer.Ordinal);
        await database.ReadRowsAsync($"""
            SELECT DISTINCT ifNull(anonymous_id, '') AS a, ifNull(user_id, '') AS u, ifNull(email_sha256, '') AS e
            FROM {db}.events WHERE workspace = {ws} AND load_ms > {since}
            """, row => AddPerson(people, roots, row), cancellationToken);
        if (state.Exists)
        {
            await database.ReadRowsAsync($"""
                SELECT DISTINCT person FROM {db}.attribution_conversions
                WHERE workspace = {ws} AND {state.ValidRuns()} AND conversion_id IN (
                    SELECT assumeNotNull(order_id) FROM {db}.events
                    WHERE workspace = {ws} AND type = 'conversion' AND isNotNull(order_id) AND load_ms > {since})
                """, row => roots.Add(people.Find(row.GetProperty("person").GetString()!)), cancellationToken);
        }

        return roots;
    }

    /// <summary>People with a conversion event at from ≤ ts &lt; to (null bounds are open).</summary>
    private async Task<HashSet<string>> PeopleConvertingInAsync(string ws, PersonResolver people, DateTime? from, DateTime? to, CancellationToken cancellationToken)
    {
        var roots = new HashSet<string>(StringComparer.Ordinal);
        await database.ReadRowsAsync($"""
            SELECT DISTINCT ifNull(anonymous_id, '') AS a, ifNull(user_id, '') AS u, ifNull(email_sha256, '') AS e
            FROM {database.Name}.events WHERE workspace = {ws} AND type = 'conversion' AND isNotNull(order_id) {EpochRange.Where("ts", from, to)}
            """, row => AddPerson(people, roots, row), cancellationToken);
        return roots;
    }

    private static void AddPerson(PersonResolver people, HashSet<string> roots, System.Text.Json.JsonElement row)
    {
        if (people.PersonOf(row.GetProperty("a").GetString(), row.GetProperty("u").GetString(), row.GetProperty("e").GetString()) is { } person) { roots.Add(person); }
    }
}
