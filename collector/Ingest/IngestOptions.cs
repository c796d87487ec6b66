namespace OmniTrackIQ.Collector.Ingest;

/// <summary>Ingest settings (section <c>OmniTrack:Ingest</c>).</summary>
public sealed class IngestOptions
{
    /// <summary>Run the enrichers (UA, GeoIP, privacy, channel). Off only for benchmarking their cost.</summary>
    public bool Enrich { get; set; } = true;

    /// <summary>Secret key of derived pixel ids (<see cref="PixelIdKey"/>); unset means one generated in the data directory.</summary>
    public string? PixelIdKey { get; set; }
}
