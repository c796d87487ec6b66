using System.Runtime.CompilerServices;
using OmniTrackIQ.Attribution.Identity;
using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Runs;
using OmniTrackIQ.Store.ClickHouse.Orders;

namespace OmniTrackIQ.Store.ClickHouse.Attribution;

/// <summary>
/// One attribution run over ClickHouse (<see cref="AttributionOrchestrator"/> drives it). The mark is <c>load_ms</c>,
/// read back by <see cref="ClickHouseStoreOptions.LoadMarkMargin"/> for rows other ingest nodes stamped earlier or made
/// visible late; the run writes under a new run number and records itself last (<see cref="ResultBatch"/>), so readers
/// only see finished runs. Journeys are assembled per person on the server (<see cref="JourneySql"/>), a tick's few in this
/// process from flat reads (<see cref="ScopeJourneys"/>). On a cluster, a
/// run whose replica has not yet received another node's runs (<see cref="ReplicaLag"/>) recomputes everything it sees.
/// </summary>
/// <param name="through">The newest <c>load_ms</c> of the workspace's events now.</param>
/// <param name="rows">The workspace's event rows now as <see cref="EventLoads"/> counts them (a row another node stamped below the mark still counts).</param>
/// <param name="lag">Whether the replica read lags another, and the newest run any replica holds.</param>
internal sealed class ClickHouseRunSession(ClickHouseDatabase database, TimeProvider time, string workspace, RunState state, ulong through, ulong rows, ReplicaLag lag)
    : IAttributionRunSession
{
    private readonly string _ws = SqlLiteral.String(workspace);

    /// <summary>A lagging replica may miss link rows of any earlier run: its full run adds the links of every event again.</summary>
    private readonly ulong _since = lag.Behind ? 0 : SinceMark(database, state);

    private ulong _run;
    private JourneyScope? _scope;

    /// <summary>A tick's people map (<see cref="MapPeopleAsync"/>), null on a full run.</summary>
    private ExternalTable? _scopePeople;

    /// <summary>
    /// Nothing new: no row above the mark and no more rows than then. Only a tick that runs widens its scope by the margin.
    /// A lagging replica's state is not the last run's: as if never run, the orchestrator recomputes everyone it sees.
    /// </summary>
    public RunMark Mark { get; } = new(state.Exists && !lag.Behind ? state.Settings : null,
        !lag.Behind && through <= state.LoadedThrough && rows == state.LoadedRows, (long)through, (long)state.LoadedThrough);

    /// <summary>
    /// This run's number (a load mark, above the last run's on any replica, whatever this node's clock says), taken once a
    /// run goes ahead.
    /// </summary>
    private ulong Run => _run != 0 ? _run : _run = Math.Max(database.NextLoadMs(), Math.Max(state.Run, lag.NewestRun) + 1);

    public static async Task<ClickHouseRunSession> StartAsync(ClickHouseDatabase database, TimeProvider time, string workspace, CancellationToken cancellationToken)
    {
        var ws = SqlLiteral.String(workspace);
        var state = await RunState.ReadAsync(database, ws, cancellationToken);
        (ulong Through, ulong Rows) loaded = (0, 0);
        await database.ReadRowsAsync(EventLoads.NewestAndRows(database.Name, ws),
            row => loaded = ((ulong)ClickHouseDatabase.Number(row.GetProperty("m")), (ulong)ClickHouseDatabase.Number(row.GetProperty("c"))), cancellationToken);
        var lag = await ReplicaLag.ReadAsync(database, ws, cancellationToken);
        return new ClickHouseRunSession(database, time, workspace, state, loaded.Through, loaded.Rows, lag);
    }

    public async Task AddLinksSinceMarkAsync(CancellationToken cancellationToken)
    {
        if (through > _since || !Mark.NothingNew)
        {
            await database.InsertSelectAsync(IdentitySql.InsertLinksSince(database.Name, _ws, _since, Run), cancellationToken);
        }
    }

    public async IAsyncEnumerable<IdentityLink> LinksAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var link in await IdentityLinks.ReadAsync(database, _ws, cancellationToken)) { yield return link; }
    }

    public async IAsyncEnumerable<IdentityLink> LinksOfPeopleAsync(IReadOnlyCollection<string> keys, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var link in await IdentityLinks.ReadNamingAsync(database, _ws, keys, cancellationToken)) { yield return link; }
    }

    public async IAsyncEnumerable<string> KeysTouchedSinceMarkAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var db = database.Name;
        foreach (var key in await KeysAsync($"SELECT DISTINCT {IdentitySql.EventKey} AS k FROM {db}.{EventsByLoad.Table} WHERE workspace = {_ws} AND load_ms > {_since}", cancellationToken))
        {
            yield return key;
        }

        // The people who hold an order reported again since the mark: order_reports holds the conversion reports only, not every event.
        if (!state.Exists) { yield break; }
        foreach (var key in await KeysAsync($"""
            SELECT DISTINCT person AS k FROM {db}.attribution_conversions
            WHERE workspace = {_ws} AND {state.ValidRuns()} AND conversion_id IN (
                SELECT assumeNotNull(order_id) FROM {db}.{OrderReports.Table} WHERE workspace = {_ws} AND load_ms > {_since})
            """, cancellationToken))
        {
            yield return key;
        }
    }

    public async IAsyncEnumerable<string> KeysConvertingInAsync(DateTime? from, DateTime? to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var key in await KeysAsync($"""
            SELECT DISTINCT {IdentitySql.EventKey} AS k FROM {database.Name}.events
            WHERE workspace = {_ws} AND type = 'conversion' AND isNotNull(order_id) {EpochRange.Where("ts", from, to)}
            """, cancellationToken))
        {
            yield return key;
        }
    }

    /// <summary>
    /// The people map the journey query joins: on a full run every linked key, inserted under this run; on a tick the
    /// scope's keys, sent with the queries that read them (<see cref="JourneySql.ScopePeopleTable"/>), nothing written.
    /// </summary>
    public Task MapPeopleAsync(JourneyScope scope, CancellationToken cancellationToken)
    {
        _scope = scope;
        if (scope.Keys is { } keys)
        {
            _scopePeople = new ExternalTable(JourneySql.ScopePeopleTable, JourneySql.ScopePeopleStructure);
            foreach (var key in keys) { _scopePeople.AddRow(key, scope.People.Find(key)); }
            return Task.CompletedTask;
        }

        return database.InsertAsync("attribution_people", AttributionTables.PeopleColumns,
            scope.People.Keys.Select(k => new object?[] { workspace, Run, k, scope.People.Find(k) }), cancellationToken);
    }

    /// <summary>Not counted: the count would cost as much as the journey query itself.</summary>
    public Task<int?> CountJourneysAsync(CancellationToken cancellationToken) => Task.FromResult<int?>(null);

    public async IAsyncEnumerable<PersonJourney> JourneysAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var scope = _scope ?? throw new InvalidOperationException("MapPeopleAsync comes first.");
        if (_scopePeople is { } few && scope.Keys!.Count <= database.Options.InProcessJourneyMaxKeys)
        {
            foreach (var journey in await ScopeJourneys.ReadAsync(database, _ws, scope, few, cancellationToken)) { yield return journey; }
            yield break;
        }

        var db = database.Name;
        var journeys = new JourneyRows(scope.LeadMs);
        var sql = JourneySql.Journeys(db, _ws, Run, scope.IsPartial);
        IAsyncEnumerable<System.Text.Json.JsonDocument> rows;
        if (_scopePeople is { } people)
        {
            var orders = new ExternalTable(JourneySql.ScopeOrdersTable, "o String");
            await database.ReadRowsWithTableAsync(JourneySql.ScopeOrders(db, _ws), people, row => orders.AddRow(row.GetProperty("k").GetString()!), cancellationToken);
            rows = database.StreamRowsWithTablesAsync(sql, [people, orders], cancellationToken);
        }
        else
        {
            rows = database.StreamRowsAsync(sql, cancellationToken);
        }

        await foreach (var row in rows)
        {
            using (row) { yield return journeys.Read(row.RootElement); }
        }
    }

    public Task<IAttributionResultWriter> BeginWritesAsync(JourneyScope scope, CancellationToken cancellationToken)
    {
        var baseRun = scope.IsPartial ? state.BaseRun : Run;
        var batch = new ResultBatch(database, time, workspace, new RunState(Run, baseRun, Math.Max(through, state.LoadedThrough), rows, null),
            scope.IsPartial ? state : null);
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
        await database.ReadRowsAsync(sql, row => keys.Add(row.GetProperty("k").GetString()!), cancellationToken);
        return keys;
    }
}
