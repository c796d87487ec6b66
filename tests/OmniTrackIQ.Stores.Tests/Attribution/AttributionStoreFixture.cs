using System.Globalization;
using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Store.DuckDb;
using OmniTrackIQ.Store.DuckDb.Attribution;

namespace OmniTrackIQ.Pipeline.Tests.Attribution;

/// <summary>A real DuckDB file (migrated as it opens) with the event store and the attribution runner, plus event builders and table readers.</summary>
internal sealed class AttributionStoreFixture : IDisposable
{
    public static readonly DateTimeOffset Day0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The runner's clock (it stamps computedAt): pinned, so no test reads the wall clock; moved on by
    /// <c>OTQ_CLOCK_OFFSET_DAYS</c> when set (README "Tests").
    /// </summary>
    public static TimeProvider Clock() => new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Day0.AddDays(30 + OffsetDays));

    private static readonly int OffsetDays = int.TryParse(Environment.GetEnvironmentVariable("OTQ_CLOCK_OFFSET_DAYS"), System.Globalization.NumberStyles.Integer,
        System.Globalization.CultureInfo.InvariantCulture, out var days) ? days : 0;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "otq-attr-" + Guid.NewGuid().ToString("N"));
    private int _nextId;

    public AttributionStoreFixture()
    {
        Database = new DuckDbDatabase(Path.Combine(_dir, "a.duckdb"));
        Store = new DuckDbEventStore(Database);
        Runner = new AttributionRunner(Database, Clock());
    }

    public DuckDbDatabase Database { get; }
    public DuckDbEventStore Store { get; }
    public AttributionRunner Runner { get; }
    public AttributionSettings Settings { get; set; } = new();

    public Task<AttributionRun> RunAsync() => Runner.RunAsync("w", Settings, CancellationToken.None);

    public Task<AttributionRun> RecomputeAsync() => Runner.RecomputeAsync("w", Settings, null, CancellationToken.None);

    public Task WriteAsync(params TrackedEvent[] events) => Store.WriteEventsAsync(events, CancellationToken.None);

    public TrackedEvent Page(string anonymousId, double day, string channel, string? campaign = null, string? userId = null, bool bot = false) =>
        Event(EventType.Page, anonymousId, day, e =>
        {
            e.Channel = channel;
            e.UtmCampaign = campaign;
            e.UserId = userId;
            e.IsBot = bot;
        });

    public TrackedEvent Identify(string anonymousId, double day, string? userId = null, string? emailSha256 = null) =>
        Event(EventType.Identify, anonymousId, day, e =>
        {
            e.UserId = userId;
            e.EmailSha256 = emailSha256;
        });

    public TrackedEvent Conversion(string? anonymousId, double day, string orderId, decimal revenue, string? userId = null) =>
        Event(EventType.Conversion, anonymousId, day, e =>
        {
            e.OrderId = orderId;
            e.Revenue = revenue;
            e.Currency = "EUR";
            e.UserId = userId;
        });

    /// <summary>Sum of credit per channel for one model.</summary>
    public Dictionary<string, double> CreditByChannel(string model) =>
        Query($"SELECT channel, sum(credit) FROM attribution_results WHERE workspace = 'w' AND model = '{model}' GROUP BY channel",
            r => (r.GetString(0), r.GetDouble(1))).ToDictionary(x => x.Item1, x => x.Item2);

    /// <summary>Credit per touch of one conversion for one model, by touch index.</summary>
    public List<(string Channel, double Credit)> Credits(string conversionId, string model) =>
        Query($"SELECT channel, credit FROM attribution_results WHERE workspace = 'w' AND model = '{model}' AND conversion_id = '{conversionId}' ORDER BY touch_index",
            r => (r.GetString(0), r.GetDouble(1)));

    /// <summary>Every result row (without computed_at), ordered, for comparing two runs.</summary>
    public List<string> ResultSnapshot() =>
        Query("""
            SELECT conversion_id, model, touch_index, channel, coalesce(campaign, ''), round(credit, 12), round(revenue_credit, 9)
            FROM attribution_results WHERE workspace = 'w' ORDER BY ALL
            """,
            r => string.Join('|', Enumerable.Range(0, r.FieldCount).Select(i => Convert.ToString(r.GetValue(i), CultureInfo.InvariantCulture))));

    public List<T> Query<T>(string sql, Func<System.Data.Common.DbDataReader, T> map) => Query(Database, sql, map);

    /// <summary>The same over another database, e.g. the fixture's file reopened as an upgraded database.</summary>
    public static List<T> Query<T>(DuckDbDatabase database, string sql, Func<System.Data.Common.DbDataReader, T> map)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read()) { rows.Add(map(reader)); }
        return rows;
    }

    private TrackedEvent Event(EventType type, string? anonymousId, double day, Action<TrackedEvent> configure)
    {
        var ts = Day0.AddDays(day);
        var e = new TrackedEvent
        {
            Workspace = "w", MessageId = "m" + Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture), Type = type,
            AnonymousId = anonymousId, Ts = ts, ReceivedAt = ts,
        };
        configure(e);
        return e;
    }

    public void Dispose()
    {
        Database.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
