using System.Runtime.CompilerServices;
using DuckDB.NET.Data;
using OmniTrackIQ.Attribution.Identity;
using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Runs;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// One attribution run over the embedded store (<see cref="AttributionOrchestrator"/> drives it). The mark is the
/// event <c>load_seq</c>; the events since it go into <c>journey_events</c> with the links (<see cref="JourneyEventsTable"/>),
/// which the journey read and the deletes use; reads go through a reader connection of their own (its temp tables hold the people map and
/// the scope), so the journeys stream while <see cref="ResultWriter"/> replaces the results on the writer.
/// </summary>
/// <param name="rangeRows">A full run reads its journeys in ranges of people of about this many journey rows (<see cref="JourneyRanges"/>).</param>
internal sealed class DuckDbRunSession(DuckDbDatabase database, TimeProvider time, string workspace, RunState state, int rangeRows) : IAttributionRunSession
{
    private DuckDBConnection? _reader;
    private JourneyScope? _scope;
    private HashSet<string>? _scopeOrders;
    private EventKeysTable.ScopeKeys? _scopeKeys;
    private KeysNamedSinceMark? _named;
    private bool _namedLooked;
    private int? _ranges;
    private ILookup<string, IdentityLink>? _linksSinceMark;

    public RunMark Mark { get; } = new(state.Settings, state.Through == state.Previous, state.Through, state.Through);

    public static async Task<DuckDbRunSession> StartAsync(DuckDbDatabase database, TimeProvider time, string workspace, int rangeRows, CancellationToken cancellationToken) =>
        new(database, time, workspace, await database.WriteAsync(connection => RunState.Read(connection, workspace), cancellationToken), rangeRows);

    /// <summary>Opened after the links are added, so its reads see them.</summary>
    private DuckDBConnection Reader => _reader ??= database.OpenReader();

    public Task AddLinksSinceMarkAsync(CancellationToken cancellationToken) =>
        state.Through > state.Previous
            ? database.WriteAsync(connection =>
            {
                IdentityGraph.UpsertLinks(connection, workspace, state.Previous, state.Through);
                JourneyEventsTable.AddSince(connection, workspace, state.Previous, state.Through); // what the journey read reads
                return true;
            }, cancellationToken)
            : Task.CompletedTask;

    public IAsyncEnumerable<IdentityLink> LinksAsync(CancellationToken cancellationToken) =>
        Async(IdentityGraph.ReadLinks(Reader, workspace), cancellationToken);

    public IAsyncEnumerable<IdentityLink> LinksOfPeopleAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        Async(LinksOfPeople(keys), cancellationToken);

    /// <summary>
    /// The closure's links: of its new keys from the events since the mark, of the others from the stored links and person
    /// map. The keys named since the mark are looked up once per run (<see cref="KeysNamedSinceMark"/>, before the seeds
    /// are read; else here, with the first round's keys); the links since the mark are read once too, by either end, for
    /// every round (a tick's are few: the look-up gives up above <see cref="KeysNamedSinceMark.MaxKeys"/> keys).
    /// </summary>
    private IEnumerable<IdentityLink> LinksOfPeople(IReadOnlyCollection<string> keys)
    {
        var fresh = LookNamed(keys) is { } named ? keys.Where(named.IsNew).ToList() : [];
        var stored = fresh.Count == 0 ? keys : [.. keys.Except(fresh, StringComparer.Ordinal)];
        if (fresh.Count > 0)
        {
            _linksSinceMark ??= IdentityGraph.LinksSince(Reader, workspace, state.Previous, state.Through)
                .SelectMany(link => new[] { (Key: link.IdKey, Link: link), (Key: link.PersonKey, Link: link) })
                .ToLookup(end => end.Key, end => end.Link, StringComparer.Ordinal);
            foreach (var key in fresh)
            {
                foreach (var link in _linksSinceMark[key]) { yield return link; }
            }
        }

        if (stored.Count > 0)
        {
            foreach (var link in PersonMapTable.LinksOfPeople(Reader, workspace, stored)) { yield return link; }
        }
    }

