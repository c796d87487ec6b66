using System.Globalization;
using System.Text;
using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Pipeline.Spend;

namespace OmniTrackIQ.Store.ClickHouse.Spend;

/// <summary>
/// Spend as the attribution summary joins it: the ClickHouse form of the DuckDB summary's <c>spent</c> CTE
/// (AttributionSummary), over the current version of each <c>ad_spend</c> key.
/// </summary>
internal static class SpendSql
{
    /// <summary>The first and last day a ClickHouse <c>Date</c> holds.</summary>
    private static readonly DateOnly s_firstDate = new(1970, 1, 1);
    private static readonly DateOnly s_lastDate = new(2149, 6, 6);

    /// <summary>
    /// A subquery (no parentheses) with columns <c>k String, spend Float64</c>: the workspace's shop-currency spend per
    /// <paramref name="groupBy"/> key (channel; source = the platform's utm_source, <see cref="SpendPlatforms.SourceOf"/>;
    /// campaign) for the days whose start (00:00) lies in [<paramref name="from"/>, <paramref name="to"/>); null
    /// bounds are open. Bounds are taken as UTC wall times, as the DuckDB store binds them.
    /// </summary>
    /// <param name="database">The store's database (<see cref="ClickHouseDatabase.Name"/>).</param>
    /// <param name="workspaceLiteral">The workspace as a SQL literal (<see cref="SqlLiteral.String"/>).</param>
    /// <param name="byDay">Key each day apart: <c>yyyy-MM-dd|key</c> (OmniTrackIQ.Attribution.Storage.DailyKeys).</param>
    public static string SpentBy(string database, string workspaceLiteral, AttributionGroupBy groupBy, DateTime? from, DateTime? to, string? channel, bool byDay = false)
    {
        var key = groupBy switch
        {
            AttributionGroupBy.Channel => "current_channel",
            AttributionGroupBy.Source => SourceExpression,
            _ => "campaign",
        };
        if (byDay) { key = $"concat(toString(date), '|', {key})"; }
        return $"""
            SELECT {key} AS k, toFloat64(sum(current_spend)) AS spend
            FROM ({SpendSchema.Current(database, workspaceLiteral, DateFilter(from, to))})
            WHERE current_flagged = 0 {ChannelFilter(channel)}
            GROUP BY k
            """;
    }

    /// <summary>
    /// A subquery with columns <c>campaign_id, campaign, spend</c>: the shop-currency spend per platform campaign in
    /// the range, for <see cref="CampaignSpendKeys"/> to key by id or name as the attributed revenue names it.
    /// </summary>
    /// <param name="byDay">One row per day too, its date in column <c>d</c> (else <c>d</c> is '').</param>
    public static string SpentByCampaign(string database, string workspaceLiteral, DateTime? from, DateTime? to, string? channel, bool byDay = false) => $"""
        SELECT {(byDay ? "toString(date)" : "''")} AS d, campaign_id, campaign, toFloat64(sum(current_spend)) AS spend
        FROM ({SpendSchema.Current(database, workspaceLiteral, DateFilter(from, to))})
        WHERE current_flagged = 0 {ChannelFilter(channel)}
        GROUP BY d, campaign_id, campaign
        """;

    /// <summary>Only the spend rows of one channel (their current channel), or every row.</summary>
    private static string ChannelFilter(string? channel) => channel is null ? "" : "AND current_channel = " + SqlLiteral.String(channel);

    /// <summary>
    /// <c>transform(platform, [platforms], [sources], platform)</c> from the code's table (constants, never user
    /// text); platforms are stored lower-case. transform rather than CASE x WHEN: every server version has it.
    /// </summary>
    internal static string SourceExpression { get; } =
        $"transform(platform, [{string.Join(", ", SpendPlatforms.Sources.Keys.Select(SqlLiteral.String))}], " +
        $"[{string.Join(", ", SpendPlatforms.Sources.Values.Select(SqlLiteral.String))}], platform)";

    /// <summary>
    /// DuckDB compares the DATE with the timestamp bound, i.e. the day's 00:00: a day is in when its start is
    /// ≥ from and &lt; to. That is "day ≥ the first midnight at or after the bound" for both ends.
    /// </summary>
    internal static string DateFilter(DateTime? from, DateTime? to)
    {
        var sql = new StringBuilder();
        if (from is { } f)
        {
            var first = FirstMidnightAtOrAfter(f);
            if (first > s_lastDate) { return "AND 0"; }
            if (first > s_firstDate) { sql.Append(" AND date >= ").Append(DateLiteral(first)); }
        }

        if (to is { } t)
        {
            var end = FirstMidnightAtOrAfter(t);
            if (end <= s_firstDate) { return "AND 0"; }
            if (end <= s_lastDate) { sql.Append(" AND date < ").Append(DateLiteral(end)); }
        }

        return sql.ToString();
    }

    private static DateOnly FirstMidnightAtOrAfter(DateTime bound)
    {
        var day = DateOnly.FromDateTime(bound);
        return bound.TimeOfDay == TimeSpan.Zero || day == DateOnly.MaxValue ? day : day.AddDays(1);
    }

    private static string DateLiteral(DateOnly day) => "toDate('" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "')";
}
