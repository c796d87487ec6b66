using OmniTrackIQ.Attribution.Identity;

namespace OmniTrackIQ.Store.ClickHouse.Attribution;

/// <summary>
/// <c>events_by_load</c>: the identity columns of every <c>events</c> row (<see cref="IdentityKeys"/>) with its type and
/// time, sorted by the write that loaded it (<c>load_ms</c>). A tick asks which keys and which identity links the events
/// loaded since its mark bring; <c>events</c> is sorted per person, so that read two scans of <c>load_ms</c> over every
/// event of the workspace (0.13–0.16 s of server CPU per tick at 1M conversions with the scope's links, growing with
/// history). Here it reads the new rows' granules by the primary index.
/// <para>
/// Kept as <see cref="Orders.OrderReports"/> is: a materialized view copies each insert into <c>events</c>, the schema
/// step copies the rows stored before it (an upgraded database; rows that both see are there twice, harmless: both reads
/// take distinct keys and group links), an erasure deletes the person's rows (the anonymous copy of an order comes in
/// through the view, with no identifier). Plain MergeTree. The view writes after its insert's <c>events</c> part is in
/// place, so on one server a key found here has its events there; on a cluster the two parts replicate apart, and a key
/// found before its events is found again by the next tick (<see cref="EventLoads"/>, the margin).
/// </para>
/// </summary>
internal static class EventsByLoad
{
    public const string Table = "events_by_load";

    private static readonly string[] s_columns =
        ["workspace", "load_ms", "type", "ts", .. IdentityKeys.EventKeyOrder.Concat(IdentityKeys.LinkKeyOrder).Concat(IdentityKeys.LinkedColumns).Select(c => c.Column).Distinct()];

    private static readonly string s_columnList = string.Join(", ", s_columns);

    public static string Create(string db) => $"""
        CREATE TABLE IF NOT EXISTS {db}.{Table} (
            {string.Join(",\n    ", s_columns.Select(c => $"{c} {EventsColumns.All.Single(e => e.Name == c).Type}"))}
        )
        ENGINE = MergeTree
        ORDER BY (workspace, load_ms)
        """;

    public static string CreateView(string db) => $"""
        CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.{Table}_mv TO {db}.{Table}
        AS SELECT {s_columnList} FROM {db}.events
        """;

    /// <summary>The rows stored before the view existed (and, harmlessly, copies of those inserted since).</summary>
    public static string Fill(string db) => $"INSERT INTO {db}.{Table} ({s_columnList}) SELECT {s_columnList} FROM {db}.events";

    public static readonly Migration Step = new(30, Table, db => [Create(db), CreateView(db), Fill(db)]);
}
