using System.ComponentModel.DataAnnotations;

namespace OmniTrackIQ.Store.ClickHouse;

/// <summary>Where the ClickHouse store lives and how it writes.</summary>
public sealed class ClickHouseStoreOptions
{
    /// <summary>
    /// ClickHouse.Driver connection string over HTTP, e.g. <c>Host=127.0.0.1;Port=8123;Database=otq</c>. The
    /// database is created when missing. <c>Compression=false</c> is forced: 18.16 cannot read the driver's
    /// compressed requests, and on a LAN the CPU costs more than the bytes.
    /// </summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "OmniTrack:ClickHouse:ConnectionString must be set (e.g. Host=127.0.0.1;Port=8123;Database=otq)")]
    public string ConnectionString { get; set; } = "Host=127.0.0.1;Port=8123;Database=otq";

    /// <summary>
    /// Message ids per existence query (sent as an external table, so not bound by max_query_size); a sink batch of
    /// 10,000 events is one query. The query runs only while the writer cannot know what is stored (see
    /// <see cref="ExistenceCheckEvents"/>).
    /// </summary>
    [Range(1, int.MaxValue, ErrorMessage = "OmniTrack:ClickHouse:LookupChunkSize must be at least 1")]
    public int LookupChunkSize { get; set; } = 50_000;

    /// <summary>
    /// How many recently stored (workspace, message id) pairs the writer remembers, to skip a replayed or retried event
    /// without asking the server (44 bytes each: the default takes about 9 MB). 0 remembers none. An event older than
    /// this window that comes back after <see cref="ExistenceCheckEvents"/> is stored as a second row: every read still
    /// counts it once, the replacing merge collapses it, and <c>otq_store_rows_written_total</c> counts it again.
    /// </summary>
    [Range(0, int.MaxValue, ErrorMessage = "OmniTrack:ClickHouse:RecentIdCapacity must be 0 or more")]
    public int RecentIdCapacity { get; set; } = 200_000;

    /// <summary>
    /// After the store starts and after a failed write, the next this many events are also checked against the server
    /// (one existence query a batch), and for as long as those queries still find stored ids: a spool replayed after a
    /// crash, or an insert that timed out yet landed. Keep it at least twice the sink's batch size (10,000 by default): the
    /// sink commits its checkpoint after each batch, so what a crash leaves stored but not committed is one batch. 0 never
    /// asks the server (the filter alone).
    /// </summary>
    [Range(0, long.MaxValue, ErrorMessage = "OmniTrack:ClickHouse:ExistenceCheckEvents must be 0 or more")]
    public long ExistenceCheckEvents { get; set; } = 20_000;

    /// <summary>
    /// The most months (partitions of <c>events</c>) one insert may span; a batch over it is written as several
    /// inserts. Keep it at or below the server's <c>max_partitions_per_insert_block</c> (100 by default on current
    /// ClickHouse; 18.16 has no such limit).
    /// </summary>
    [Range(1, int.MaxValue, ErrorMessage = "OmniTrack:ClickHouse:MaxPartitionsPerInsert must be at least 1")]
    public int MaxPartitionsPerInsert { get; set; } = 100;

    /// <summary>
    /// The cluster (a name in the servers' <c>remote_servers</c>) the store's tables live on, or null for one server. With a
    /// cluster every table is a <c>Replicated…MergeTree</c> <c>…_local</c> table on each node behind a <c>Distributed</c> table
    /// sharded by workspace, and the schema steps run <c>ON CLUSTER</c> (ZooKeeper needed; see CLUSTER.md). The connection
    /// string names any one node (or a balancer in front of several).
    /// </summary>
    public string? Cluster { get; set; }

    /// <summary>Per-request timeout of the shared HttpClient.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "10675199.02:48:05.4775807", ErrorMessage = "OmniTrack:ClickHouse:RequestTimeout must be positive")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How far behind the newest <c>load_ms</c> it saw the attribution worker sets its next "loaded since" mark.
    /// Several ingest nodes stamp rows with their own clocks, and a write becomes visible a little after its stamp,
    /// so rows can appear below a mark already taken; re-reading this margin each run (recomputing is idempotent)
    /// catches them. It must exceed the clock difference between ingest nodes plus the longest insert.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "10675199.02:48:05.4775807", ErrorMessage = "OmniTrack:ClickHouse:LoadMarkMargin must be 0 or more")]
    public TimeSpan LoadMarkMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The largest tick scope (identity keys) whose journeys are assembled in this process from two flat reads
    /// (<c>ScopeJourneys</c>): the orchestrator holds that many people's journeys anyway. A larger scope (a range run, a
    /// backfill) streams its journeys from the server's per-person query, so memory stays flat. Not configurable: a
    /// test sets 0 to run the server's path.
    /// </summary>
    internal int InProcessJourneyMaxKeys { get; set; } = OmniTrackIQ.Attribution.Runs.AttributionOrchestrator.ReadAheadMaxKeys;
}
