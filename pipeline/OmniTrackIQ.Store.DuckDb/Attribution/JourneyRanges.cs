using System.Globalization;
using DuckDB.NET.Data;
using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Store.DuckDb.Orders;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// A full run's journey read, in ranges of people: a person's range is the hash of their name modulo the range count, and
/// each range's rows are sorted by person on their own, then yielded before the next range is read. One ordered read of
/// every journey row needed more than DuckDB's 256MB at 3M conversions (15M rows) and failed ("failed to pin block"); a
/// range's sort holds about <c>rowsPerRange</c> of them, whatever the history. The rows are split into ranges in one pass
/// (<see cref="Split"/>): the people joined, the orders deduplicated and their ledger folded once for the workspace, each
/// row tagged with its range and the table clustered by it, so a range's read touches its own rows only (reading every
/// range from <c>journey_events</c> again cost a scan, a join and a dedup of the whole history per range: +45 % CPU at 1M).
/// The rows and their order within a person are those of <see cref="JourneyReader"/>'s read of everyone (the same people,
/// kept events and revenue): only the order of the people changes, which no result depends on.
/// </summary>
internal static class JourneyRanges
{
    /// <summary>The connection's temp table of the split rows, dropped when the stream ends.</summary>
    private const string SplitTable = "attribution_journey_split";

    /// <summary>
    /// Every kept journey row of the workspace with its person and range (<c>{ranges}</c> is the range count):
    /// <list type="bullet">
    /// <item>an order's conversion is its earliest report (then the least message id, unique in a workspace) among every
    /// journey row of that order, whoever's (the old single read's window over <c>order_id</c>, as a grouped minimum: a
    /// hash aggregate that spills, not a sort of every row);</item>
    /// <item>a conversion is credited its order's net revenue from the ledger (refunds taken off, 0 when cancelled).</item>
    /// </list>
    /// Ordered by range, so each range's rows are a run of row groups whose min/max the range's filter skips the others by.
    /// </summary>
    private static readonly string SplitRows = $"""
        CREATE OR REPLACE TEMP TABLE {SplitTable} AS
        WITH placed AS (
            SELECT e.type, e.ts, e.message_id, e.channel, e.utm_source, e.utm_medium, e.utm_campaign, e.order_id, e.revenue, e.currency,
                   coalesce(p.person, e.k) AS person
            FROM journey_events e LEFT JOIN attribution_people p ON p.k = e.k
            WHERE e.workspace = $ws),
        first_reports AS (
            SELECT order_id AS f_id, min(struct_pack(ts := ts, m := message_id)).m AS f_message
            FROM journey_events
            WHERE workspace = $ws AND order_id IS NOT NULL
            GROUP BY order_id),
        ledger AS (
            SELECT order_id AS o_id, net_revenue AS o_net, currency AS o_currency
            FROM ({OrdersSchema.Ledger("AND workspace = $ws")}))
        SELECT CAST(hash(person) % {"{ranges}"} AS INTEGER) AS range_no, person, type, ts, message_id, channel, utm_source, utm_medium, utm_campaign, order_id,
               CASE WHEN type = 'conversion' THEN coalesce(o_net, revenue) ELSE revenue END AS revenue,
               CASE WHEN type = 'conversion' THEN coalesce(o_currency, currency) ELSE currency END AS currency
        FROM placed
        LEFT JOIN first_reports ON f_id = order_id
        LEFT JOIN ledger ON o_id = order_id
        WHERE type = 'page' OR message_id = f_message
        ORDER BY range_no
        """;

    /// <summary>
    /// Every person's journey (the people map is the connection's <c>attribution_people</c>, <see cref="JourneyReader.SetPeople"/>),
    /// one range of people after another, each in person order; ranges of about <paramref name="rowsPerRange"/> journey rows.
    /// </summary>
    public static IEnumerable<PersonJourney> Stream(DuckDBConnection connection, string workspace, IReadOnlyDictionary<string, long> leadMs, int rowsPerRange)
    {
        var ranges = Count(connection, workspace, rowsPerRange);
        Split(connection, workspace, ranges);
        try
        {
            for (var range = 0; range < ranges; range++)
            {
                foreach (var journey in JourneyAssembler.Assemble(Rows(connection, range), leadMs)) { yield return journey; }
            }
        }
        finally
        {
            Execute(connection, $"DROP TABLE IF EXISTS {SplitTable}"); // its rows spill to DuckDB's temp files: give them back now
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

    /// <summary>The one pass over <c>journey_events</c>: every kept row, with its range, into the connection's split table.</summary>
    private static void Split(DuckDBConnection connection, string workspace, int ranges)
    {
        using var command = connection.CreateCommand();
        command.CommandText = SplitRows.Replace("{ranges}", ranges.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// One range's rows, as <see cref="JourneyReader.OrderedJourney"/> decodes them. The range is a literal, not a
    /// parameter: a constant filter on the bare column is what DuckDB checks against each row group's min/max.
    /// </summary>
    private static IEnumerable<JourneyEvent> Rows(DuckDBConnection connection, int range)
    {
        using var command = connection.CreateCommand();
        command.CommandText = string.Create(CultureInfo.InvariantCulture,
            $"WITH journey AS (SELECT * FROM {SplitTable} WHERE range_no = {range})\n") + JourneyReader.OrderedJourney;
        foreach (var row in JourneyReader.Read(command, null)) { yield return row; }
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
