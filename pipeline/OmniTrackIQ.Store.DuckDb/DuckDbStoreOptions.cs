using System.ComponentModel.DataAnnotations;

namespace OmniTrackIQ.Store.DuckDb;

/// <summary><c>OmniTrack:DuckDb</c>: the embedded store's file and its resource limits.</summary>
public sealed class DuckDbStoreOptions
{
    /// <summary>The database file (the collector defaults it to <c>DATA_DIR/omnitrack.duckdb</c>).</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "OmniTrack:DuckDb:Path must name a file")]
    public string Path { get; set; } = "omnitrack.duckdb";

    /// <summary>DuckDB's buffer limit (its own default is 80 % of the machine's RAM, far beyond what a collector may take).</summary>
    [RegularExpression(Size, ErrorMessage = "OmniTrack:DuckDb:MemoryLimit must be a size such as 256MB or 1GB")]
    public string MemoryLimit { get; set; } = DefaultMemoryLimit;

    /// <summary>DuckDB worker threads; the collector's own threads need the rest of the cores.</summary>
    [Range(1, 1024, ErrorMessage = "OmniTrack:DuckDb:Threads must be between 1 and 1024")]
    public int Threads { get; set; } = 1;

    /// <summary>
    /// Write-ahead log size that triggers a checkpoint (DuckDB's own default is 16MB). Until a checkpoint, what was
    /// appended lives in DuckDB's memory (bench/RESULTS.md, issue 16, session 8: at 128MB its buffers reached 227 MB while
    /// the sink wrote 1M events, at 32MB 102 MB, at the same rate once batches are appended straight into events). At
    /// 16MB the checkpoints (each writes the key index again) cost the sink about half its rate.
    /// </summary>
    [RegularExpression(Size, ErrorMessage = "OmniTrack:DuckDb:CheckpointThreshold must be a size such as 128MB")]
    public string CheckpointThreshold { get; set; } = DefaultCheckpointThreshold;

    /// <summary>
    /// (workspace, message id) pairs the writer remembers having committed (44 bytes each), so that a batch holding a retry
    /// of one is appended without it instead of falling back to staging and INSERT OR IGNORE; 0 remembers none.
    /// </summary>
    [Range(0, int.MaxValue, ErrorMessage = "OmniTrack:DuckDb:RecentIdCapacity must be 0 or more")]
    public int RecentIdCapacity { get; set; } = DefaultRecentIdCapacity;

    /// <summary>
    /// A full recompute reads journeys in ranges of people of about this many journey rows (page views and orders) each,
    /// each range read, attributed and written before the next: DuckDB sorts a range, not the workspace, so the run fits
    /// <see cref="MemoryLimit"/> whatever the history (one read of 15M rows did not fit 256MB).
    /// </summary>
    [Range(1, int.MaxValue, ErrorMessage = "OmniTrack:DuckDb:RecomputeRangeRows must be 1 or more")]
    public int RecomputeRangeRows { get; set; } = DefaultRecomputeRangeRows;

    /// <summary>
    /// How long DuckDB's allocator (the jemalloc its Linux x64 library bundles) keeps pages DuckDB freed before it gives
    /// them back to the kernel, in milliseconds: unset leaves DuckDB's own (1000), 0 gives them back at once, -1 never.
    /// 0 took 85-100 MB off the collector's peak under a DuckDB batch load and 50 MB off a 1M full recompute, but cost
    /// 25-45 % more collector CPU an event and 53 % more in the recompute (every reuse of a freed page faults it in again),
    /// so it is not the default (bench/RESULTS.md "Session 15"). Process-wide.
    /// </summary>
    [Range(-1, 3_600_000, ErrorMessage = "OmniTrack:DuckDb:AllocatorDecayMs must be between -1 and 3600000")]
    public long? AllocatorDecayMs { get; set; }

    internal const int DefaultRecentIdCapacity = 200_000;
    internal const int DefaultRecomputeRangeRows = 1_000_000;
    internal const string DefaultCheckpointThreshold = "32MB";
    internal const string DefaultMemoryLimit = "256MB";

    /// <summary>A size as DuckDB's settings take it: a number and a unit.</summary>
    private const string Size = @"^\s*\d+(\.\d+)?\s*([KMGT]i?B|B|bytes)\s*$";
}
