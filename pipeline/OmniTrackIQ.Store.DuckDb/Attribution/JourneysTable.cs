using System.Globalization;
using DuckDB.NET.Data;
using OmniTrackIQ.Attribution.Journeys;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// <c>attribution_journeys</c>: each person's journey as the last run assembled it (identity stitched, visits made
/// touches, orders deduplicated and credited their net), one row per person in <see cref="JourneyCodec"/>'s compact form.
/// The run writes it beside <c>person_paths</c> and replaces it for the same people, so an answer under other options
/// (<see cref="AdHocAttribution"/>) reads one small row per person instead of stitching identity and re-reading every event.
/// </summary>
internal static class JourneysTable
{
    public const string Name = "attribution_journeys";

    public const string Create = $"""
        CREATE TABLE IF NOT EXISTS {Name} (
            workspace VARCHAR NOT NULL,
            person VARCHAR NOT NULL,
            journey BLOB NOT NULL);
        """;

    /// <summary>Whether the table is there yet (a file from before it lacks it, and its workspaces must be recomputed to fill it).</summary>
    public const string Exists = $"SELECT count(*) FROM information_schema.tables WHERE table_name = '{Name}'";

    public static void Append(DuckDBAppender appender, JourneyCodec.Encoder encoder, string workspace, PersonJourney journey) =>
        appender.CreateRow().AppendValue(workspace).AppendValue(journey.Person).AppendValue(encoder.Encode(journey)).EndRow();

    /// <summary>
    /// Erasure: the journeys of the people in <paramref name="personIn"/> (an SQL <c>IN</c> subquery) are deleted, and each of
    /// their stored conversions comes back as a journey of its own under the anonymised order's key (<c>a:order:&lt;id&gt;</c>):
    /// no touch, no lead, what a run over the anonymised events assembles. Runs in the caller's transaction, before the
    /// conversions are renamed.
    /// </summary>
    public static void ReplaceByOrders(DuckDBConnection connection, string workspace, string personIn)
    {
        var orders = new List<PersonJourney>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"""
                SELECT conversion_id, epoch_ms(ts), revenue FROM conversions WHERE workspace = $ws AND person IN {personIn};
                """;
            command.Parameters.Add(new DuckDBParameter("ws", workspace));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var id = reader.GetString(0);
                orders.Add(new PersonJourney("a:order:" + id, [], [new JourneyConversion(id, reader.GetInt64(1), reader.GetDouble(2))], null));
            }
        }

        using (var delete = connection.CreateCommand())
        {
            delete.CommandText = $"DELETE FROM {Name} WHERE workspace = $ws AND person IN {personIn}";
            delete.Parameters.Add(new DuckDBParameter("ws", workspace));
            delete.ExecuteNonQuery();
        }

        using var appender = connection.CreateAppender(Name);
        var encoder = new JourneyCodec.Encoder();
        foreach (var order in orders) { Append(appender, encoder, workspace, order); }
    }

    /// <summary>How many stored journeys one sort of <see cref="Stream"/> holds at most (one row per person).</summary>
    public const int JourneysPerRange = 500_000;

    /// <summary>
    /// Every stored journey of the workspace, in ranges of people (the hash of the person modulo the range count, as the full
    /// run's read, <see cref="JourneyRanges"/>), each range in person order: one range, in person order, up to
    /// <paramref name="journeysPerRange"/> journeys. One sort of every journey ran out of DuckDB's 256MB at 1M conversions once
    /// returning people's journeys had been replaced across the history; a range's sort is bounded whatever the history.
    /// The order of the ranges changes no answer beyond the order its sums are added in.
    /// </summary>
    public static IEnumerable<PersonJourney> Stream(DuckDBConnection connection, string workspace, int journeysPerRange = JourneysPerRange)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(journeysPerRange, 1);
        long journeys;
        using (var count = connection.CreateCommand())
        {
            count.CommandText = $"SELECT count(*) FROM {Name} WHERE workspace = $ws";
            count.Parameters.Add(new DuckDBParameter("ws", workspace));
            journeys = Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        var ranges = (int)Math.Max(1, (journeys + journeysPerRange - 1) / journeysPerRange);
        for (var range = 0; range < ranges; range++)
        {
            foreach (var journey in Range(connection, workspace, range, ranges)) { yield return journey; }
        }
    }

    private static IEnumerable<PersonJourney> Range(DuckDBConnection connection, string workspace, int range, int ranges)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT journey FROM {Name} WHERE workspace = $ws AND hash(person) % $ranges = $range ORDER BY person";
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        command.Parameters.Add(new DuckDBParameter("ranges", ranges));
        command.Parameters.Add(new DuckDBParameter("range", range));

        command.UseStreamingMode = true;
        using var reader = command.ExecuteReader();
        var decoder = new JourneyCodec.Decoder();
        var buffer = new byte[1024];
        while (reader.Read())
        {
            using var stream = reader.GetStream(0);
            var length = checked((int)stream.Length);
            if (buffer.Length < length) { buffer = new byte[length * 2]; }
            stream.ReadExactly(buffer, 0, length);
            yield return decoder.Decode(buffer.AsSpan(0, length));
        }
    }
}
