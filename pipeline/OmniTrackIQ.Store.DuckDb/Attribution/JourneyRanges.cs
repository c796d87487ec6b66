using System.Globalization;
using DuckDB.NET.Data;
using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Store.DuckDb.Orders;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// A full run's journey read, in ranges of people: a person's range is the hash of their name modulo the range count, and
/// each range's rows are sorted by person on their own, then yielded before the next range is read. One ordered read of
/// every journey row needed more than DuckDB's 256MB at 3M conversions (15M rows) and failed ("failed to pin block"); a
/// range's sort holds about <c>rowsPerRange</c> of them, whatever the history. The rows are split into ranges once
/// (<see cref="Split"/>), so no range reads <c>journey_events</c> again (reading every range from it cost a scan, a join
/// and a dedup of the whole history per range: +45 % CPU at 1M).
/// <para>The split is three statements, each with at most one hash join and one blocking operator, and no sort of every
/// row: one statement that probed the people, the first reports and the ledger with every row and sorted it all by range
/// ran out of DuckDB's 256MB at 3M conversions (three join tables spilling side by side, each unaware of the others,
/// under a sort), where each part alone fits. A range's read scans the split table (a temp table that spills to DuckDB's
/// temp files) and keeps its own rows.</para>
/// The rows and their order within a person are those of <see cref="JourneyReader"/>'s read of everyone (the same people,
/// kept events and revenue): only the order of the people changes, which no result depends on.
/// </summary>
internal static class JourneyRanges
{
    /// <summary>The connection's temp table of the split rows, dropped when the stream ends.</summary>
    private const string SplitTable = "attribution_journey_split";

    /// <summary>The connection's temp tables the split is made from, dropped once it is made.</summary>
    private const string LedgerTable = "attribution_journey_ledger";

    private const string ConversionsTable = "attribution_journey_conversions";

    /// <summary>Every order's net revenue and currency from the ledger (refunds taken off, 0 when cancelled), folded once for the workspace.</summary>
    private static readonly string Ledger = $"""
        CREATE OR REPLACE TEMP TABLE {LedgerTable} AS
        SELECT order_id AS o_id, net_revenue AS o_net, currency AS o_currency
        FROM ({OrdersSchema.Ledger("AND workspace = $ws")})
        """;

    /// <summary>
    /// The kept conversion rows of the workspace, with their key and their order's revenue from the ledger: an order's
    /// conversion is its earliest report (then the least message id, unique in a workspace) among every journey row of that
    /// order, whoever's, as in <see cref="JourneyReader"/>'s read; here a window partitioned by order over the rows with an
    /// order id only (small partitions that spill, not one partition of every page view).
    /// </summary>
    private static readonly string KeptConversions = $"""
        CREATE OR REPLACE TEMP TABLE {ConversionsTable} AS
        SELECT k, type, ts, message_id, channel, utm_source, utm_medium, utm_campaign, order_id,
               coalesce(o_net, revenue) AS revenue, coalesce(o_currency, currency) AS currency
        FROM (SELECT * FROM journey_events WHERE workspace = $ws AND order_id IS NOT NULL
              QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY ts, message_id) = 1)
        LEFT JOIN {LedgerTable} ON o_id = order_id
        WHERE type = 'conversion'
        """;

    /// <summary>
    /// Every kept journey row of the workspace (its page views and the kept conversions) with its person and range
    /// (<c>{ranges}</c> is the range count): one streaming pass with one hash join, the people map. Not ordered by range:
    /// a sort of every row was the part of the split that needed the most memory (at 1M conversions it failed at a 64MB
    /// limit where this passes), and a range's scan of the unordered table costs less than that sort.
    /// </summary>
    private static readonly string SplitRows = $"""
        CREATE OR REPLACE TEMP TABLE {SplitTable} AS
        WITH kept AS (
            SELECT k, type, ts, message_id, channel, utm_source, utm_medium, utm_campaign, order_id, revenue, currency
            FROM journey_events WHERE workspace = $ws AND type = 'page'
            UNION ALL
            SELECT k, type, ts, message_id, channel, utm_source, utm_medium, utm_campaign, order_id, revenue, currency
            FROM {ConversionsTable}),
        placed AS (
            SELECT kept.*, coalesce(p.person, kept.k) AS person
            FROM kept LEFT JOIN attribution_people p ON p.k = kept.k)
        SELECT CAST(hash(person) % {"{ranges}"} AS INTEGER) AS range_no, person, type, ts, message_id, channel, utm_source, utm_medium, utm_campaign, order_id,
               revenue, currency
        FROM placed
        """;

    /// <summary>
    /// Every person's journey (the people map is the connection's <c>attribution_people</c>, <see cref="JourneyReader.SetPeople"/>),
    /// one range of people after another, each in person order; ranges of about <paramref name="rowsPerRange"/> journey rows.
    /// </summary>
    public static IEnumerable<PersonJourney> Stream(DuckDBConnection connection, string workspace, IReadOnlyDictionary<string, long> leadMs, int rowsPerRange)
    {
        var ranges = Split(connection, workspace, rowsPerRange);
        foreach (var journey in Read(connection, ranges, leadMs)) { yield return journey; }
    }

    /// <summary>
    /// Splits the workspace's journey rows into the connection's split table, in ranges of about <paramref name="rowsPerRange"/>
    /// rows; returns the range count for <see cref="Read"/>. A full run splits before its writes begin: the writer's open
    /// transaction (every old result deleted, the people map written) holds DuckDB memory the split's window and joins need.
    /// </summary>
    public static int Split(DuckDBConnection connection, string workspace, int rowsPerRange)
    {
        var ranges = Count(connection, workspace, rowsPerRange);
        try
        {
            MakeSplit(connection, workspace, ranges);
            return ranges;
        }
        catch
        {
            Execute(connection, $"DROP TABLE IF EXISTS {SplitTable}");
            throw;
        }
    }

    /// <summary>The split's journeys (<see cref="Split"/>), range by range; the split table is dropped when the stream ends.</summary>
    public static IEnumerable<PersonJourney> Read(DuckDBConnection connection, int ranges, IReadOnlyDictionary<string, long> leadMs)
    {
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

    /// <summary>The split: the ledger, the kept conversions, then every kept row with its range into the connection's split table.</summary>
    private static void MakeSplit(DuckDBConnection connection, string workspace, int ranges)
    {
        try
        {
            Execute(connection, Ledger, workspace);
            Execute(connection, KeptConversions, workspace);
            Execute(connection, $"DROP TABLE {LedgerTable}");
            Execute(connection, SplitRows.Replace("{ranges}", ranges.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal), workspace);
        }
        finally
        {
            Execute(connection, $"DROP TABLE IF EXISTS {LedgerTable}; DROP TABLE IF EXISTS {ConversionsTable}");
        }
    }

    /// <summary>One range's rows, as <see cref="JourneyReader.OrderedJourney"/> decodes them: a filtered scan of the split table.</summary>
    private static IEnumerable<JourneyEvent> Rows(DuckDBConnection connection, int range)
    {
        using var command = connection.CreateCommand();
        command.CommandText = string.Create(CultureInfo.InvariantCulture,
            $"WITH journey AS (SELECT * FROM {SplitTable} WHERE range_no = {range})\n") + JourneyReader.OrderedJourney;
        foreach (var row in JourneyReader.Read(command, null)) { yield return row; }
    }

    private static void Execute(DuckDBConnection connection, string sql, string? workspace = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (workspace is not null) { command.Parameters.Add(new DuckDBParameter("ws", workspace)); }
        command.ExecuteNonQuery();
    }
}
