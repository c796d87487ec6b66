using System.Runtime.CompilerServices;
using OmniTrackIQ.Attribution.Identity;
using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Runs;

namespace OmniTrackIQ.Store.ClickHouse.Attribution;

/// <summary>
/// One attribution run over ClickHouse (<see cref="AttributionOrchestrator"/> drives it). The mark is <c>load_ms</c>,
/// read back by <see cref="ClickHouseStoreOptions.LoadMarkMargin"/> for rows other ingest nodes stamped earlier or made
/// visible late; the run writes under a new run number and records itself last (<see cref="ResultBatch"/>), so readers
/// only see finished runs. Journeys are assembled per person on the server (<see cref="JourneySql"/>).
/// </summary>
internal sealed class ClickHouseRunSession : IAttributionRunSession
{
    private readonly ClickHouseDatabase _database;
    private readonly TimeProvider _time;
    private readonly string _workspace;
    private readonly string _ws;
    private readonly RunState _state;
    private readonly ulong _through;
    private readonly ulong _rows;
    private readonly ulong _since;
    private ulong _run;
    private JourneyScope? _scope;

    private ClickHouseRunSession(ClickHouseDatabase database, TimeProvider time, string workspace, RunState state, ulong through, ulong rows)
    {
        _database = database;
        _time = time;
        _workspace = workspace;
        _ws = SqlLiteral.String(workspace);
        _state = state;
        _through = through;
        _rows = rows;
        _since = SinceMark(database, state);
        // Nothing new: no row above the mark and no more rows than then (a row another node stamped below the mark
        // still counts). Only a tick that runs widens its scope by the margin.
        var unchanged = through <= state.LoadedThrough && rows == state.LoadedRows;
        Mark = new RunMark(state.Exists ? state.Settings : null, unchanged, (long)through, (long)state.LoadedThrough);
    }

    public RunMark Mark { get; }

    /// <summary>This run's number (a load mark, above the last run's), taken once a run goes ahead.</summary>
    private ulong Run => _run != 0 ? _run : _run = Math.Max(_database.NextLoadMs(), _state.Run + 1);

    public static async Task<ClickHouseRunSession> StartAsync(ClickHouseDatabase database, TimeProvider time, string workspace, CancellationToken cancellationToken)
    {
        var ws = SqlLiteral.String(workspace);
        var state = await RunState.ReadAsync(database, ws, cancellationToken);
        (ulong Through, ulong Rows) loaded = (0, 0);
        await database.ReadRowsAsync($"SELECT max(load_ms) AS m, count() AS c FROM {database.Name}.events WHERE workspace = {ws}",
            row => loaded = ((ulong)ClickHouseDatabase.Number(row.GetProperty("m")), (ulong)ClickHouseDatabase.Number(row.GetProperty("c"))), cancellationToken);
        return new ClickHouseRunSession(database, time, workspace, state, loaded.Through, loaded.Rows);
    }

    public async Task AddLinksSinceMarkAsync(CancellationToken cancellationToken)
    {
        if (_through > _since || !Mark.NothingNew)
        {
            await _database.InsertSelectAsync(IdentitySql.InsertLinksSince(_database.Name, _ws, _since, Run), cancellationToken);
        }
    }

    public async IAsyncEnumerable<IdentityLink> LinksAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var link in await IdentityLinks.ReadAsync(_database, _ws, cancellationToken)) { yield return link; }
    }

    public async IAsyncEnumerable<string> KeysTouchedSinceMarkAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var db = _database.Name;
        foreach (var key in await KeysAsync($"SELECT DISTINCT {IdentitySql.EventKey} AS k FROM {db}.events WHERE workspace = {_ws} AND load_ms > {_since}", cancellationToken))
        {
            yield return key;
        }

        if (!_state.Exists) { yield break; }
        foreach (var key in await KeysAsync($"""
            SELECT DISTINCT person AS k FROM {db}.attribution_conversions
            WHERE workspace = {_ws} AND {_state.ValidRuns()} AND conversion_id IN (
                SELECT assumeNotNull(order_id) FROM {db}.events
                WHERE workspace = {_ws} AND type = 'conversion' AND isNotNull(order_id) AND load_ms > {_since})
            """, cancellationToken))
        {
            yield return key;
        }
    }

    public async IAsyncEnumerable<string> KeysConvertingInAsync(DateTime? from, DateTime? to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var key in await KeysAsync($"""
            SELECT DISTINCT {IdentitySql.EventKey} AS k FROM {_database.Name}.events
            WHERE workspace = {_ws} AND type = 'conversion' AND isNotNull(order_id) {EpochRange.Where("ts", from, to)}
            """, cancellationToken))
        {
            yield return key;
        }
    }

    /// <summary>The people map the journey query joins, under this run: every linked key on a full run, the scope's keys otherwise.</summary>
    public Task MapPeopleAsync(JourneyScope scope, CancellationToken cancellationToken)
    {
        _scope = scope;
        IReadOnlyList<string> mapped = scope.Keys ?? [.. scope.People.Keys];
        return _database.InsertAsync("attribution_people", AttributionTables.PeopleColumns,
            mapped.Select(k => new object?[] { _workspace, Run, k, scope.People.Find(k) }), cancellationToken);
    }

    /// <summary>Not counted: the count would cost as much as the journey query itself.</summary>
    public Task<int?> CountJourneysAsync(CancellationToken cancellationToken) => Task.FromResult<int?>(null);

    public async IAsyncEnumerable<PersonJourney> JourneysAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var scope = _scope ?? throw new InvalidOperationException("MapPeopleAsync comes first.");
        var db = _database.Name;
        var journeys = new JourneyRows(scope.LeadMs);
        await foreach (var row in _database.StreamRowsAsync(JourneySql.Journeys(db, _ws, Run, ClickHouseAttributionStore.Orders(db, _ws), scope.IsPartial), cancellationToken))
        {
            using (row) { yield return journeys.Read(row.RootElement); }
        }
    }

    public Task<IAttributionResultWriter> BeginWritesAsync(JourneyScope scope, CancellationToken cancellationToken)
    {
        var baseRun = scope.IsPartial ? _state.BaseRun : Run;
        var state = new RunState(Run, baseRun, Math.Max(_through, _state.LoadedThrough), _rows, null);
        var batch = new ResultBatch(_database, _time, _workspace, state);
        foreach (var key in scope.Keys ?? [])
        {
            if (scope.People.Find(key) != key) { batch.AddMergedAway(key); }
        }

        return Task.FromResult<IAttributionResultWriter>(batch);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The mark this run reads after: the last run's, less the margin for late or other-clock rows (0 before any run).</summary>
    private static ulong SinceMark(ClickHouseDatabase database, RunState state)
    {
        if (!state.Exists) { return 0; }
        var margin = (ulong)Math.Max(0, database.Options.LoadMarkMargin.TotalMilliseconds);
        return state.LoadedThrough > margin ? state.LoadedThrough - margin : 0;
    }

    private async Task<List<string>> KeysAsync(string sql, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await _database.ReadRowsAsync(sql, row => keys.Add(row.GetProperty("k").GetString()!), cancellationToken);
        return keys;
    }
}
