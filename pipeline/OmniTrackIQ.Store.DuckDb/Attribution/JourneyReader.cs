using System.Data.Common;
using System.Globalization;
using DuckDB.NET.Data;
using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Identity;
using OmniTrackIQ.Store.DuckDb.Orders;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// Path assembly for the embedded store. The identity graph's key → person map goes into the connection's
/// temp table <c>attribution_people</c>; one query then returns every non-bot page view and (deduplicated)
/// conversion of the workspace — or only of the keys in <c>attribution_scope</c> — ordered by person and
/// time, and <see cref="Stream"/> yields one <see cref="PersonJourney"/> at a time through the shared
/// <see cref="JourneyAssembler"/>, so memory holds one person, not the workspace.
/// </summary>
internal static class JourneyReader
{
    /// <summary>
    /// The journey events of the workspace (<see cref="JourneyEventsTable"/>; in scope: by their stored key) with their
    /// person; conversions deduplicated by order id (earliest event wins its person and time), each with its order's net
    /// revenue from the ledger view.
    /// </summary>
    private static readonly string Events = $"""
        WITH read_events AS (
            SELECT * FROM journey_events WHERE workspace = $ws {"{scope}"}),
        keyed AS (
            SELECT type, ts, message_id, channel, utm_source, utm_medium, utm_campaign, order_id,
                   -- an order is credited its net revenue from the ledger (refunds taken off, 0 when cancelled)
                   CASE WHEN type = 'conversion' THEN coalesce(o_net, revenue) ELSE revenue END AS revenue,
                   CASE WHEN type = 'conversion' THEN coalesce(o_currency, currency) ELSE currency END AS currency, k
            FROM read_events
            -- Equalities only: a left-side filter in the ON clause (type = 'conversion') made DuckDB fall back to a
            -- nested-loop join, 30x slower at 100k conversions; page views have no order id, so they match nothing anyway.
            -- The ledger of the orders read here only: a tick's few people need not fold every order of the workspace.
            LEFT JOIN (SELECT workspace AS o_ws, order_id AS o_id, net_revenue AS o_net, currency AS o_currency
                       FROM ({OrdersSchema.Ledger("AND workspace = $ws {orderScope}")}))
                   ON o_ws = workspace AND o_id = order_id),
        placed AS (
            SELECT keyed.*, coalesce(p.person, keyed.k) AS person
            FROM keyed LEFT JOIN attribution_people p ON p.k = keyed.k),
        journey AS (
            SELECT * FROM placed
            QUALIFY type = 'page' OR row_number() OVER (PARTITION BY order_id ORDER BY ts, message_id) = 1)
        """;

    /// <summary>The rows of the keys in <c>attribution_scope</c>.</summary>
    public static readonly string ScopeFilter = $"AND k IN {KeySet.In("attribution_scope")}";

    /// <summary>The orders of the scope's conversion events (whoever else reported them), for the ledger's filter.</summary>
    private const string ScopedOrders = "AND order_id IN (SELECT order_id FROM read_events WHERE type = 'conversion')";

    /// <summary>Creates (or empties) the scope table on <paramref name="connection"/> and fills it with <paramref name="keys"/>.</summary>
    public static void SetScope(DuckDBConnection connection, IEnumerable<string> keys) =>
        Fill(connection, "attribution_scope", "k VARCHAR", keys, static (row, key) => row.AppendValue(key));

    /// <summary>
    /// Loads the key → person map of <paramref name="people"/> into the connection's temp table: of every key, or only
    /// of <paramref name="scopeKeys"/> when the journeys read are those keys' (a tick maps its few people, not everyone).
    /// </summary>
    public static void SetPeople(DuckDBConnection connection, PersonResolver people, IReadOnlyList<string>? scopeKeys = null)
    {
        var keys = scopeKeys ?? people.Keys.ToArray();
        Fill(connection, "attribution_people", "k VARCHAR, person VARCHAR", keys, (row, key) => row.AppendValue(key).AppendValue(people.Find(key)));
    }

