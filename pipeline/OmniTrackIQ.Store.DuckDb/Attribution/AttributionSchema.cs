namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// DDL of <c>attribution_results</c> (DESIGN "Tables"). One extra column beyond the design list,
/// <c>conversion_ts</c>, so reports can filter by conversion time without joining events.
/// </summary>
internal static class AttributionSchema
{
    public const string CreateResults = """
        CREATE TABLE IF NOT EXISTS attribution_results (
            workspace VARCHAR NOT NULL,
            conversion_id VARCHAR NOT NULL,
            model VARCHAR NOT NULL,
            touch_index INTEGER NOT NULL,
            channel VARCHAR NOT NULL,
            source VARCHAR,
            medium VARCHAR,
            campaign VARCHAR,
            touch_ts TIMESTAMP,
            conversion_ts TIMESTAMP NOT NULL,
            credit DOUBLE NOT NULL,
            revenue_credit DOUBLE NOT NULL,
            computed_at TIMESTAMP NOT NULL);
        """;

    /// <summary>Channel of the single row recorded for a conversion without any touch, so its revenue is not lost.</summary>
    public const string NoTouchChannel = "(none)";
}
