using DuckDB.NET.Data;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>Attributed conversions and revenue of one group (channel, source or campaign).</summary>
public sealed record AttributionSummaryRow(string Key, double Conversions, double Revenue);

/// <summary>Reads <c>attribution_results</c> aggregated per model and group.</summary>
public sealed class AttributionSummary
{
    /// <summary>Group-by names the API accepts, mapped to their column (never user text in SQL).</summary>
    public static IReadOnlyList<string> GroupBys { get; } = ["channel", "source", "campaign"];

    private readonly DuckDbDatabase _database;
    private readonly AttributionRunner _runner;

    public AttributionSummary(DuckDbDatabase database, AttributionRunner runner)
    {
        _database = database;
        _runner = runner;
    }

    /// <summary>
    /// Rows of <paramref name="model"/> grouped by <paramref name="groupBy"/> (one of <see cref="GroupBys"/>),
    /// for conversions with from ≤ conversion time &lt; to; null bounds are open. Missing keys read '(none)'.
    /// </summary>
    public async Task<List<AttributionSummaryRow>> SummarizeAsync(string workspace, string model, string groupBy,
        DateTime? from, DateTime? to, CancellationToken cancellationToken)
    {
        var column = groupBy switch
        {
            "channel" => "channel",
            "source" => "source",
            "campaign" => "campaign",
            _ => throw new ArgumentOutOfRangeException(nameof(groupBy), groupBy, "groupBy must be channel, source or campaign."),
        };
        await _runner.EnsureTableAsync(cancellationToken);
        using var connection = _database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT coalesce({column}, '(none)') AS k, sum(credit), sum(revenue_credit)
            FROM attribution_results
            WHERE workspace = $ws AND model = $model
              {(from.HasValue ? "AND conversion_ts >= $from" : "")} {(to.HasValue ? "AND conversion_ts < $to" : "")}
            GROUP BY k ORDER BY 3 DESC, 2 DESC, k
            """;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        command.Parameters.Add(new DuckDBParameter("model", model));
        if (from is { } fromValue) { command.Parameters.Add(new DuckDBParameter("from", fromValue)); }
        if (to is { } toValue) { command.Parameters.Add(new DuckDBParameter("to", toValue)); }
        using var reader = command.ExecuteReader();
        var rows = new List<AttributionSummaryRow>();
        while (reader.Read())
        {
            // Rounded so float noise of summed credits (0.30000000000000004) does not reach the API.
            rows.Add(new AttributionSummaryRow(reader.GetString(0), Math.Round(reader.GetDouble(1), 6), Math.Round(reader.GetDouble(2), 4)));
        }

        return rows;
    }
}