    /// <summary>People a full run's stream will yield (for progress).</summary>
    public static int CountPeople(DuckDBConnection connection, string workspace)
    {
        using var command = Command(connection, workspace, Scope.All, Events + "SELECT count(DISTINCT person) FROM journey");
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// One journey per person, in person order, assembled by the shared rules (<see cref="JourneyAssembler"/>); the order id
    /// of every conversion read goes into <paramref name="orders"/> when given. In scope, the rows from
    /// <paramref name="scopeFirstSeq"/> on are read (<see cref="EventKeysTable.Look"/>: the scope has none below it).
    /// </summary>
    public static IEnumerable<PersonJourney> Stream(DuckDBConnection connection, string workspace, IReadOnlyDictionary<string, long> leadMs, Scope scope,
        ISet<string>? orders = null) =>
        JourneyAssembler.Assemble(Rows(connection, workspace, scope, orders), leadMs);

    /// <summary>The journey events of the workspace (in scope), ordered by person, time and message id.</summary>
    private static IEnumerable<JourneyEvent> Rows(DuckDBConnection connection, string workspace, Scope scope, ISet<string>? orders)
    {
        using var command = Command(connection, workspace, scope, Events + OrderedJourney);
        foreach (var row in Read(command, orders)) { yield return row; }
    }

    /// <summary>The rows of a query's <c>journey</c> (one row per kept event, with its person), as <see cref="Read"/> decodes them.</summary>
    internal const string OrderedJourney = """
        SELECT person, type = 'conversion', epoch_ms(ts), coalesce(channel, 'Direct'), utm_source, utm_medium, utm_campaign,
               order_id, CAST(coalesce(revenue, 0) AS DOUBLE), currency
        FROM journey ORDER BY person, ts, message_id
        """;

    /// <summary>Streams the journey events <paramref name="command"/> (ending in <see cref="OrderedJourney"/>) returns.</summary>
    internal static IEnumerable<JourneyEvent> Read(DuckDBCommand command, ISet<string>? orders)
    {
        command.UseStreamingMode = true;
        using var reader = command.ExecuteReader();
        var strings = new StringPool();
        while (reader.Read())
        {
            var conversion = reader.GetBoolean(1);
            if (conversion) { orders?.Add(reader.GetString(7)); }
            yield return new JourneyEvent(reader.GetString(0), conversion, reader.GetInt64(2), strings.Intern(Text(reader, 3))!, strings.Intern(Text(reader, 4)),
                strings.Intern(Text(reader, 5)), strings.Intern(Text(reader, 6)), conversion ? reader.GetString(7) : null, reader.GetDouble(8), strings.Intern(Text(reader, 9)));
        }
    }

    /// <summary>Creates (or empties) the connection's temp table <paramref name="table"/> and appends <paramref name="keys"/>.</summary>
    public static void Fill(DuckDBConnection connection, string table, string columns, IEnumerable<string> keys, Func<IDuckDBAppenderRow, string, IDuckDBAppenderRow> append)
    {
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"CREATE TEMP TABLE IF NOT EXISTS {table} ({columns}); DELETE FROM {table};";
            command.ExecuteNonQuery();
        }

        using var appender = connection.CreateAppender(table);
        foreach (var key in keys) { append(appender.CreateRow(), key).EndRow(); }
    }

    /// <summary>
    /// What a read covers: every key, or the keys in <c>attribution_scope</c>, whose rows are at or above <paramref name="FirstSeq"/>,
    /// and whose orders have no report below <paramref name="OrdersFirstSeq"/> (0: not known).
    /// </summary>
    public readonly record struct Scope(bool Scoped, long FirstSeq, long OrdersFirstSeq = 0)
    {
        public static Scope All => new(false, 0);

        /// <summary>
        /// The rows of the scope's keys, which have none below <paramref name="firstSeq"/> (none at all when null); their orders'
        /// reports are none below <paramref name="ordersFirstSeq"/> when given (<see cref="KeysNamedSinceMark.OrdersFirstSeq"/>).
        /// </summary>
        public static Scope Keys(long? firstSeq, long? ordersFirstSeq = null) => new(true, firstSeq ?? long.MaxValue, ordersFirstSeq ?? 0);

        /// <summary>
        /// The ledger's filter of <c>events</c>: the scope's orders, from their first report on as a literal when known, so
        /// DuckDB skips the row groups below it (a report loaded before sequences has none, and first sequence 0: no bound).
        /// </summary>
        public string OrderFilter => !Scoped ? ""
            : OrdersFirstSeq > 0 ? string.Create(CultureInfo.InvariantCulture, $"{ScopedOrders} AND load_seq >= {OrdersFirstSeq}") : ScopedOrders;

        /// <summary>
        /// The filter of <c>journey_events</c>: the bound is a literal on the bare column, so DuckDB skips the row groups below it
        /// by their min/max (<c>load_seq</c> grows with the table) before it tests the keys.
        /// </summary>
        public string Filter => Scoped ? string.Create(CultureInfo.InvariantCulture, $"AND load_seq >= {FirstSeq} {ScopeFilter}") : "";
    }

    private static DuckDBCommand Command(DuckDBConnection connection, string workspace, Scope scope, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql.Replace("{scope}", scope.Filter, StringComparison.Ordinal)
            .Replace("{orderScope}", scope.OrderFilter, StringComparison.Ordinal);
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        return command;
    }

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
