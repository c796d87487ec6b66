using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// DDL of the attribution tables (DESIGN "Tables"; README documents every column). Person keys are the
/// identifiers prefixed by kind — <c>a:</c> anonymous id, <c>u:</c> user id, <c>e:</c> e-mail SHA-256 —
/// and a person is named by the smallest key of its identity component (see <see cref="PersonResolver"/>).
/// </summary>
internal static class AttributionSchema
{
    public const string Create = """
        CREATE TABLE IF NOT EXISTS attribution_touches (
            workspace VARCHAR NOT NULL,
            conversion_id VARCHAR NOT NULL,
            touch_index INTEGER NOT NULL,
            channel VARCHAR NOT NULL,
            source VARCHAR,
            medium VARCHAR,
            campaign VARCHAR,
            touch_ts TIMESTAMP,
            conversion_ts TIMESTAMP NOT NULL,
            revenue DOUBLE NOT NULL,
            channel_touches INTEGER NOT NULL,
            credit_first DOUBLE NOT NULL, -- one credit column per heuristic model (AttributionModels.Heuristics)
            credit_last DOUBLE NOT NULL,
            credit_last_non_direct DOUBLE NOT NULL,
            credit_linear DOUBLE NOT NULL,
            credit_time_decay DOUBLE NOT NULL,
            credit_position DOUBLE NOT NULL,
            credit_w_shaped DOUBLE NOT NULL,
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
            computed_at TIMESTAMP NOT NULL,
            miss_reason VARCHAR);
        ALTER TABLE conversions ADD COLUMN IF NOT EXISTS miss_reason VARCHAR;
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

    /// <summary>
    /// <c>attribution_results</c> in DESIGN's long shape (one row per conversion, model and credited touch)
    /// as a view over <c>attribution_touches</c> (one row per kept touch, a credit column per heuristic
    /// model — 7× fewer rows to write) and <c>attribution_channel_models</c>. Markov and Shapley rows are
    /// derived at query time with the rule of ChannelWeightCredits: the channel's weight divided by its
    /// number of touches in the path (<c>channel_touches</c>), over the sum of that for the path; 1/n per
    /// touch when no channel of the path has weight. So a new path refits the models without rewriting
    /// every conversion's rows.
    /// </summary>
    public static string CreateResultsView { get; } = BuildResultsView();

    private static string BuildResultsView()
    {
        var heuristics = new List<string>();
        foreach (var (model, _) in AttributionModels.Heuristics)
        {
            heuristics.Add($"""
                SELECT workspace, conversion_id, '{model}' AS model, touch_index, channel, source, medium, campaign, touch_ts, conversion_ts,
                       credit_{model} AS credit, credit_{model} * revenue AS revenue_credit, computed_at
                FROM attribution_touches WHERE credit_{model} > 0
                """);
        }

        return $"""
            CREATE OR REPLACE VIEW attribution_results AS
            {string.Join("\nUNION ALL\n", heuristics)}
            UNION ALL
            {DataDriven(AttributionModels.Markov)}
            UNION ALL
            {DataDriven(AttributionModels.Shapley)};
            """;
    }

    /// <summary>
    /// The rows of one data-driven model. One branch per model with the model as a constant, so a query's
    /// <c>model = ...</c> drops the other branch when planned; each conversion's denominator (the sum of
    /// weight / channel_touches over its touches) and touch count come from one aggregate joined back, which at 1M
    /// conversions costs under half the window over every conversion it replaces, for the same figures
    /// (bench/RESULTS.md "Issue 21: the analyst's answers at 1M").
    /// </summary>
    private static string DataDriven(string model) => $"""
        SELECT workspace, conversion_id, model, touch_index, channel, source, medium, campaign, touch_ts, conversion_ts,
               credit, credit * revenue AS revenue_credit, computed_at
        FROM (
            SELECT t.*, '{model}' AS model,
                   CASE WHEN d.total > 0 THEN coalesce(w.weight, 0) / t.channel_touches / d.total ELSE 1.0 / d.touches END AS credit
            FROM attribution_touches t
            LEFT JOIN attribution_channel_models w
                   ON w.workspace = t.workspace AND w.model = '{model}' AND w.channel = t.channel AND w.weight > 0
            JOIN (SELECT t.workspace, t.conversion_id, sum(coalesce(w.weight, 0) / t.channel_touches) AS total, count(*) AS touches
                  FROM attribution_touches t
                  LEFT JOIN attribution_channel_models w
                         ON w.workspace = t.workspace AND w.model = '{model}' AND w.channel = t.channel AND w.weight > 0
                  WHERE t.credit_linear > 0
                  GROUP BY t.workspace, t.conversion_id) d
              ON d.workspace = t.workspace AND d.conversion_id = t.conversion_id
            WHERE t.credit_linear > 0)
        WHERE credit > 0
        """;

    /// <summary>Databases from before the view kept attribution_results as a table (dropped on open, with the state, so the next run recomputes all).</summary>
    public const string ResultsTableExists = """
        SELECT count(*) FROM information_schema.tables WHERE table_name = 'attribution_results' AND table_type = 'BASE TABLE'
        """;

    /// <summary>Channel of the single row recorded for a conversion without any touch, so its revenue is not lost.</summary>
    public const string NoTouchChannel = AttributionModels.NoTouchChannel;
}
