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
    /// Every stored journey of the workspace in person order, read in ranges of people (bounded by quantiles of a sample of
    /// them) of up to about <paramref name="journeysPerRange"/> journeys, each sorted on its own: one sort of every journey ran
    /// out of DuckDB's 256MB at 1M conversions once returning people's journeys had been replaced across the history. The
    /// ranges are in person order too, so the order, and every sum, is one sort's; they are read in one transaction, so a run
    /// that commits meanwhile is not seen in some ranges and not in others. <paramref name="connection"/> has no transaction open.
    /// </summary>
    public static IEnumerable<PersonJourney> Stream(DuckDBConnection connection, string workspace, int journeysPerRange = JourneysPerRange)
    {
        foreach (var decoder in StreamDecoded(connection, workspace, journeysPerRange)) { yield return decoder.ToJourney(); }
    }

    /// <summary>
    /// <see cref="Stream"/>'s journeys, each decoded into the one decoder's buffers it yields (read them before the next):
    /// for a reader that is done with a journey before the next, with no journey, touch or conversion array per journey.
    /// </summary>
    public static IEnumerable<JourneyCodec.Decoder> StreamDecoded(DuckDBConnection connection, string workspace, int journeysPerRange = JourneysPerRange)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(journeysPerRange, 1);
        using var snapshot = connection.BeginTransaction();
        var bounds = Bounds(connection, workspace, journeysPerRange);
        var decoder = new JourneyCodec.Decoder();
        for (var range = 0; range <= bounds.Count; range++)
        {
            var from = range == 0 ? null : bounds[range - 1];
            var to = range == bounds.Count ? null : bounds[range];
            foreach (var _ in Range(connection, workspace, from, to, decoder)) { yield return decoder; }
        }
    }

    /// <summary>The people that start the second range on (none when one range holds every journey).</summary>
    private static List<string> Bounds(DuckDBConnection connection, string workspace, int journeysPerRange)
    {
        long journeys;
        using (var count = connection.CreateCommand())
        {
            count.CommandText = $"SELECT count(*) FROM {Name} WHERE workspace = $ws";
            count.Parameters.Add(new DuckDBParameter("ws", workspace));
            journeys = Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        var ranges = (journeys + journeysPerRange - 1) / journeysPerRange;
        if (ranges <= 1) { return []; }

        // The bounds only size the ranges (the order is person order whatever they are), so a sample's quantiles do: no sort of
        // every person, and a range is within a few percent of the others at 4,096 people sampled.
        var sample = new List<string>(4096);
        using (var command = connection.CreateCommand())
        {
            // Sorted by DuckDB, whose string order the ranges' bounds are compared in.
            command.CommandText = $"""
                SELECT DISTINCT person FROM (SELECT person FROM {Name} WHERE workspace = $ws USING SAMPLE reservoir(4096 ROWS) REPEATABLE (1))
                ORDER BY person
                """;
            command.Parameters.Add(new DuckDBParameter("ws", workspace));
            using var reader = command.ExecuteReader();
            while (reader.Read()) { sample.Add(reader.GetString(0)); }
        }

        var bounds = new List<string>();
        for (var i = 1; i < ranges; i++)
        {
            var bound = sample[(int)(i * sample.Count / ranges)];
            if (bounds.Count == 0 || !ReferenceEquals(bounds[^1], bound)) { bounds.Add(bound); }
        }

        return bounds;
    }

    /// <summary>The range's journeys in person order, each decoded into <paramref name="decoder"/> before it is yielded.</summary>
    private static IEnumerable<JourneyCodec.Decoder> Range(DuckDBConnection connection, string workspace, string? from, string? to, JourneyCodec.Decoder decoder)
    {
        var parameters = new List<(string, string)> { ("ws", workspace) };
        if (from is not null) { parameters.Add(("from", from)); }
        if (to is not null) { parameters.Add(("to", to)); }
        // Read in place (BlobRows), not through the data reader: no Stream object per journey.
        using var rows = new BlobRows(connection, $"""
            SELECT journey FROM {Name}
            WHERE workspace = $ws {(from is null ? "" : "AND person >= $from")} {(to is null ? "" : "AND person < $to")}
            ORDER BY person
            """, parameters);
        while (rows.Read())
        {
            decoder.DecodeInto(rows.Current);
            yield return decoder;
        }
    }
}
