namespace OmniTrackIQ.Store.ClickHouse.Orders;

/// <summary>
/// <c>order_reports</c>: the conversion reports of <c>events</c> (type 'conversion' with an order id), their columns as
/// <c>events</c> has them, sorted by order id. <c>events</c> is sorted for per-person reads, and no index of it covers
/// <c>order_id</c>: finding every report of a few orders read two columns of every event of the workspace, which made
/// an attribution tick's cost grow with the history. Here the same lookup reads the granules of those orders only.
/// <para>
/// A materialized view fills it on every insert into <c>events</c> (the sink's, an erasure's anonymous copy of an order),
/// so it holds what <c>events</c> holds whatever a run does; the schema step fills it from the stored events once, after
/// the view exists (an upgraded database). Rows that insert and that fill both see are kept twice, as copies of one event
/// may be in <c>events</c>: every read takes one row per message id. Plain MergeTree, so that a merge never lowers its
/// row count (<see cref="Attribution.ReplicaLag"/> compares replicas by it). Erasure deletes from it as from <c>events</c>.
/// On a cluster the view is made on every node over <c>events_local</c> into <c>order_reports_local</c>
/// (<see cref="ClusterStatements"/>): each shard's insert fills that shard's table, which replicates as any other.
/// </para>
/// </summary>
internal static class OrderReports
{
    public const string Table = "order_reports";

    /// <summary>
    /// The <c>events</c> columns a read of orders takes: the ledger's (<see cref="OrdersSql"/>), a journey's conversion side
    /// (the identity key, time, money) and what erasure matches a person by.
    /// </summary>
    private static readonly string[] s_columns =
    [
        "workspace", "message_id", "type", "event", "anonymous_id", "user_id", "email_sha256", "phone_sha256", "previous_id", "ts", "received_at",
        "revenue", "currency", "order_id", "order_source", "order_status", "refunded", "net_revenue", "order_updated_at", "load_ms", "load_index",
    ];

    private static readonly string s_columnList = string.Join(", ", s_columns);

    /// <summary>What makes an <c>events</c> row a report here (the ledger's own condition).</summary>
    private const string IsReport = "type = 'conversion' AND isNotNull(order_id)";

    public static string Create(string db) => $"""
        CREATE TABLE IF NOT EXISTS {db}.{Table} (
            {string.Join(",\n    ", s_columns.Select(c => $"{c} {EventsColumns.All.Single(e => e.Name == c).Type}"))}
        )
        ENGINE = MergeTree
        PARTITION BY toYYYYMM(toDateTime(intDiv(ts, 1000), 'UTC'))
        ORDER BY (workspace, ifNull(order_id, ''), message_id)
        """;

    /// <summary>
    /// The view that copies each inserted report. No alias may shadow a column here: 18.16 resolves an alias first, even
    /// inside WHERE, and a view over a subquery fails on insert (both measured).
    /// </summary>
    public static string CreateView(string db) => $"""
        CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.{Table}_mv TO {db}.{Table}
        AS SELECT {s_columnList} FROM {db}.events WHERE {IsReport}
        """;

    /// <summary>The reports stored before the view existed (and, harmlessly, copies of those inserted since).</summary>
    public static string Fill(string db) => $"INSERT INTO {db}.{Table} ({s_columnList}) SELECT {s_columnList} FROM {db}.events WHERE {IsReport}";

    /// <summary>
    /// A condition on <c>order_id</c> for the orders of <paramref name="orderIds"/> (a subquery of order ids), stated on
    /// the bare sorting key so the primary index picks their granules.
    /// </summary>
    public static string OrderIn(string orderIds) => $"ifNull(order_id, '') IN ({orderIds})";
}
