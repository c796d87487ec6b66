using OmniTrackIQ.Attribution.Identity;
using OmniTrackIQ.Store.ClickHouse.Orders;

namespace OmniTrackIQ.Store.ClickHouse.Attribution;

/// <summary>
/// The SQL that assembles journeys inside ClickHouse (DESIGN "Attribution": groupArray per person): every event read
/// once per message id (copies not yet merged away count once), conversions deduplicated by order id (the earliest
/// keyed report gives the person and time, the ledger its net revenue), each event's identity key mapped to its
/// person through the run's <c>attribution_people</c>, and one row per person with its events sorted by time and
/// message id. Only these rows leave the server.
/// </summary>
internal static class JourneySql
{
    /// <summary>A journey event's columns, in the order of each person's <c>events</c> tuples (<see cref="JourneyRows"/> reads them by position).</summary>
    public const string EventColumns = "is_conversion, ts, message_id, channel, source, medium, campaign, order_id, revenue, currency";

    /// <summary>The workspace's events, one row per message id (the first copy: copies of one event are identical but for load marks).</summary>
    /// <param name="from">The table read: <c>events</c>, or <see cref="OrderReports"/> for conversion reports (the same rows).</param>
    /// <param name="prewhere">A condition read first (PREWHERE), or null: see <see cref="ScopeJourneySql"/>.</param>
    public static string Distinct(string db, string ws, string columns, string where, string from = "events", string? prewhere = null) => $"""
        SELECT {columns} FROM {db}.{from}
        {(prewhere is null ? "" : $"PREWHERE {prewhere} ")}WHERE workspace = {ws} AND ({where})
        ORDER BY message_id, load_ms, load_index
        LIMIT 1 BY message_id
        """;

    /// <summary>
    /// One row per person: <c>person</c> and <c>events</c>, an array of (is_conversion, ts, message_id, channel, source,
    /// medium, campaign, order_id, revenue, currency) sorted by (ts, message_id), conversions credited with the order
    /// ledger's numbers. With <paramref name="scoped"/> only the journeys of keys in the run's people map are read (an
    /// incremental run), and so that the work is the scope's, not the history's, each read is narrowed before it sorts or
    /// groups (<see cref="ScopedEvents"/>): pages of the scope's keys, every report of an order one of them reported (the
    /// orders of <see cref="ScopeOrdersTable"/>, found by order id in <see cref="OrderReports"/>), the ledger of those orders
    /// only; the people map is then <see cref="ScopePeopleTable"/>, sent with the query. Otherwise every keyed event, a key
    /// without a link being its own person, mapped through the run's <c>attribution_people</c>.
    /// </summary>
    public static string Journeys(string db, string ws, ulong run, bool scoped)
    {
        if (!scoped)
        {
            return Assemble(db, ws, OrdersSql.Orders(db, ws), $"SELECT k, person AS p_person FROM {db}.attribution_people WHERE workspace = {ws} AND run = {run}",
                "", "1", "1");
        }

        var scopeOrders = $"SELECT o FROM {ScopeOrdersTable}";
        return Assemble(db, ws, OrdersSql.OrdersIn(db, ws, scopeOrders), $"SELECT k, person AS p_person FROM {ScopePeopleTable}",
            $"WHERE k IN (SELECT k FROM {ScopePeopleTable})", ScopedEvents(), OrderReports.OrderIn(scopeOrders), OrderReports.Table);
    }

    /// <summary>
    /// The external table (<c>o String</c>) a scoped <see cref="Journeys"/> reads its orders from: <see cref="ScopeOrders"/>,
    /// read first and sent with the query. As a subquery deep inside the journey query, 18.16 ran it again at every level
    /// of nesting (the ledger's alone took ten times the subquery's CPU, measured): a table sent with the query is only read.
    /// </summary>
    public const string ScopeOrdersTable = "scope_orders";

    /// <summary>
    /// The external table (<c>k String, person String</c>) a scoped run's people map is sent as, to <see cref="ScopeOrders"/>
    /// and <see cref="Journeys"/>: a tick's map is its scope's keys, a few thousand rows, so a tick no longer inserts it
    /// into <c>attribution_people</c> (a part per tick, rows never read again). Not for the query's CPU: measured the same
    /// either way (bench/RESULTS.md, issue 21 on ClickHouse, session 14).
    /// </summary>
    public const string ScopePeopleTable = "scope_people";

    /// <summary>The columns of <see cref="ScopePeopleTable"/>.</summary>
    public const string ScopePeopleStructure = "k String, person String";

    /// <summary>The orders the run's people map reported (column <c>k</c>), found through the events' primary index on one server.</summary>
    public static string ScopeOrders(string db, string ws) =>
        $"SELECT DISTINCT assumeNotNull(order_id) AS k FROM {db}.events WHERE workspace = {ws} AND type = 'conversion' AND isNotNull(order_id) AND {ScopedEvents()}";

    /// <summary>
    /// The condition "this event's key is one of the run's people map" on <c>events</c>. It also says so on the bare
    /// sorting key (<c>ifNull(anonymous_id, '')</c>, implied by the first: a key is the anonymous id when there is one),
    /// which lets a single server's primary index skip the granules of other people; the cluster's events are sorted by
    /// message id, so there it is a filter only.
    /// </summary>
    public static string ScopedEvents() => $"{ScopedKeys()} AND {ScopedAnonymousIds()}";

