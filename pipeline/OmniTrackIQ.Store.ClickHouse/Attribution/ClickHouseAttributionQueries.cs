using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Paths;
using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Pipeline.Spend;
using OmniTrackIQ.Pipeline.Startup;

namespace OmniTrackIQ.Store.ClickHouse.Attribution;

/// <summary>
/// The analysts' questions on ClickHouse: summary per model and group with spend, top paths and checkout coverage,
/// read from the current rows of the last finished run (see <see cref="AttributionTables"/>). Heuristic credits are
/// summed on the server; Markov and Shapley credits are spread from the fitted channel weights over each distinct kept
/// path with the shared rule (<see cref="ChannelWeightCredits"/>), as DuckDB's results view spreads them per conversion.
/// </summary>
public sealed class ClickHouseAttributionQueries(ClickHouseDatabase database, StoreReadiness readiness) : IAttributionQueries
{
    public async Task<Dictionary<string, List<AttributionSummaryRow>>> SummarizeAsync(string workspace, IReadOnlyCollection<string> models, AttributionGroupBy groupBy,
        DateTime? from, DateTime? to, AttributionSettings? adHoc, string? channel, CancellationToken cancellationToken)
    {
        readiness.ThrowIfNotReady();
        var ws = SqlLiteral.String(workspace);
        var spend = groupBy == AttributionGroupBy.Campaign ? null : await SpendAsync(ws, groupBy, from, to, channel, cancellationToken);
        var campaignSpend = groupBy == AttributionGroupBy.Campaign ? await CampaignSpendAsync(ws, from, to, channel, cancellationToken) : null;
        var knownCampaigns = groupBy == AttributionGroupBy.Campaign ? await KnownCampaignsAsync(ws, cancellationToken) : null;
        var attributed = adHoc is null
            ? await StoredCreditsAsync(ws, models, groupBy, from, to, channel, cancellationToken)
            : await AdHocSummary.CreditsAsync(database, ws, adHoc, models, groupBy, from, to, channel, cancellationToken);
        var byModel = new Dictionary<string, List<AttributionSummaryRow>>(StringComparer.Ordinal);
        foreach (var model in models)
        {
            var sums = attributed.TryGetValue(model, out var found) ? found : new GroupSums();
            var keyedSpend = spend ?? CampaignSpendKeys.Resolve(campaignSpend!, knownCampaigns!.Contains);
            byModel[model] = [.. sums.Rows(keyedSpend).OrderByDescending(r => r.Revenue).ThenByDescending(r => r.Conversions).ThenBy(r => r.Key, StringComparer.Ordinal)];
        }

        return byModel;
    }

    /// <summary>
    /// The summary of one model per UTC day in one pass: the same reads keyed <c>yyyy-MM-dd|key</c> (credit by the
    /// conversion's day, spend by its date), split by <see cref="DailyKeys"/>.
    /// </summary>
    public async Task<List<DailySummaryRow>> SummarizeDailyAsync(string workspace, string model, AttributionGroupBy groupBy, DateTime from, DateTime to,
        string? channel, CancellationToken cancellationToken)
    {
        readiness.ThrowIfNotReady();
        var ws = SqlLiteral.String(workspace);
        Dictionary<string, double> spend;
        if (groupBy == AttributionGroupBy.Campaign)
        {
            var known = await KnownCampaignsAsync(ws, cancellationToken);
            spend = new Dictionary<string, double>(StringComparer.Ordinal);
            await database.ReadRowsAsync(OmniTrackIQ.Store.ClickHouse.Spend.SpendSql.SpentByCampaign(database.Name, ws, from, to, channel, byDay: true), row =>
            {
                var key = row.GetProperty("d").GetString() + "|" + CampaignSpendKeys.KeyOf(row.GetProperty("campaign_id").GetString()!, row.GetProperty("campaign").GetString()!, known.Contains);
                spend[key] = spend.GetValueOrDefault(key) + row.GetProperty("spend").GetDouble();
            }, cancellationToken);
        }
        else
        {
            spend = await SpendAsync(ws, groupBy, from, to, channel, cancellationToken, byDay: true);
        }

        var attributed = await StoredCreditsAsync(ws, [model], groupBy, from, to, channel, cancellationToken, byDay: true);
        var sums = attributed.TryGetValue(model, out var found) ? found : new GroupSums();
        return DailyKeys.Rows(sums.Rows(spend));
    }

