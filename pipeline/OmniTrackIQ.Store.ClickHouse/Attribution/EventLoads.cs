namespace OmniTrackIQ.Store.ClickHouse.Attribution;

/// <summary>
/// <c>event_loads</c>: how many <c>events</c> rows each write (<c>load_ms</c>) of a workspace added, one row per write.
/// Every run starts by asking for the workspace's newest <c>load_ms</c> and its row count (the mark it will cover, and
/// "nothing new?"); over <c>events</c> that read two columns of every event of the workspace (5.1M rows at 1M
/// conversions, 0.10–0.12 s of server CPU per tick, growing with history: <c>load_ms</c> is in no index of it and 18.16
/// has no skip indexes). Here it reads one row per write.
/// <para>
/// A materialized view adds each insert's rows per write (the sink's writes, an erasure's anonymous copies of orders);
/// the schema step adds the rows stored before the view existed, once, after the view exists (an upgraded database).
/// SummingMergeTree: rows of one write that several inserts or that step added are summed by a merge. An erasure adds
/// minus the rows it deletes. So the sum is the rows the workspace was ever given less those erased: a fingerprint that
/// any new row changes, not always <c>events</c>' own count (that one falls when a replacing merge collapses copies of an
/// event, and the step counts the rows a node inserts while it runs twice). A run records it and compares the next
/// run's with it (<see cref="RunState.LoadedRows"/>): a row stamped below the mark by a node whose clock is behind still
/// makes the next tick run. A merge never lowers the sum.
/// </para>
/// <para>
/// The view writes after its insert's <c>events</c> part is in place, so a run that finds a write here finds its rows
/// in <c>events</c> on one server. On a cluster a replica fetches the two parts separately: a write found here before
/// its rows is found again by the next tick (its mark reads back <see cref="ClickHouseStoreOptions.LoadMarkMargin"/>),
/// as a row made visible late always was.
/// </para>
/// </summary>
internal static class EventLoads
{
    public const string Table = "event_loads";

    public static string Create(string db) => $"""
        CREATE TABLE IF NOT EXISTS {db}.{Table} (workspace String, load_ms UInt64, event_rows Int64)
        ENGINE = SummingMergeTree
        ORDER BY (workspace, load_ms)
        """;

    /// <summary>
    /// Grouped per inserted block (a write's rows come in one insert). No alias may shadow a column of <c>events</c>
    /// (18.16 resolves an alias first, see <see cref="Orders.OrderReports.CreateView"/>).
    /// </summary>
    public static string CreateView(string db) => $"""
        CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.{Table}_mv TO {db}.{Table}
        AS SELECT workspace, load_ms, toInt64(count()) AS event_rows FROM {db}.events GROUP BY workspace, load_ms
        """;

    /// <summary>The rows stored before the view existed (and those a node inserts meanwhile, twice: see the class).</summary>
    public static string Fill(string db) =>
        $"INSERT INTO {db}.{Table} (workspace, load_ms, event_rows) SELECT workspace, load_ms, toInt64(count()) FROM {db}.events GROUP BY workspace, load_ms";

    /// <summary>Takes out the rows of <c>events</c> that <paramref name="predicate"/> is about to delete (an erasure, before its delete).</summary>
    public static string Subtract(string db, string predicate) =>
        $"INSERT INTO {db}.{Table} (workspace, load_ms, event_rows) SELECT workspace, load_ms, -toInt64(count()) FROM {db}.events WHERE {predicate} GROUP BY workspace, load_ms";

    /// <summary>The workspace's newest write and its rows (see the class): <c>m</c>, <c>c</c>.</summary>
    public static string NewestAndRows(string db, string ws) =>
        $"SELECT max(load_ms) AS m, sum(event_rows) AS c FROM {db}.{Table} WHERE workspace = {ws}";

    public static readonly Migration Step = new(29, Table, db => [Create(db), CreateView(db), Fill(db)]);
}