    /// <summary>The first half of <see cref="ScopedEvents"/>: the event's key is in the run's people map.</summary>
    public static string ScopedKeys() => $"({IdentitySql.EventKey}) IN (SELECT k FROM {ScopePeopleTable})";

    /// <summary>The second half of <see cref="ScopedEvents"/>, on the bare sorting key alone (one column).</summary>
    public static string ScopedAnonymousIds()
    {
        var anonymous = IdentityKeys.EventKeyOrder[0];
        return $"(ifNull({anonymous.Column}, '') IN (SELECT substring(k, {anonymous.Prefix.Length + 1}) FROM {ScopePeopleTable} WHERE startsWith(k, '{anonymous.Prefix}')) " +
               $"OR ifNull({anonymous.Column}, '') = '')";
    }

    /// <summary>
    /// The same journeys with the people map read from <paramref name="peopleTable"/>, an external table
    /// (<c>k String, person String</c>) sent with the query: a read with a map of its own writes nothing.
    /// </summary>
    public static string AdHocJourneys(string db, string ws, string orders, string peopleTable) =>
        Assemble(db, ws, orders, $"SELECT k, person AS p_person FROM {SqlLiteral.Identifier(peopleTable)}", "", "1", "1");

    /// <summary>
    /// A conversion's revenue and currency from the ledger, the first report's own when the ledger has none (columns of
    /// <see cref="FirstReportsWithLedger"/>).
    /// </summary>
    public const string FirstReportRevenue = """
        if(o_reports = 0, first_revenue, ifNull(toFloat64(o_net), first_revenue)) AS revenue,
        if(o_reports = 0 OR isNull(o_currency), first_currency, o_currency) AS currency
        """;

    /// <summary>
    /// Each order's earliest keyed report (<c>first_k, first_ts, first_mid, first_revenue, first_currency</c>, by time then
    /// message id) joined with its ledger row (<c>o_net, o_currency, o_reports</c>): the FROM of a conversion per order.
    /// </summary>
    /// <param name="conversions">Conversion reports with columns <c>k, ts, message_id, oid, own_revenue, own_currency</c>.</param>
    /// <param name="orders">The ledger's rows of those orders (<c>order_id, net_revenue, currency, reports</c>).</param>
    public static string FirstReportsWithLedger(string conversions, string orders) => $"""
        FROM (
            -- Aliases differ from the columns: 18.16 would read a "ts" inside argMin as the alias min(ts).
            SELECT oid, argMin(k, (ts, message_id)) AS first_k, min(ts) AS first_ts, argMin(message_id, (ts, message_id)) AS first_mid,
                   argMin(own_revenue, (ts, message_id)) AS first_revenue, argMin(own_currency, (ts, message_id)) AS first_currency
            FROM ({conversions}) WHERE k != '' GROUP BY oid)
        ANY LEFT JOIN (SELECT order_id AS oid, net_revenue AS o_net, currency AS o_currency, reports AS o_reports FROM ({orders})) USING oid
        """;

    /// <param name="people">The people map as (k, p_person) rows. Right-hand columns get names of their own: 18.16 resolves joined columns by name, not by table alias.</param>
    /// <param name="scope">A WHERE on the key that limits the events read, or empty.</param>
    /// <param name="pageFilter">A condition on <c>events</c> that narrows the pages read before they are sorted ("1" for all).</param>
    /// <param name="conversionFilter">The same for the conversion reports: whole orders only, so each order's earliest keyed report stays its own.</param>
    /// <param name="reports">The table the conversion reports are read from (<see cref="Distinct"/>).</param>
    private static string Assemble(string db, string ws, string orders, string people, string scope, string pageFilter, string conversionFilter,
        string reports = "events")
    {
        var pages = Distinct(db, ws,
            $"{IdentitySql.EventKey} AS k, toUInt8(0) AS is_conversion, ts, message_id, ifNull(channel, 'Direct') AS channel, utm_source AS source, " +
            "utm_medium AS medium, utm_campaign AS campaign, CAST(NULL AS Nullable(String)) AS order_id, toFloat64(0) AS revenue, " +
            "CAST(NULL AS Nullable(String)) AS currency",
            $"type = 'page' AND is_bot = 0 AND {pageFilter}");
        var conversions = Distinct(db, ws,
            $"{IdentitySql.EventKey} AS k, ts, message_id, assumeNotNull(order_id) AS oid, ifNull(toFloat64(revenue), 0) AS own_revenue, currency AS own_currency",
            $"type = 'conversion' AND isNotNull(order_id) AND {conversionFilter}", reports);
        return $"""
            SELECT person, arraySort(x -> (x.2, x.3), groupArray(({EventColumns}))) AS events
            FROM (
                SELECT if(p_person = '', k, p_person) AS person, {EventColumns}
                FROM (
                    SELECT k, {EventColumns}
                    FROM ({pages}) WHERE k != ''
                    UNION ALL
                    SELECT first_k AS k, toUInt8(1) AS is_conversion, first_ts AS ts, first_mid AS message_id, 'Direct' AS channel, CAST(NULL AS Nullable(String)) AS source,
                           CAST(NULL AS Nullable(String)) AS medium, CAST(NULL AS Nullable(String)) AS campaign, toNullable(oid) AS order_id,
                           {FirstReportRevenue}
                    {FirstReportsWithLedger(conversions, orders)}
                ) AS e
                ANY LEFT JOIN ({people}) USING k
                {scope}
            )
            GROUP BY person
            ORDER BY person
            """;
    }
}
