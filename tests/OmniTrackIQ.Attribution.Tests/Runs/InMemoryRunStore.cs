using System.Runtime.CompilerServices;
using OmniTrackIQ.Attribution.Identity;
using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Paths;
using OmniTrackIQ.Attribution.Runs;

namespace OmniTrackIQ.Attribution.Tests.Runs;

/// <summary>One stored event of the fake store; <see cref="Seq"/> is its load mark.</summary>
internal sealed record StoredEvent(long Seq, string Type, long TimestampMs, string? AnonymousId = null, string? UserId = null,
    string? EmailSha256 = null, string Channel = "Direct", string? OrderId = null, double Revenue = 0)
{
    public string? Column(string column) => column switch
    {
        "anonymous_id" => AnonymousId,
        "user_id" => UserId,
        "email_sha256" => EmailSha256,
        _ => null,
    };
}

/// <summary>
/// The attribution port in memory, with the rules a store keeps in SQL written from the same definitions
/// (<see cref="IdentityKeys"/>): events, links, results visible only once committed, and a log of the port calls in
/// order, so a test sees what the orchestrator asked and when.
/// </summary>
internal sealed class InMemoryRunStore : IAttributionRunStore
{
    public List<StoredEvent> Events { get; } = [];
    public HashSet<IdentityLink> Links { get; } = [];
    public Dictionary<string, (string Person, AttributedConversion Attributed)> Conversions { get; private set; } = new(StringComparer.Ordinal);
    public Dictionary<string, List<PathCount>> Paths { get; private set; } = new(StringComparer.Ordinal);
    public List<ChannelModelRow> ChannelModels { get; private set; } = [];

    /// <summary>The kept identity graph (<see cref="PersonMap"/>: key → person, for keys that are not their own person), replaced on commit.</summary>
    public Dictionary<string, string> People { get; private set; } = new(StringComparer.Ordinal);
    public (long Through, string? Settings) State { get; private set; } = (-1, null);
    public List<string> Calls { get; } = [];

    /// <summary>Whether the writer gives the refit <see cref="ChannelModelCounts"/> (as DuckDB does) instead of the paths.</summary>
    public bool KeepsCounts { get; set; }

    /// <summary>The keys the last run's journey stream was limited to (null: everyone).</summary>
    public IReadOnlyList<string>? LastScopeKeys { get; private set; }

    public long Add(string type, long timestampMs, string? anonymousId = null, string? userId = null, string? email = null,
        string channel = "Direct", string? orderId = null, double revenue = 0)
    {
        var seq = Events.Count + 1;
        Events.Add(new StoredEvent(seq, type, timestampMs, anonymousId, userId, email, channel, orderId, revenue));
        return seq;
    }

    public Task<IAttributionRunSession> BeginRunAsync(string workspace, CancellationToken cancellationToken)
    {
        Calls.Add("begin");
        return Task.FromResult<IAttributionRunSession>(new Session(this));
    }

    private sealed class Session(InMemoryRunStore store) : IAttributionRunSession
    {
        private readonly long _previous = store.State.Through;
        private readonly long _through = Math.Max(store.Events.Count, store.State.Through);
        private JourneyScope? _scope;

        public RunMark Mark => new(store.State.Settings, _through == _previous, _through, _through);

        private IEnumerable<StoredEvent> SinceMark => store.Events.Where(e => e.Seq > _previous && e.Seq <= _through);

        public Task AddLinksSinceMarkAsync(CancellationToken cancellationToken)
        {
            store.Calls.Add("links+");
            foreach (var e in SinceMark)
            {
                foreach (var (idKey, personKey) in IdentityKeys.LinksOf(e.Column))
                {
                    var link = store.Links.FirstOrDefault(l => l.IdKey == idKey && l.PersonKey == personKey && l.Source == e.Type);
                    if (link == default || e.TimestampMs < link.FirstSeenMs)
                    {
                        store.Links.Remove(link);
                        store.Links.Add(new IdentityLink(idKey, personKey, e.Type, e.TimestampMs));
                    }
                }
            }

            return Task.CompletedTask;
        }

