using System.Data.Common;
using DuckDB.NET.Data;
using OmniTrackIQ.Attribution.Identity;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>Finds the people a partial run must recompute.</summary>
internal static class ScopeReader
{
    /// <summary>
    /// People of the events loaded in (<paramref name="afterSeq"/>, <paramref name="throughSeq"/>], plus the
    /// stored owner of any order those events re-post (its conversion may move to the new event's person).
    /// </summary>
    public static HashSet<string> PeopleChangedSince(DuckDBConnection connection, string workspace, PersonResolver people, long afterSeq, long throughSeq)
    {
        var roots = new HashSet<string>(StringComparer.Ordinal);
        using (var command = Command(connection, workspace, """
            SELECT DISTINCT anonymous_id, user_id, email_sha256 FROM events
            WHERE workspace = $ws AND coalesce(load_seq, 0) > $after AND coalesce(load_seq, 0) <= $through
            """, afterSeq, throughSeq))
        {
            AddPeople(command, people, roots);
        }

        using (var command = Command(connection, workspace, """
            SELECT DISTINCT c.person FROM conversions c
            JOIN events e ON e.workspace = c.workspace AND e.order_id = c.conversion_id
            WHERE c.workspace = $ws AND e.type = 'conversion' AND coalesce(e.load_seq, 0) > $after AND coalesce(e.load_seq, 0) <= $through
            """, afterSeq, throughSeq))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read()) { roots.Add(people.Find(reader.GetString(0))); }
        }

        return roots;
    }

    /// <summary>People with a conversion event at from ≤ ts &lt; to (null bounds are open).</summary>
    public static HashSet<string> PeopleConvertingIn(DuckDBConnection connection, string workspace, PersonResolver people, DateTime? from, DateTime? to)
    {
        var roots = new HashSet<string>(StringComparer.Ordinal);
        var range = new TimeRange(from, to);
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT DISTINCT anonymous_id, user_id, email_sha256 FROM events
            WHERE workspace = $ws AND type = 'conversion' AND order_id IS NOT NULL
              {range.Where("ts")}
            """;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        range.Bind(command);
        AddPeople(command, people, roots);
        return roots;
    }

    private static void AddPeople(DuckDBCommand command, PersonResolver people, HashSet<string> roots)
    {
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (people.PersonOf(Text(reader, 0), Text(reader, 1), Text(reader, 2)) is { } person) { roots.Add(person); }
        }
    }

    private static DuckDBCommand Command(DuckDBConnection connection, string workspace, string sql, long afterSeq, long throughSeq)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        command.Parameters.Add(new DuckDBParameter("after", afterSeq));
        command.Parameters.Add(new DuckDBParameter("through", throughSeq));
        return command;
    }

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
