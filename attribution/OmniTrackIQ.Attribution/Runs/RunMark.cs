namespace OmniTrackIQ.Attribution.Runs;

/// <summary>
/// Where a store's results stand when a run starts: the settings key they were computed with (null before the first
/// run), whether any event was loaded since, and the store's load mark (DuckDB <c>load_seq</c>, ClickHouse
/// <c>load_ms</c>) a run reports: <see cref="Through"/> after a run, <see cref="StoredThrough"/> when nothing ran.
/// </summary>
public readonly record struct RunMark(string? Settings, bool NothingNew, long Through, long StoredThrough);