        public IAsyncEnumerable<IdentityLink> LinksAsync(CancellationToken cancellationToken) => Stream(store.Links.ToList(), "links");

        /// <summary>As DuckDB answers: the links naming a key of the stored people of <paramref name="keys"/>.</summary>
        public IAsyncEnumerable<IdentityLink> LinksOfPeopleAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
        {
            var people = keys.Select(k => store.People.GetValueOrDefault(k, k)).ToHashSet(StringComparer.Ordinal);
            var component = keys.Concat(people).Concat(store.People.Where(p => people.Contains(p.Value)).Select(p => p.Key)).ToHashSet(StringComparer.Ordinal);
            return Stream(store.Links.Where(l => component.Contains(l.IdKey) || component.Contains(l.PersonKey)).ToList(), "links of people");
        }

        public IAsyncEnumerable<string> KeysTouchedSinceMarkAsync(CancellationToken cancellationToken)
        {
            var since = SinceMark.ToList();
            var keys = since.Select(KeyOf).OfType<string>().ToList();
            keys.AddRange(since.Where(e => e.OrderId is not null && store.Conversions.ContainsKey(e.OrderId)).Select(e => store.Conversions[e.OrderId!].Person));
            return Stream(keys, "touched");
        }

        public IAsyncEnumerable<string> KeysConvertingInAsync(DateTime? from, DateTime? to, CancellationToken cancellationToken) =>
            Stream(store.Events.Where(e => e.Type == "conversion" && (from is null || e.TimestampMs >= Ms(from.Value)) && (to is null || e.TimestampMs < Ms(to.Value)))
                .Select(KeyOf).OfType<string>().ToList(), "converting");

        public Task MapPeopleAsync(JourneyScope scope, CancellationToken cancellationToken)
        {
            store.Calls.Add("map");
            _scope = scope;
            store.LastScopeKeys = scope.Keys;
            return Task.CompletedTask;
        }

        public Task<int?> CountJourneysAsync(CancellationToken cancellationToken) => Task.FromResult<int?>(Journeys().Count);

        public IAsyncEnumerable<PersonJourney> JourneysAsync(CancellationToken cancellationToken) => Stream(Journeys(), "journey");

        public Task<IAttributionResultWriter> BeginWritesAsync(JourneyScope scope, CancellationToken cancellationToken)
        {
            store.Calls.Add("write");
            return Task.FromResult<IAttributionResultWriter>(new Writer(store, scope, _through, ScopedOrders(scope)));
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        /// <summary>Page views and the first report of each order, keyed and ordered as a store's journey query does.</summary>
        private List<PersonJourney> Journeys()
        {
            var scope = _scope ?? throw new InvalidOperationException("map first");
            var inScope = scope.Keys?.ToHashSet(StringComparer.Ordinal);
            var rows = store.Events
                .Select(e => (Event: e, Key: KeyOf(e)))
                .Where(r => r.Key is not null && (inScope is null || inScope.Contains(r.Key)))
                .Where(r => r.Event.Type == "page" || r.Event.OrderId is not null)
                .OrderBy(r => r.Event.TimestampMs).ThenBy(r => r.Event.Seq)
                .ToList();
            var firstReports = rows.Where(r => r.Event.OrderId is not null).GroupBy(r => r.Event.OrderId).Select(g => g.First().Event).ToHashSet();
            var events = rows.Where(r => r.Event.Type == "page" || firstReports.Contains(r.Event))
                .Select(r => new JourneyEvent(scope.People.Find(r.Key!), r.Event.Type == "conversion", r.Event.TimestampMs, r.Event.Channel,
                    null, null, null, r.Event.OrderId, r.Event.Revenue, "EUR"))
                .OrderBy(e => e.Person, StringComparer.Ordinal).ThenBy(e => e.TimestampMs);
            return [.. JourneyAssembler.Assemble(events, scope.LeadMs)];
        }

        private HashSet<string> ScopedOrders(JourneyScope scope) =>
            scope.Keys is null ? [] : [.. store.Events.Where(e => e.OrderId is not null && scope.Keys.Contains(KeyOf(e)!)).Select(e => e.OrderId!)];

        private async IAsyncEnumerable<T> Stream<T>(IReadOnlyList<T> items, string call, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var item in items)
            {
                store.Calls.Add(call);
                await Task.Yield();
                yield return item;
            }
        }
    }

