using System.Data.Common;
using DuckDB.NET.Data;
using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>The touches and conversions of the people in scope, grouped by person, each in time order.</summary>
internal sealed class Journeys
{
    public Dictionary<string, List<Touchpoint>> Touches { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, List<JourneyConversion>> Conversions { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Path assembly for the embedded store: reads the page touchpoints and conversions of a workspace — all
/// of them, or only those of the people whose keys are in the connection's temp table <c>attribution_scope</c>
/// — and groups them by person. (A ClickHouse store does the same grouping in SQL with groupArray.)
/// </summary>
internal static class JourneyReader
{
    /// <summary>A new page view of the same source within this gap is the same visit, not a new touch.</summary>
    private const long VisitGapMs = 30 * 60 * 1000;

    private const string EventKey = """
        CASE WHEN nullif(anonymous_id, '') IS NOT NULL THEN 'a:' || anonymous_id
             WHEN nullif(user_id, '') IS NOT NULL THEN 'u:' || user_id
             ELSE 'e:' || email_sha256 END
        """;

    /// <summary>Creates (or empties) the scope table on <paramref name="connection"/> and fills it with <paramref name="keys"/>.</summary>
    public static void SetScope(DuckDBConnection connection, IEnumerable<string> keys)
    {
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "CREATE TEMP TABLE IF NOT EXISTS attribution_scope (k VARCHAR); DELETE FROM attribution_scope;";
            command.ExecuteNonQuery();
        }

        using var appender = connection.CreateAppender("attribution_scope");
        foreach (var key in keys) { appender.CreateRow().AppendValue(key).EndRow(); }
    }

    public static Journeys Read(DuckDBConnection connection, string workspace, PersonResolver people, bool scoped)
    {
        var journeys = new Journeys();
        ReadConversions(connection, workspace, people, scoped, journeys.Conversions);
        ReadTouches(connection, workspace, people, scoped, journeys.Touches);
        return journeys;
    }

    /// <summary>One conversion per order id: the earliest event, if an order was posted twice (pixel and server).</summary>
    private static void ReadConversions(DuckDBConnection connection, string workspace, PersonResolver people, bool scoped,
        Dictionary<string, List<JourneyConversion>> byPerson)
    {
        using var command = Command(connection, workspace, scoped, """
            SELECT order_id, anonymous_id, user_id, email_sha256, epoch_ms(ts), CAST(coalesce(revenue, 0) AS DOUBLE), currency
            FROM events e {scope}
            WHERE e.workspace = $ws AND e.type = 'conversion' AND e.order_id IS NOT NULL
            ORDER BY e.ts, e.message_id
            """);
        using var reader = command.ExecuteReader();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var id = reader.GetString(0);
            var person = people.PersonOf(Text(reader, 1), Text(reader, 2), Text(reader, 3));
            if (person is null || !seen.Add(id)) { continue; }
            if (!byPerson.TryGetValue(person, out var list)) { byPerson[person] = list = []; }
            list.Add(new JourneyConversion(id, reader.GetInt64(4), reader.GetDouble(5), Text(reader, 6)));
        }
    }

    /// <summary>
    /// Non-bot page events per person, in time order. A page view counts as a touch only when its channel
    /// or UTM source / medium / campaign differ from the person's previous page view, or it came more than
    /// 30 minutes after it: the pages of one visit are one touch. A null channel counts as 'Direct'.
    /// </summary>
    private static void ReadTouches(DuckDBConnection connection, string workspace, PersonResolver people, bool scoped,
        Dictionary<string, List<Touchpoint>> byPerson)
    {
        using var command = Command(connection, workspace, scoped, """
            SELECT anonymous_id, user_id, email_sha256, epoch_ms(ts), coalesce(channel, 'Direct'), utm_source, utm_medium, utm_campaign
            FROM events e {scope}
            WHERE e.workspace = $ws AND e.type = 'page' AND NOT e.is_bot
            ORDER BY e.ts, e.message_id
            """);
        using var reader = command.ExecuteReader();
        var lastPage = new Dictionary<string, Touchpoint>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var person = people.PersonOf(Text(reader, 0), Text(reader, 1), Text(reader, 2));
            if (person is null) { continue; }
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

    private static DuckDBCommand Command(DuckDBConnection connection, string workspace, bool scoped, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql.Replace("{scope}", scoped ? $"SEMI JOIN attribution_scope s ON s.k = ({EventKey})" : "", StringComparison.Ordinal);
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        return command;
    }

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
