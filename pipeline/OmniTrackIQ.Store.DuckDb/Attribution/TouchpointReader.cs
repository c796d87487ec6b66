using System.Data.Common;
using DuckDB.NET.Data;
using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>A conversion as the runner sees it: order id, person (union-find root), time, revenue.</summary>
internal sealed record ConversionRow(string Id, string Person, long TimestampMs, double Revenue);

/// <summary>Reads identities, conversions and page touchpoints of one workspace from <c>events</c>.</summary>
internal static class TouchpointReader
{
    /// <summary>A new page view of the same source within this gap is the same visit, not a new touch.</summary>
    private const long VisitGapMs = 30 * 60 * 1000;

    public static void LinkIdentities(DuckDBConnection connection, string workspace, PersonResolver people)
    {
        using var command = Command(connection, workspace, """
            SELECT DISTINCT anonymous_id, user_id, email_sha256 FROM events
            WHERE workspace = $ws AND (user_id IS NOT NULL OR email_sha256 IS NOT NULL)
            """);
        using var reader = command.ExecuteReader();
        while (reader.Read()) { people.Link(Text(reader, 0), Text(reader, 1), Text(reader, 2)); }
    }

    /// <summary>One conversion per order id (the earliest event if an order was posted twice).</summary>
    public static List<ConversionRow> ReadConversions(DuckDBConnection connection, string workspace, PersonResolver people)
    {
        using var command = Command(connection, workspace, """
            SELECT order_id, anonymous_id, user_id, email_sha256, epoch_ms(ts), CAST(coalesce(revenue, 0) AS DOUBLE)
            FROM events
            WHERE workspace = $ws AND type = 'conversion' AND order_id IS NOT NULL
            ORDER BY ts, message_id
            """);
        using var reader = command.ExecuteReader();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var conversions = new List<ConversionRow>();
        while (reader.Read())
        {
            var id = reader.GetString(0);
            if (!seen.Add(id)) { continue; }
            var person = people.PersonOf(Text(reader, 1), Text(reader, 2), Text(reader, 3));
            conversions.Add(new ConversionRow(id, person, reader.GetInt64(4), reader.GetDouble(5)));
        }

        return conversions;
    }

    /// <summary>
    /// Non-bot page events per person, in time order. A page view counts as a touch only when its channel
    /// or UTM source / medium / campaign differ from the person's previous page view, or it came more than
    /// 30 minutes after it: the pages of one visit are one touch. A null channel counts as 'Direct'.
    /// </summary>
    public static Dictionary<string, List<Touchpoint>> ReadTouches(DuckDBConnection connection, string workspace, PersonResolver people)
    {
        using var command = Command(connection, workspace, """
            SELECT anonymous_id, user_id, email_sha256, epoch_ms(ts), coalesce(channel, 'Direct'), utm_source, utm_medium, utm_campaign
            FROM events
            WHERE workspace = $ws AND type = 'page' AND NOT is_bot
            ORDER BY ts, message_id
            """);
        using var reader = command.ExecuteReader();
        var byPerson = new Dictionary<string, List<Touchpoint>>(StringComparer.Ordinal);
        var lastPage = new Dictionary<string, Touchpoint>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var person = people.PersonOf(Text(reader, 0), Text(reader, 1), Text(reader, 2));
            var channel = reader.GetString(4);
            var touch = new Touchpoint(channel, reader.GetInt64(3), FlagsOf(channel), Text(reader, 5), Text(reader, 6), Text(reader, 7));
            var isNewVisit = !lastPage.TryGetValue(person, out var previous)
                || touch.TimestampMs - previous.TimestampMs > VisitGapMs
                || !SameSource(previous, touch);
            lastPage[person] = touch;
            if (!isNewVisit) { continue; }
            if (!byPerson.TryGetValue(person, out var touches)) { byPerson[person] = touches = []; }
            touches.Add(touch);
        }

        return byPerson;
    }

    private static TouchFlags FlagsOf(string channel)
    {
        if (channel == "Direct") { return TouchFlags.Direct; }
        if (channel.StartsWith("Paid", StringComparison.Ordinal) || channel == "Cross-network") { return TouchFlags.Paid; }
        if (channel.StartsWith("Organic", StringComparison.Ordinal)) { return TouchFlags.Organic; }
        return channel == "Email" ? TouchFlags.Email : TouchFlags.None;
    }

    private static bool SameSource(Touchpoint a, Touchpoint b) =>
        a.Channel == b.Channel && a.Source == b.Source && a.Medium == b.Medium && a.Campaign == b.Campaign;

    private static DuckDBCommand Command(DuckDBConnection connection, string workspace, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        return command;
    }

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