    /// <summary>Works on copies of the results; the commit puts them in place.</summary>
    private sealed class Writer : IAttributionResultWriter
    {
        private readonly InMemoryRunStore _store;
        private readonly long _through;
        private readonly Dictionary<string, (string Person, AttributedConversion Attributed)> _conversions;
        private readonly Dictionary<string, List<PathCount>> _paths;
        private List<ChannelModelRow> _models;
        private readonly Dictionary<string, string> _people;

        public Writer(InMemoryRunStore store, JourneyScope scope, long through, HashSet<string> scopedOrders)
        {
            _store = store;
            _through = through;
            var keys = scope.Keys?.ToHashSet(StringComparer.Ordinal);
            _conversions = keys is null ? new(StringComparer.Ordinal)
                : store.Conversions.Where(c => !keys.Contains(c.Value.Person) && !scopedOrders.Contains(c.Key)).ToDictionary(StringComparer.Ordinal);
            _paths = keys is null ? new(StringComparer.Ordinal) : store.Paths.Where(p => !keys.Contains(p.Key)).ToDictionary(StringComparer.Ordinal);
            _models = store.ChannelModels;
            _people = keys is null ? new(StringComparer.Ordinal) : store.People.Where(p => !keys.Contains(p.Key)).ToDictionary(StringComparer.Ordinal);
            foreach (var (key, person) in PersonMap.Rows(scope.People, scope.Keys ?? [.. scope.People.Keys])) { _people[key] = person; }
        }

        public ValueTask WriteAsync(PersonJourney journey, JourneyResult result, CancellationToken cancellationToken)
        {
            _store.Calls.Add("row");
            foreach (var attributed in result.Conversions) { _conversions[attributed.Conversion.Id] = (journey.Person, attributed); }
            _paths[journey.Person] = [.. result.Paths];
            return ValueTask.CompletedTask;
        }

        public Task<IReadOnlyList<PathCount>> CurrentPathsAsync(CancellationToken cancellationToken)
        {
            _store.Calls.Add("paths");
            return Task.FromResult(Sums());
        }

        public Task<ChannelModelCounts?> CurrentCountsAsync(int markovOrder, CancellationToken cancellationToken)
        {
            if (!_store.KeepsCounts) { return Task.FromResult<ChannelModelCounts?>(null); }
            _store.Calls.Add("counts");
            return Task.FromResult<ChannelModelCounts?>(ChannelModelCounts.Of(Sums(), markovOrder));
        }

        private IReadOnlyList<PathCount> Sums() =>
            [.. _paths.Values.SelectMany(p => p).GroupBy(p => p.ToString(), StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new PathCount(g.First().Channels, g.Sum(p => p.Conversions), g.Sum(p => p.Value), g.Sum(p => p.Nulls)))];

        public Task WriteChannelModelsAsync(IReadOnlyList<ChannelModelRow> rows, CancellationToken cancellationToken)
        {
            _store.Calls.Add("models");
            _models = [.. rows];
            return Task.CompletedTask;
        }

        public Task CommitAsync(string settingsKey, CancellationToken cancellationToken)
        {
            _store.Calls.Add("commit");
            (_store.Conversions, _store.Paths, _store.ChannelModels, _store.People, _store.State) = (_conversions, _paths, _models, _people, (_through, settingsKey));
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private static string? KeyOf(StoredEvent e) => IdentityKeys.KeyOf(e.AnonymousId, e.UserId, e.EmailSha256);

    private static long Ms(DateTime value) => new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
}
