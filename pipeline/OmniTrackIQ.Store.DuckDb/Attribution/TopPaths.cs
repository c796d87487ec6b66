using DuckDB.NET.Data;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>The most common converting paths of a workspace, from the <c>conversions</c> table the worker keeps.</summary>
public sealed class TopPaths(DuckDbDatabase database)
{
    /// <summary>
    /// The <paramref name="top"/> paths by conversions (then revenue, then path) for conversions at
    /// from ≤ ts &lt; to (null bounds are open), only those through <paramref name="channel"/> when given. Conversions
    /// without any touch appear as "(none)".
    /// </summary>
    public Task<List<TopPathRow>> ReadAsync(string workspace, int top, DateTime? from, DateTime? to, string? channel, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(top, AttributionQueryLimits.MaxTopPaths);
        using var connection = database.OpenReader();
        var range = new TimeRange(from, to);
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT path, max(touches), count(*), sum(revenue) FROM conversions
            WHERE workspace = $ws {range.Where("ts")} {(channel is null ? "" : "AND list_contains(string_split(path, ' > '), $channel)")}
            GROUP BY path ORDER BY 3 DESC, 4 DESC, path LIMIT {top}
            """;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        if (channel is not null) { command.Parameters.Add(new DuckDBParameter("channel", channel)); }
        range.Bind(command);
        using var reader = command.ExecuteReader();
        var rows = new List<TopPathRow>();
        while (reader.Read())
        {
            rows.Add(new TopPathRow(reader.GetString(0), reader.GetInt32(1), reader.GetInt64(2), Math.Round(reader.GetDouble(3), 4)));
        }

        return Task.FromResult(rows);
    }
}
