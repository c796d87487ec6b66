namespace OmniTrackIQ.Store.ClickHouse;

/// <summary>
/// DDL of the ingest tables for one database, single server (the cluster variant is in CLUSTER.md). Every
/// statement here runs on 18.16 as on current servers: no DateTime64, TTL, LowCardinality or
/// <c>ADD COLUMN IF NOT EXISTS</c> (18.16 cannot parse it; see <see cref="ClickHouseMigrations"/>).
/// </summary>
internal static class EventsSchema
{
    /// <summary>
    /// <c>events</c>. ReplacingMergeTree on the sorting key: rows for one person lie together and in time order
    /// (journeys read per anonymous id), and <c>message_id</c> ends the key so that two copies of one event
    /// loaded by racing writers collapse in a merge (keeping the larger <c>load_ms</c>). The writer's existence
    /// check keeps copies out in the first place; a merge is only the safety net for the race, and it comes
    /// late or, for copies whose <c>ts</c> differs (a client retry skew-corrected again), never. Reads therefore
    /// never rely on merges: they pick one row per message id themselves (see <see cref="ClickHouseEventStore"/>).
    /// <para>
    /// <c>load_ms</c>: epoch ms on the writing node's clock when its write was made, strictly increasing per node;
    /// all rows of one write share it and <c>load_index</c> is their position in it. It is the "loaded since"
    /// mark of the incremental attribution worker (as <c>load_seq</c> in DuckDB: <c>received_at</c> would miss
    /// a spool replayed late). It is not a global order across nodes: node clocks differ, and a write becomes
    /// visible some milliseconds after its mark. A worker asking <c>load_ms &gt; mark</c> must take its next mark
    /// a margin behind the largest value it saw (say 5 minutes) and recompute idempotently; whoever needs
    /// exactly-once order across nodes needs a sequence issued by one writer.
    /// </para>
    /// Partitions are months of <c>ts</c> (UTC): retention is <c>ALTER TABLE … DROP PARTITION</c> (no TTL on 18.16).
    /// </summary>
    public static string CreateEvents(string database) => CreateEvents(database, "(workspace, ifNull(anonymous_id, ''), ts, message_id)");

    /// <summary>
    /// <c>events</c> on a cluster (schema step 1's cluster form). Several ingest nodes make copies of one event far more
    /// often than one server's racing writers do: a client retries through another node, with a new <c>sentAt</c> and so
    /// another skew-corrected <c>ts</c>. A sorting key holding <c>ts</c> would keep those copies apart for ever, so the key
    /// is the event's identity only, and the replacing merge collapses every copy (the reads stay exact before it).
    /// Sharding by workspace puts all copies on one shard (<see cref="ClusterStatements"/>).
    /// </summary>
    public static string CreateClusterEvents(string database) => CreateEvents(database, "(workspace, message_id)");

    private static string CreateEvents(string database, string sortingKey) => $"""
        CREATE TABLE IF NOT EXISTS {database}.events (
            {EventsColumns.Definitions}
        )
        ENGINE = ReplacingMergeTree(load_ms)
        PARTITION BY toYYYYMM(toDateTime(intDiv(ts, 1000), 'UTC'))
        ORDER BY {sortingKey}
        """;

    /// <summary>
    /// Adds one of <see cref="EventsColumns.Added"/> to <c>events</c>: a plain ADD COLUMN (18.16 cannot parse IF NOT EXISTS),
    /// whose "already exists" on a second run the runner accepts. Rows stored before it read NULL.
    /// </summary>
    public static string AddColumn(string database, string column)
    {
        var (name, type) = EventsColumns.Added.Single(c => c.Name == column);
        return $"ALTER TABLE {database}.events ADD COLUMN {name} {type}";
    }

    /// <summary><c>bad_events</c>: kept as written, in load order per workspace (workspace is null for unknown keys).</summary>
    public static string CreateBadEvents(string database) => $"""
        CREATE TABLE IF NOT EXISTS {database}.bad_events (
            {BadEventsColumns.Definitions}
        )
        ENGINE = MergeTree
        PARTITION BY toYYYYMM(toDateTime(intDiv(received_at, 1000), 'UTC'))
        ORDER BY (ifNull(workspace, ''), load_ms, load_index)
        """;

    /// <summary>Which numbered steps a database has had; rows of two nodes applying one step at once collapse by version.</summary>
    public static string CreateMigrations(string database) => $"""
        CREATE TABLE IF NOT EXISTS {database}.schema_migrations (
            version UInt32,
            description String,
            applied_at Int64
        )
        ENGINE = ReplacingMergeTree
        ORDER BY version
        """;
}
