using System.Globalization;
using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Store.DuckDb.Attribution;

namespace OmniTrackIQ.Pipeline.Tests.Attribution;

/// <summary>
/// A full run's split of the journey rows into ranges (<see cref="JourneyRanges"/>) must fit DuckDB's memory limit by
/// spilling, whatever the history: at 3M conversions and the shipped 256MB, a split that held three join tables and a
/// sort of every row at once ran out of memory. The same shape in small: a shop of 60,000 people read at a 48MB limit,
/// where DuckDB must write to its temp files, yields the journeys of the one ordered read at the default limit.
/// </summary>
public sealed class JourneyRangesSpillTests : IDisposable
{
    private const int People = 60_000;
    private readonly AttributionStoreFixture _db = new();

    [Fact]
    public async Task Ranges_split_while_DuckDB_spills_yield_the_journeys_of_one_ordered_read()
    {
        await _db.Database.WriteAsync(connection =>
        {
            Execute(connection, Shop);
            var through = Convert.ToInt64(Scalar(connection, "SELECT max(load_seq) FROM events"), CultureInfo.InvariantCulture);
            IdentityGraph.UpsertLinks(connection, "w", 0, through);
            JourneyEventsTable.AddSince(connection, "w", 0, through);
            return 0;
        }, CancellationToken.None);

        using var reader = _db.Database.OpenReader();
        var people = IdentityGraph.Load(reader, "w", out var leadMs);
        JourneyReader.SetPeople(reader, people);
        var one = JourneyReader.Stream(reader, "w", leadMs, JourneyReader.Scope.All).Select(Text).Order(StringComparer.Ordinal).ToList();

        using var watcher = _db.Database.OpenReader();
        var limit = Convert.ToString(Scalar(reader, "SELECT current_setting('memory_limit')"), CultureInfo.InvariantCulture);
        Execute(reader, "SET memory_limit = '48MB'"); // the database's, for every connection: set back below
        try
        {
            long spilled = 0;
            var ranged = new List<string>();
            foreach (var journey in JourneyRanges.Stream(reader, "w", leadMs, rowsPerRange: 100_000))
            {
                // The split is made before the first journey: what it wrote to DuckDB's temp files is still there.
                if (ranged.Count == 0) { spilled = Convert.ToInt64(Scalar(watcher, "SELECT CAST(coalesce(sum(size), 0) AS BIGINT) FROM duckdb_temporary_files()"), CultureInfo.InvariantCulture); }
                ranged.Add(Text(journey));
            }

            Assert.True(spilled > 0, "DuckDB wrote nothing to its temp files: the limit does not force a spill");
            Assert.Equal(one, ranged.Order(StringComparer.Ordinal));
            Assert.True(one.Count > People / 2, $"{one.Count} journeys");
        }
        finally
        {
            Execute(reader, $"SET memory_limit = '{limit}'");
        }
    }

    /// <summary>
    /// 1–4 page views a person; every other person orders, and the order is reported again by the next person (earlier
    /// for every fourth order, so that other person's report is the one kept); every sixth order partly refunded; pairs
    /// of people stitched by an identify with a shared user id.
    /// </summary>
    private static readonly string Shop = $"""
        INSERT INTO events (workspace, message_id, type, anonymous_id, ts, received_at, gpc, is_bot, channel, utm_source, utm_campaign, load_seq)
        SELECT 'w', 'p' || p || '-' || k, 'page', 'a' || p, TIMESTAMP '2026-10-01' + INTERVAL (p % 20) DAY + INTERVAL (k) HOUR, TIMESTAMP '2026-11-01', false, false,
               ['Paid Search','Email','Organic Search','Direct','Paid Social','Referral'][1 + CAST(hash(p * 7 + k) % 6 AS INTEGER)],
               'src' || (hash(p + k) % 5), 'camp' || (hash(p * 3 + k) % 40), nextval('events_load_seq')
        FROM range(0, {People}) t(p), range(0, 4) u(k) WHERE k <= hash(p) % 4;
        INSERT INTO events (workspace, message_id, type, anonymous_id, ts, received_at, gpc, is_bot, order_id, revenue, currency, load_seq)
        SELECT 'w', 'c' || p, 'conversion', 'a' || p, TIMESTAMP '2026-10-01' + INTERVAL (p % 20) DAY + INTERVAL 5 HOUR, TIMESTAMP '2026-11-01', false, false,
               'o' || p, 10 + hash(p) % 200, 'EUR', nextval('events_load_seq')
        FROM range(0, {People}, 2) t(p);
        INSERT INTO events (workspace, message_id, type, anonymous_id, ts, received_at, gpc, is_bot, order_id, revenue, currency, load_seq)
        SELECT 'w', 'd' || p, 'conversion', 'a' || (p + 1), TIMESTAMP '2026-10-01' + INTERVAL (p % 20) DAY + INTERVAL (CASE WHEN p % 4 = 0 THEN 4 ELSE 6 END) HOUR,
               TIMESTAMP '2026-11-01', false, false, 'o' || p, 10 + hash(p) % 200, 'EUR', nextval('events_load_seq')
        FROM range(0, {People}, 2) t(p);
        INSERT INTO events (workspace, message_id, type, anonymous_id, event, ts, received_at, gpc, is_bot, order_id, revenue, refunded, currency, load_seq)
        SELECT 'w', 'r' || p, 'conversion', 'a' || p, 'Refund', TIMESTAMP '2026-10-01' + INTERVAL (p % 20) DAY + INTERVAL 9 HOUR, TIMESTAMP '2026-11-02', false, false,
               'o' || p, 0, 4, 'EUR', nextval('events_load_seq')
        FROM range(0, {People}, 6) t(p);
        INSERT INTO events (workspace, message_id, type, anonymous_id, user_id, ts, received_at, gpc, is_bot, load_seq)
        SELECT 'w', 'i' || p, 'identify', 'a' || p, 'u' || (p // 10), TIMESTAMP '2026-10-01' + INTERVAL (p % 20) DAY, TIMESTAMP '2026-11-01', false, false,
               nextval('events_load_seq')
        FROM range(0, {People}) t(p) WHERE p % 10 IN (0, 1);
        """;

    private static string Text(PersonJourney journey) =>
        string.Join(" / ", journey.Person, journey.LeadTimestampMs?.ToString(CultureInfo.InvariantCulture) ?? "-",
            string.Join(", ", journey.Touches.Select(t => string.Join('|', t.Channel, t.TimestampMs, t.Flags, t.Source, t.Medium, t.Campaign))),
            string.Join(", ", journey.Conversions));

    private static void Execute(DuckDB.NET.Data.DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(DuckDB.NET.Data.DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public void Dispose() => _db.Dispose();
}
