namespace OmniTrackIQ.Pipeline.Analytics;

/// <summary>One group's figures on one day (<c>GET /v1/metrics/daily</c>): attributed conversions and revenue under the model, and spend.</summary>
public sealed record DailyGroupRow(DateOnly Date, string Key, double Conversions, double Revenue, double? Spend, double? Roas);

/// <summary>All groups of one day added up, for the revenue-vs-spend chart; every day of the range has one.</summary>
public sealed record DailyTotal(DateOnly Date, double Revenue, double Spend);

/// <summary>The per-day series: groups of each day (optionally one key only) and the day's totals.</summary>
public sealed class DailySeries
{
    private readonly List<DailyGroupRow> _rows = [];
    private readonly List<DailyTotal> _totals = [];

    public IReadOnlyList<DailyGroupRow> Rows => _rows;

    public IReadOnlyList<DailyTotal> Totals => _totals;

    /// <summary>
    /// Adds one day's group rows (summary rows of that day). With <paramref name="onlyKey"/> only that group is kept,
    /// in the rows and in the day's total.
    /// </summary>
    public void AddDay(DateOnly day, IEnumerable<DailyGroupRow> rows, string? onlyKey)
    {
        ArgumentNullException.ThrowIfNull(rows);
        double revenue = 0, spend = 0;
        foreach (var row in rows)
        {
            if (onlyKey is not null && !string.Equals(row.Key, onlyKey, StringComparison.Ordinal)) { continue; }
            _rows.Add(row with { Date = day });
            revenue += row.Revenue;
            spend += row.Spend ?? 0;
        }

        _totals.Add(new DailyTotal(day, Math.Round(revenue, 4), Math.Round(spend, 4)));
    }

    /// <summary>The table of <c>GET /v1/metrics/daily?format=csv</c>: one line per day and group.</summary>
    public CsvTable ToCsv()
    {
        var csv = new CsvTable("date", "key", "conversions", "revenue", "spend", "roas");
        foreach (var r in _rows)
        {
            csv.Text(r.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).Text(r.Key)
                .Number(r.Conversions).Number(r.Revenue).Number(r.Spend).Number(r.Roas);
        }

        return csv;
    }
}
