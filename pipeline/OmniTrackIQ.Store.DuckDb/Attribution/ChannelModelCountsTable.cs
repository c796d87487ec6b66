using DuckDB.NET.Data;
using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// <c>channel_model_counts</c>: the workspace's <see cref="ChannelModelCounts"/> — the sums over its paths Markov (of the
/// order it was fitted with) and Shapley are fitted from: a few rows per channel and state, however long the history.
/// Kept by the same delta as <c>path_counts</c> in the same transaction (a tick's people's old paths out, their new ones
/// in; an erasure's out), so a tick's refit reads these rows instead of every distinct path. A full run, a Markov order
/// other than the stored one, or a file from before the table (no rows) builds them from <c>path_counts</c> instead.
/// </summary>
internal static class ChannelModelCountsTable
{
    public const string Create = """
        CREATE TABLE IF NOT EXISTS channel_model_counts (
            workspace VARCHAR NOT NULL,
            markov_order INTEGER NOT NULL,
            kind UTINYINT NOT NULL,
            from_state VARCHAR NOT NULL,
            to_state VARCHAR NOT NULL,
            conversions DOUBLE NOT NULL,
            conversion_value DOUBLE NOT NULL,
            nulls DOUBLE NOT NULL);
        """;

    /// <summary>
    /// The counts after a tick: the stored ones (when of <paramref name="markovOrder"/>) less <paramref name="removed"/> plus
    /// <paramref name="added"/>, else built from <c>path_counts</c> (which already holds the tick's delta); stored and returned.
    /// </summary>
    public static ChannelModelCounts Apply(DuckDBConnection connection, DuckDBTransaction transaction, string workspace, int markovOrder,
        IReadOnlyDictionary<string, PathTotals> removed, IReadOnlyDictionary<string, PathTotals> added)
    {
        var counts = Read(connection, transaction, workspace);
        if (counts is null || counts.MarkovOrder != markovOrder) { return Rebuild(connection, transaction, workspace, markovOrder); }
        AddAll(counts, removed, -1);
        AddAll(counts, added, 1);
        Write(connection, transaction, workspace, counts);
        return counts;
    }

    /// <summary>Takes an erased person's paths out of the stored counts, whatever their order (nothing when none are stored).</summary>
    public static void TakeOut(DuckDBConnection connection, DuckDBTransaction transaction, string workspace, IReadOnlyDictionary<string, PathTotals> removed)
    {
        if (Read(connection, transaction, workspace) is not { } counts) { return; }
        AddAll(counts, removed, -1);
        Write(connection, transaction, workspace, counts);
    }

    /// <summary>Builds the counts from the workspace's <c>path_counts</c>, in path order, and stores them.</summary>
    public static ChannelModelCounts Rebuild(DuckDBConnection connection, DuckDBTransaction transaction, string workspace, int markovOrder)
    {
        var counts = new ChannelModelCounts(markovOrder);
        using (var command = Command(connection, transaction, workspace, "SELECT path, conversions, conversion_value, nulls FROM path_counts WHERE workspace = $ws ORDER BY path"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                counts.Add(reader.GetString(0).Split(JourneyAttributor.Separator), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3), 1);
            }
        }

        Write(connection, transaction, workspace, counts);
        return counts;
    }

    /// <summary>The stored counts of the workspace, or null when it has none.</summary>
    private static ChannelModelCounts? Read(DuckDBConnection connection, DuckDBTransaction transaction, string workspace)
    {
        using var command = Command(connection, transaction, workspace, """
            SELECT markov_order, kind, from_state, to_state, conversions, conversion_value, nulls FROM channel_model_counts WHERE workspace = $ws
            """);
        using var reader = command.ExecuteReader();
        int? order = null;
        var rows = new List<KeyValuePair<CountKey, CountTotals>>();
        while (reader.Read())
        {
            order = reader.GetInt32(0);
            rows.Add(new(new CountKey((CountKind)reader.GetByte(1), reader.GetString(2), reader.GetString(3)),
                new CountTotals(reader.GetDouble(4), reader.GetDouble(5), reader.GetDouble(6))));
        }

        return order is { } markovOrder ? ChannelModelCounts.FromRows(markovOrder, rows) : null;
    }

    private static void AddAll(ChannelModelCounts counts, IReadOnlyDictionary<string, PathTotals> paths, int sign)
    {
        foreach (var (path, totals) in paths)
        {
            counts.Add(path.Split(JourneyAttributor.Separator), totals.Conversions, totals.Value, totals.Nulls, sign);
        }
    }

    /// <summary>Replaces the workspace's rows with <paramref name="counts"/> (the total row always among them, so a kept set of counts is never mistaken for none).</summary>
    private static void Write(DuckDBConnection connection, DuckDBTransaction transaction, string workspace, ChannelModelCounts counts)
    {
        using (var delete = Command(connection, transaction, workspace, "DELETE FROM channel_model_counts WHERE workspace = $ws"))
        {
            delete.ExecuteNonQuery();
        }

        using var appender = connection.CreateAppender("channel_model_counts");
        foreach (var (key, totals) in counts.Rows)
        {
            appender.CreateRow().AppendValue(workspace).AppendValue(counts.MarkovOrder).AppendValue((byte)key.Kind).AppendValue(key.From).AppendValue(key.To)
                .AppendValue(totals.Conversions).AppendValue(totals.Value).AppendValue(totals.Nulls).EndRow();
        }
    }

    private static DuckDBCommand Command(DuckDBConnection connection, DuckDBTransaction transaction, string workspace, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        return command;
    }
}