    public async Task<List<TopPathRow>> TopPathsAsync(string workspace, int top, DateTime? from, DateTime? to, string? channel, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(top, AttributionQueryLimits.MaxTopPaths);
        readiness.ThrowIfNotReady();
        var ws = SqlLiteral.String(workspace);
        var state = await RunState.ReadAsync(database, ws, cancellationToken);
        var rows = new List<TopPathRow>();
        if (!state.Exists) { return rows; }
        await database.ReadRowsAsync($"""
            SELECT path, max(touches) AS t, count() AS c, sum(revenue) AS r FROM {database.Name}.attribution_conversions
            WHERE workspace = {ws} AND (conversion_id, run) IN ({state.CurrentConversions(database.Name, ws)}) {EpochRange.Where("conversion_ts", from, to)}
              {(channel is null ? "" : $"AND has(splitByString(' > ', path), {SqlLiteral.String(channel)})")}
            GROUP BY path ORDER BY c DESC, r DESC, path LIMIT {top}
            """,
            row => rows.Add(new TopPathRow(row.GetProperty("path").GetString()!, (int)ClickHouseDatabase.Number(row.GetProperty("t")),
                ClickHouseDatabase.Number(row.GetProperty("c")), Math.Round(row.GetProperty("r").GetDouble(), 4))),
            cancellationToken);
        return rows;
    }

    public async Task<CoverageReport> CoverageAsync(string workspace, DateTime? from, DateTime? to, CancellationToken cancellationToken)
    {
        readiness.ThrowIfNotReady();
        return await CoverageQuery.ReadAsync(database, SqlLiteral.String(workspace), from, to, cancellationToken);
    }

    /// <summary>Spend per group key in the range (the spend store's subquery).</summary>
    private async Task<Dictionary<string, double>> SpendAsync(string ws, AttributionGroupBy groupBy, DateTime? from, DateTime? to, string? channel,
        CancellationToken cancellationToken, bool byDay = false)
    {
        var spend = new Dictionary<string, double>(StringComparer.Ordinal);
        await database.ReadRowsAsync($"SELECT k, spend FROM ({OmniTrackIQ.Store.ClickHouse.Spend.SpendSql.SpentBy(database.Name, ws, groupBy, from, to, channel, byDay)})",
            row => spend[row.GetProperty("k").GetString()!] = row.GetProperty("spend").GetDouble(), cancellationToken);
        return spend;
    }

    /// <summary>Spend per platform campaign (id and name) in the range, keyed per model by <see cref="CampaignSpendKeys"/>.</summary>
    private async Task<List<CampaignSpend>> CampaignSpendAsync(string ws, DateTime? from, DateTime? to, string? channel, CancellationToken cancellationToken)
    {
        var spend = new List<CampaignSpend>();
        await database.ReadRowsAsync(OmniTrackIQ.Store.ClickHouse.Spend.SpendSql.SpentByCampaign(database.Name, ws, from, to, channel),
            row => spend.Add(new CampaignSpend(row.GetProperty("campaign_id").GetString()!, row.GetProperty("campaign").GetString()!, row.GetProperty("spend").GetDouble())),
            cancellationToken);
        return spend;
    }

