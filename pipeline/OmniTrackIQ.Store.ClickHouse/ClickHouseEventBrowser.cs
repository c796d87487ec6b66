using System.Text.Json;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Pipeline.Startup;

namespace OmniTrackIQ.Store.ClickHouse;

/// <summary><see cref="IEventBrowser"/> on ClickHouse: the same rows and order as DuckDbEventBrowser, in load order.</summary>
public sealed class ClickHouseEventBrowser(ClickHouseDatabase database, StoreReadiness readiness) : IEventBrowser
{
    private const string EventColumns = """
        message_id, type, event, anonymous_id, user_id, ts, received_at, properties, toString(revenue) AS revenue, currency, order_id,
        page_url, page_referrer, page_title, utm_source, utm_medium, utm_campaign, utm_term, utm_content, click_id_type, click_id,
        email_sha256, phone_sha256, previous_id, group_id, ip, user_agent, country, browser, device_class, is_bot, channel, flags
        """;

    /// <summary>
    /// Unmerged copies of one event (a writers' race) show once: LIMIT 1 BY message_id keeps the copy with the
    /// newest load mark, the one a merge keeps.
    /// </summary>
    public async Task<IReadOnlyList<StoredEvent>> RecentEventsAsync(string workspace, int limit, CancellationToken cancellationToken)
    {
        readiness.ThrowIfNotReady();
        var sql = $"""
            SELECT * FROM (
                SELECT {EventColumns}, load_ms, load_index FROM {database.Table("events")}
                WHERE workspace = {SqlLiteral.String(workspace)}
                ORDER BY load_ms DESC, load_index DESC LIMIT 1 BY message_id LIMIT {SqlLiteral.Integer(limit)})
            ORDER BY load_ms, load_index
            """;
        var rows = new List<StoredEvent>();
        await database.ReadRowsAsync(sql, r => rows.Add(new StoredEvent(
            Text(r, "message_id")!, Text(r, "type")!, Text(r, "event"), Text(r, "anonymous_id"), Text(r, "user_id"),
            Utc(r, "ts"), Utc(r, "received_at"), Text(r, "properties"), Money(r, "revenue"), Text(r, "currency"), Text(r, "order_id"),
            Text(r, "page_url"), Text(r, "page_referrer"), Text(r, "page_title"), Text(r, "utm_source"), Text(r, "utm_medium"),
            Text(r, "utm_campaign"), Text(r, "utm_term"), Text(r, "utm_content"), Text(r, "click_id_type"), Text(r, "click_id"),
            Text(r, "email_sha256"), Text(r, "phone_sha256"), Text(r, "previous_id"), Text(r, "group_id"), Text(r, "ip"),
            Text(r, "user_agent"), Text(r, "country"), Text(r, "browser"), Text(r, "device_class"),
            r.GetProperty("is_bot").GetInt32() != 0, Text(r, "channel"), Text(r, "flags"))), cancellationToken);
        return rows;
    }

    public async Task<IReadOnlyList<StoredBadEvent>> RecentBadEventsAsync(string workspace, int limit, CancellationToken cancellationToken)
    {
        readiness.ThrowIfNotReady();
        var sql = $"""
            SELECT * FROM (
                SELECT event_index, field, reason, payload, received_at, load_ms, load_index FROM {database.Table("bad_events")}
                WHERE workspace = {SqlLiteral.String(workspace)}
                ORDER BY load_ms DESC, load_index DESC LIMIT {SqlLiteral.Integer(limit)})
            ORDER BY load_ms, load_index
            """;
        var rows = new List<StoredBadEvent>();
        await database.ReadRowsAsync(sql, r => rows.Add(new StoredBadEvent(
            r.GetProperty("event_index") is { ValueKind: JsonValueKind.Number } index ? index.GetInt32() : null,
            Text(r, "field"), Text(r, "reason")!, Text(r, "payload")!, Utc(r, "received_at"))), cancellationToken);
        return rows;
    }

    private static string? Text(JsonElement row, string column) => row.GetProperty(column).GetString();

    private static DateTime Utc(JsonElement row, string column) =>
        DateTime.SpecifyKind(DateTime.UnixEpoch.AddMilliseconds(ClickHouseDatabase.Number(row.GetProperty(column))), DateTimeKind.Utc);

    /// <summary>Decimals are read from their text (toString), so no digit passes through a double.</summary>
    private static decimal? Money(JsonElement row, string column) =>
        Text(row, column) is { } text ? decimal.Parse(text, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture) : null;
}
