using System.Data.Common;
using DuckDB.NET.Data;
using OmniTrackIQ.Pipeline.Sink;

namespace OmniTrackIQ.Store.DuckDb;

/// <summary><see cref="IEventBrowser"/> on the embedded store.</summary>
public sealed class DuckDbEventBrowser(DuckDbDatabase database) : IEventBrowser
{
    private const string EventColumns = """
        message_id, type, event, anonymous_id, user_id, ts, received_at, properties, revenue, currency, order_id,
        page_url, page_referrer, page_title, utm_source, utm_medium, utm_campaign, utm_term, utm_content, click_id_type, click_id,
        email_sha256, phone_sha256, previous_id, group_id, ip, user_agent, country, browser, device_class, is_bot, channel, flags
        """;

    public Task<IReadOnlyList<StoredEvent>> RecentEventsAsync(string workspace, int limit, CancellationToken cancellationToken) =>
        Task.FromResult(Read(
            $"SELECT * FROM (SELECT {EventColumns}, load_seq FROM events WHERE workspace = $ws ORDER BY load_seq DESC LIMIT $limit) ORDER BY load_seq",
            workspace, limit, static r => new StoredEvent(
                r.GetString(0), r.GetString(1), Text(r, 2), Text(r, 3), Text(r, 4), Utc(r, 5), Utc(r, 6), Text(r, 7),
                r.IsDBNull(8) ? null : r.GetDecimal(8), Text(r, 9), Text(r, 10), Text(r, 11), Text(r, 12), Text(r, 13), Text(r, 14),
                Text(r, 15), Text(r, 16), Text(r, 17), Text(r, 18), Text(r, 19), Text(r, 20), Text(r, 21), Text(r, 22), Text(r, 23),
                Text(r, 24), Text(r, 25), Text(r, 26), Text(r, 27), Text(r, 28), Text(r, 29), r.GetBoolean(30), Text(r, 31), Text(r, 32))));

    public Task<IReadOnlyList<StoredBadEvent>> RecentBadEventsAsync(string workspace, int limit, CancellationToken cancellationToken) =>
        Task.FromResult(Read(
            // bad_events has no sequence: rowid is insertion order in DuckDB.
            "SELECT * FROM (SELECT event_index, field, reason, payload, received_at, rowid AS r FROM bad_events WHERE workspace = $ws ORDER BY r DESC LIMIT $limit) ORDER BY r",
            workspace, limit, static r => new StoredBadEvent(r.IsDBNull(0) ? null : r.GetInt32(0), Text(r, 1), r.GetString(2), r.GetString(3), Utc(r, 4))));

    private IReadOnlyList<T> Read<T>(string sql, string workspace, int limit, Func<DbDataReader, T> map)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        command.Parameters.Add(new DuckDBParameter("limit", limit));
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read()) { rows.Add(map(reader)); }
        return rows;
    }

    /// <summary>Stored times are UTC; say so, so that JSON readers do not take them for local time.</summary>
    private static DateTime Utc(DbDataReader reader, int ordinal) => DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc);

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
