namespace OmniTrackIQ.Store.DuckDb;

/// <summary><c>OmniTrack:DuckDb</c>: the embedded store's file and its resource limits.</summary>
public sealed class DuckDbStoreOptions
{
    /// <summary>The database file (the collector defaults it to <c>DATA_DIR/omnitrack.duckdb</c>).</summary>
    public string Path { get; set; } = "omnitrack.duckdb";

    /// <summary>DuckDB's buffer limit (its own default is 80 % of the machine's RAM, far beyond what a collector may take).</summary>
    public string MemoryLimit { get; set; } = "256MB";

    /// <summary>DuckDB worker threads; the collector's own threads need the rest of the cores.</summary>
    public int Threads { get; set; } = 1;

    /// <summary>
    /// Write-ahead log size that triggers a checkpoint (DuckDB's own default is 16MB). Measured with StoreBench
    /// duckdb-write (bench/RESULTS.md, issue 16): at 16MB nearly every 10k-event batch checkpointed, and the commit was
    /// the largest part of a write; at 128MB the commit costs a third and the sink stores ~45 % more rows a second.
    /// The price is a longer log to replay at start after a crash.
    /// </summary>
    public string CheckpointThreshold { get; set; } = DefaultCheckpointThreshold;

    internal const string DefaultCheckpointThreshold = "128MB";
}
