using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Pipeline.Analytics;
using OmniTrackIQ.Store.ClickHouse.Attribution;

namespace OmniTrackIQ.Store.ClickHouse.Analytics;

/// <summary>
/// The conversions a <see cref="CreditFilter"/> keeps, as a subquery of <c>conversion_id</c>s of the current run: a
/// heuristic model's stored credit column above 0 on a touch of the channel. Markov and Shapley credit is not stored;
/// by the rule of <c>ChannelWeightCredits</c> a touch gets credit when its channel has weight, or when no channel of
/// the path has any (then every touch gets 1/n), so the same test is made here on the kept touches.
/// </summary>
internal static class CreditedConversions
{
    public static async Task<string> SubqueryAsync(ClickHouseDatabase database, string ws, RunState state, CreditFilter filter, CancellationToken cancellationToken)
    {
        var db = database.Name;
        var channel = SqlLiteral.String(filter.Channel);
        var current = $"workspace = {ws} AND (conversion_id, run) IN ({state.CurrentConversions(db, ws)})";
        if (AttributionModels.Heuristics.Any(h => h.Name == filter.Model))
        {
            return $"SELECT conversion_id FROM {db}.attribution_touches WHERE {current} AND channel = {channel} AND credit_{filter.Model} > 0";
        }

        var weighted = new List<string>();
        await database.ReadRowsAsync($"""
            SELECT channel FROM {db}.attribution_channel_models
            WHERE workspace = {ws} AND run = {state.Run} AND model = {SqlLiteral.String(filter.Model)} AND weight > 0
            """,
            row => weighted.Add(row.GetProperty("channel").GetString()!), cancellationToken);
        var unweightedPath = weighted.Count == 0 ? "1" : $"countIf(channel IN ({string.Join(", ", weighted.Select(SqlLiteral.String))})) = 0";
        var credited = weighted.Contains(filter.Channel, StringComparer.Ordinal) ? "1" : unweightedPath;
        return $"""
            SELECT conversion_id FROM {db}.attribution_touches WHERE {current} AND credit_linear > 0
            GROUP BY conversion_id HAVING countIf(channel = {channel}) > 0 AND {credited}
            """;
    }
}
