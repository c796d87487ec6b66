namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// DDL of the attribution tables (DESIGN "Tables"; README documents every column). Person keys are the
/// identifiers prefixed by kind — <c>a:</c> anonymous id, <c>u:</c> user id, <c>e:</c> e-mail SHA-256 —
/// and a person is named by the smallest key of its identity component (see <see cref="PersonResolver"/>).
/// </summary>
internal static class AttributionSchema
{
    public const string Create = """
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
        CREATE TABLE IF NOT EXISTS identity_links (
            workspace VARCHAR NOT NULL,
            id_key VARCHAR NOT NULL,
            person_key VARCHAR NOT NULL,
            source VARCHAR NOT NULL,
            first_seen TIMESTAMP NOT NULL,
            last_seen TIMESTAMP NOT NULL,
            PRIMARY KEY (workspace, id_key, person_key, source));
        CREATE TABLE IF NOT EXISTS conversions (
            workspace VARCHAR NOT NULL,
            conversion_id VARCHAR NOT NULL,
            person VARCHAR NOT NULL,
            ts TIMESTAMP NOT NULL,
            revenue DOUBLE NOT NULL,
            currency VARCHAR,
            path VARCHAR NOT NULL,
            touches INTEGER NOT NULL,
            computed_at TIMESTAMP NOT NULL);
        CREATE TABLE IF NOT EXISTS person_paths (
            workspace VARCHAR NOT NULL,
            person VARCHAR NOT NULL,
            path VARCHAR NOT NULL,
            conversions DOUBLE NOT NULL,
            conversion_value DOUBLE NOT NULL,
            nulls DOUBLE NOT NULL);
        CREATE TABLE IF NOT EXISTS attribution_channel_models (
            workspace VARCHAR NOT NULL,
            model VARCHAR NOT NULL,
            channel VARCHAR NOT NULL,
            weight DOUBLE NOT NULL,
            conversions DOUBLE NOT NULL,
            conversion_value DOUBLE NOT NULL,
            standard_error DOUBLE NOT NULL,
            computed_at TIMESTAMP NOT NULL);
        CREATE TABLE IF NOT EXISTS attribution_state (
            workspace VARCHAR PRIMARY KEY,
            loaded_through BIGINT NOT NULL,
            settings VARCHAR NOT NULL,
            computed_at TIMESTAMP NOT NULL);
        """;

    /// <summary>Channel of the single row recorded for a conversion without any touch, so its revenue is not lost.</summary>
    public const string NoTouchChannel = "(none)";
}
