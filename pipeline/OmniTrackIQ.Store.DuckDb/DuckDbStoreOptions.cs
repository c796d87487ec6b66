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
}