    /// <summary>
    /// The keys of the events since the mark and the stored owners of the orders they report again. The keys named since
    /// the mark are looked up first (<see cref="KeysNamedSinceMark"/>; the closure's first round uses the same look-up): an
    /// order whose key no event at or before the mark named has no stored conversion, so only the others are probed in
    /// <c>conversions</c> (a tick of new orders probes nothing: no scan of every stored conversion).
    /// </summary>
    public IAsyncEnumerable<string> KeysTouchedSinceMarkAsync(CancellationToken cancellationToken) => Async(KeysTouchedSinceMark(), cancellationToken);

    private IEnumerable<string> KeysTouchedSinceMark()
    {
        var named = LookNamed([]);
        Func<string, bool> reportedBefore = named is null ? static _ => true : order => !named.IsNew(EventKeysTable.OrderPrefix + order);
        foreach (var key in ScopeReader.KeysChangedSince(Reader, workspace, state.Previous, state.Through, reportedBefore)) { yield return key; }
    }

    /// <summary>The keys named since the mark, looked up once per run (with <paramref name="seeds"/> when it is the first look).</summary>
    private KeysNamedSinceMark? LookNamed(IReadOnlyCollection<string> seeds)
    {
        if (!_namedLooked)
        {
            _named = KeysNamedSinceMark.Look(Reader, workspace, state.Previous, seeds);
            _namedLooked = true;
        }

        return _named;
    }

    public IAsyncEnumerable<string> KeysConvertingInAsync(DateTime? from, DateTime? to, CancellationToken cancellationToken) =>
        Async(ScopeReader.KeysConvertingIn(Reader, workspace, from, to), cancellationToken);

    public Task MapPeopleAsync(JourneyScope scope, CancellationToken cancellationToken)
    {
        _scope = scope;
        if (scope.Keys is { } keys)
        {
            JourneyReader.SetScope(Reader, keys);
            _scopeKeys = _named?.Scope(keys) ?? EventKeysTable.Look(Reader, workspace, state.Previous);
        }

        JourneyReader.SetPeople(Reader, scope.People, scope.Keys);
        // A full run's journey rows are split into ranges now, before the writes begin (JourneyRanges.Split says why).
        if (!scope.IsPartial) { _ranges = JourneyRanges.Split(Reader, workspace, rangeRows); }
        return Task.CompletedTask;
    }

    public Task<int?> CountJourneysAsync(CancellationToken cancellationToken) =>
        Task.FromResult<int?>(JourneyReader.CountPeople(Reader, workspace));

    public IAsyncEnumerable<PersonJourney> JourneysAsync(CancellationToken cancellationToken)
    {
        var scope = _scope ?? throw new InvalidOperationException("MapPeopleAsync comes first.");
        return Async(scope.IsPartial ? ReadScope(scope)
            : JourneyRanges.Read(Reader, _ranges ?? throw new InvalidOperationException("MapPeopleAsync splits a full run's journeys first."), scope.LeadMs), cancellationToken);
    }

    /// <summary>
    /// The scope's journeys, noting the orders they report: read ahead of the writes (a usual tick), these are the orders
    /// whose stored conversions the writes replace, so the deletes need not scan every journey row again to find them. A new
    /// scope's orders are all named since the mark, so their reports are read from the first of those orders' on.
    /// </summary>
    private IEnumerable<PersonJourney> ReadScope(JourneyScope scope)
    {
        var orders = new HashSet<string>(StringComparer.Ordinal);
        var ordersFirstSeq = _scopeKeys is { IsNew: true } && _named is { } named ? named.OrdersFirstSeq() : null;
        var read = JourneyReader.Scope.Keys(_scopeKeys?.FirstSeq, ordersFirstSeq);
        foreach (var journey in JourneyReader.Stream(Reader, workspace, scope.LeadMs, read, orders)) { yield return journey; }
        _scopeOrders = orders;
    }

    public async Task<IAttributionResultWriter> BeginWritesAsync(JourneyScope scope, CancellationToken cancellationToken)
    {
        var computedAt = time.GetUtcNow().UtcDateTime;
        var lease = await database.LeaseWriterAsync(cancellationToken);
        return ResultWriter.Begin(lease, workspace, scope, _scopeOrders, _scopeKeys?.IsNew ?? false, state.Through, computedAt);
    }

    public ValueTask DisposeAsync()
    {
        _reader?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>A DuckDB read (synchronous, on this session's connection) as the port's stream.</summary>
    private static async IAsyncEnumerable<T> Async<T>(IEnumerable<T> rows, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return row;
        }

        await Task.CompletedTask;
    }
}