    /// <summary>Every utm_campaign a kept touch of the last run carried (any range, any model), for <see cref="CampaignSpendKeys"/>.</summary>
    private async Task<HashSet<string>> KnownCampaignsAsync(string ws, CancellationToken cancellationToken)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        var state = await RunState.ReadAsync(database, ws, cancellationToken);
        if (!state.Exists) { return known; }
        await database.ReadRowsAsync($"""
            SELECT DISTINCT assumeNotNull(campaign) AS k FROM {database.Name}.attribution_touches
            WHERE workspace = {ws} AND isNotNull(campaign) AND (conversion_id, run) IN ({state.CurrentConversions(database.Name, ws)})
            """, row => known.Add(row.GetProperty("k").GetString()!), cancellationToken);
        return known;
    }

    /// <summary>
    /// The stored results of the last finished run. Every asked heuristic is summed by the server in one scan of the current
    /// touches (a compare used to scan them once per model); Markov and Shapley are spread here over each distinct kept
    /// path, which the server groups the conversions by (count and revenue per path and keys), instead of over every
    /// conversion's touches streamed one by one: a million conversions share some tens of thousands of such paths.
    /// </summary>
    /// <param name="channel">Only the credit of that channel's touches (data-driven credit is spread over the whole path first).</param>
    /// <param name="byDay">Key each conversion's day apart: <c>yyyy-MM-dd|key</c>.</param>
    private async Task<Dictionary<string, GroupSums>> StoredCreditsAsync(string ws, IReadOnlyCollection<string> models, AttributionGroupBy groupBy,
        DateTime? from, DateTime? to, string? channel, CancellationToken cancellationToken, bool byDay = false)
    {
        var db = database.Name;
        var state = await RunState.ReadAsync(database, ws, cancellationToken);
        var result = new Dictionary<string, GroupSums>(StringComparer.Ordinal);
        if (!state.Exists) { return result; }
        var key = byDay ? $"concat(toString(toDate(toDateTime(intDiv(conversion_ts, 1000), 'UTC'))), '|', {GroupKey(groupBy)})" : GroupKey(groupBy);
        var current = $"(conversion_id, run) IN ({state.CurrentConversions(db, ws)}) {EpochRange.Where("conversion_ts", from, to)}";
        var onlyChannel = channel is null ? "" : "AND channel = " + SqlLiteral.String(channel);
        var heuristics = models.Where(m => AttributionModels.Heuristics.Any(h => h.Name == m)).ToList();
        if (heuristics.Count > 0)
        {
            // Per model: its credited touches' credit and revenue, and how many there are (a key none of its touches has is not its row).
            var sums = string.Join(", ", heuristics.Select((m, i) =>
                $"sumIf(credit_{m}, credit_{m} > 0) AS c{i}, sumIf(credit_{m} * revenue, credit_{m} > 0) AS r{i}, countIf(credit_{m} > 0) AS n{i}"));
            foreach (var model in heuristics) { result[model] = new GroupSums(); }
            await database.ReadRowsAsync($"""
                SELECT {key} AS k, {sums} FROM {db}.attribution_touches
                WHERE workspace = {ws} AND {current} {onlyChannel} GROUP BY k
                """,
                row =>
                {
                    var k = row.GetProperty("k").GetString()!;
                    for (var i = 0; i < heuristics.Count; i++)
                    {
                        if (ClickHouseDatabase.Number(row.GetProperty($"n{i}")) > 0)
                        {
                            result[heuristics[i]].Add(k, row.GetProperty($"c{i}").GetDouble(), row.GetProperty($"r{i}").GetDouble());
                        }
                    }
                },
                cancellationToken);
        }

        var dataDriven = models.Where(m => m is AttributionModels.Markov or AttributionModels.Shapley).ToList();
        if (dataDriven.Count == 0) { return result; }
        var weights = new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
        foreach (var model in dataDriven)
        {
            weights[model] = new Dictionary<string, double>(StringComparer.Ordinal);
            result[model] = new GroupSums();
        }

        await database.ReadRowsAsync($"""
            SELECT model, channel, weight FROM {db}.attribution_channel_models WHERE workspace = {ws} AND run = {state.Run} AND weight > 0
            """,
            row =>
            {
                if (weights.TryGetValue(row.GetProperty("model").GetString()!, out var w)) { w[row.GetProperty("channel").GetString()!] = row.GetProperty("weight").GetDouble(); }
            },
            cancellationToken);

        // Each distinct kept path (channels and keys in touch order) with its conversions and their revenue, split once with
        // each model's weights: a touch's credit times the path's conversions, its credit times their revenue.
        var credits = new double[16];
        await database.ReadRowsAsync($"""
            SELECT channels, keys, count() AS n, sum(revenue) AS r
            FROM (SELECT any(revenue) AS revenue, arraySort(t -> t.1, groupArray((touch_index, channel, k))) AS touches,
                         arrayMap(t -> t.2, touches) AS channels, arrayMap(t -> t.3, touches) AS keys
                  FROM (SELECT conversion_id, touch_index, channel, {key} AS k, revenue FROM {db}.attribution_touches
                        WHERE workspace = {ws} AND credit_linear > 0 AND {current})
                  GROUP BY conversion_id)
            GROUP BY channels, keys
            """,
            row =>
            {
                var kept = row.GetProperty("channels").EnumerateArray().Select(c => new Touchpoint(c.GetString()!, 0)).ToArray();
                var keys = row.GetProperty("keys").EnumerateArray().Select(k => k.GetString()!).ToArray();
                var conversions = (double)ClickHouseDatabase.Number(row.GetProperty("n"));
                var revenue = row.GetProperty("r").GetDouble();
                if (credits.Length < kept.Length) { credits = new double[kept.Length * 2]; }
                foreach (var model in dataDriven)
                {
                    ChannelWeightCredits.Distribute(weights[model], kept, credits);
                    for (var i = 0; i < kept.Length; i++)
                    {
                        if (credits[i] > 0 && (channel is null || string.Equals(kept[i].Channel, channel, StringComparison.Ordinal)))
                        {
                            result[model].Add(keys[i], credits[i] * conversions, credits[i] * revenue);
                        }
                    }
                }
            },
            cancellationToken);
        return result;
    }

    /// <summary>The group column of the touches table; a missing value reads '(none)'.</summary>
    internal static string GroupKey(AttributionGroupBy groupBy) => groupBy switch
    {
        AttributionGroupBy.Channel => "channel",
        AttributionGroupBy.Source => "ifNull(source, '(none)')",
        _ => "ifNull(campaign, '(none)')",
    };
}
