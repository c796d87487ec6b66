using System.Globalization;
using DuckDB.NET.Data;
using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Store.DuckDb.Orders;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// A full run's journey read, in ranges of people: a person's range is the hash of their name modulo the range count, and
/// each range's rows are joined, deduplicated and sorted by person on their own, then yielded before the next range is
/// read. One ordered read of every journey row needed more than DuckDB's 256MB at 3M conversions (15M rows) and failed
/// ("failed to pin block"); a range holds about <c>rowsPerRange</c> of them, whatever the history. The rows and their
/// order within a person are those of <see cref="JourneyReader"/>'s read of everyone (the same people, kept events and
/// revenue): only the order of the people changes, which no result depends on.
/// </summary>
internal static class JourneyRanges
{
    /// <summary>
    /// One range's journey rows (<c>$range</c> of <c>$ranges</c>), as the <c>journey</c> of <see cref="JourneyReader.OrderedJourney"/>.
    /// <list type="bullet">
    /// <item>The people map is probed with only the keys that can fall in the range: those of its people, and those whose own
    /// hash does (a key with no map row is its own person); the other keys' rows find no map row and fail the range test.</item>
    /// <item>An order's conversion is its earliest report (then the least message id, unique in a workspace) among every
    /// journey row of that order, whoever's: the rows of the range's orders are read again for it, since a report of the
    /// same order may be another person's, in another range. A window over the range's rows alone could not see it.</item>
    /// <item>The ledger folds the range's orders only (the tick's filter on whole orders).</item>
    /// </list>
    /// </summary>
    private static readonly string RangeJourney = $"""
        WITH range_events AS (
            SELECT e.type, e.ts, e.message_id, e.channel, e.utm_source, e.utm_medium, e.utm_campaign, e.order_id, e.revenue, e.currency,
                   coalesce(p.person, e.k) AS person
            FROM journey_events e
            LEFT JOIN (SELECT k, person FROM attribution_people
                       WHERE hash(person) % $ranges = $range OR hash(k) % $ranges = $range) p ON p.k = e.k
            WHERE e.workspace = $ws AND hash(coalesce(p.person, e.k)) % $ranges = $range),
        range_orders AS (
            SELECT DISTINCT order_id FROM range_events WHERE type = 'conversion'),
        first_reports AS (
            SELECT order_id AS f_id, min(struct_pack(ts := ts, m := message_id)).m AS f_message
            FROM journey_events
            WHERE workspace = $ws AND order_id IN (SELECT order_id FROM range_orders)
            GROUP BY order_id),
        ledger AS (
            SELECT order_id AS o_id, net_revenue AS o_net, currency AS o_currency
            FROM ({OrdersSchema.Ledger("AND workspace = $ws AND order_id IN (SELECT order_id FROM range_orders)")})),
        journey AS (
            SELECT person, type, ts, message_id, channel, utm_source, utm_medium, utm_campaign, order_id,
                   -- an order is credited its net revenue from the ledger (refunds taken off, 0 when cancelled)
                   CASE WHEN type = 'conversion' THEN coalesce(o_net, revenue) ELSE revenue END AS revenue,
                   CASE WHEN type = 'conversion' THEN coalesce(o_currency, currency) ELSE currency END AS currency
            FROM range_events
            LEFT JOIN first_reports ON f_id = order_id
            LEFT JOIN ledger ON o_id = order_id
            WHERE type = 'page' OR message_id = f_message)
        """;

    /// <summary>
    /// Every person's journey (the people map is the connection's <c>attribution_people</c>, <see cref="JourneyReader.SetPeople"/>),
    /// one range of people after another, each in person order; ranges of about <paramref name="rowsPerRange"/> journey rows.
    /// </summary>
    public static IEnumerable<PersonJourney> Stream(DuckDBConnection connection, string workspace, IReadOnlyDictionary<string, long> leadMs, int rowsPerRange)
    {
        var ranges = Count(connection, workspace, rowsPerRange);
        for (var range = 0; range < ranges; range++)
        {
            foreach (var journey in JourneyAssembler.Assemble(Rows(connection, workspace, range, ranges), leadMs)) { yield return journey; }
        }
    }

    /// <summary>How many ranges the workspace's journey rows make at <paramref name="rowsPerRange"/> each (at least one).</summary>
    public static int Count(DuckDBConnection connection, string workspace, int rowsPerRange)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsPerRange, 1);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM journey_events WHERE workspace = $ws";
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        var rows = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        return (int)Math.Max(1, (rows + rowsPerRange - 1) / rowsPerRange);
    }

    private static IEnumerable<JourneyEvent> Rows(DuckDBConnection connection, string workspace, int range, int ranges)
    {
        using var command = connection.CreateCommand();
        command.CommandText = RangeJourney + JourneyReader.OrderedJourney;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        command.Parameters.Add(new DuckDBParameter("ranges", ranges));
        command.Parameters.Add(new DuckDBParameter("range", range));
        foreach (var row in JourneyReader.Read(command, null)) { yield return row; }
    }
}
