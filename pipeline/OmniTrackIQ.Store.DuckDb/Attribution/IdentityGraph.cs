using DuckDB.NET.Data;
using DuckDB.NET.Native;
using OmniTrackIQ.Attribution.Identity;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// Maintains <c>identity_links</c> from events (the links of <see cref="IdentityKeys.LinksOf"/>, in SQL from
/// <see cref="IdentitySql"/>) and reads it back for <see cref="PersonResolver"/>;
/// <c>source</c> is the event type that showed the link (identify, conversion, page…), so the first
/// identify of a person — the W-shaped lead-creation moment — can be read back. Orders and Shopify webhooks
/// feed the same table later.
/// </summary>
internal static class IdentityGraph
{
    /// <summary>
    /// Adds the links shown by events loaded in (<paramref name="afterSeq"/>, <paramref name="throughSeq"/>]. DuckDB 1.5
    /// plans <c>ON CONFLICT</c> as a MERGE: a hash join over a scan of every stored link (without a Bloom filter: the join
    /// has four keys), a cost that grows with the history. A plain <c>INSERT</c> checks the new rows against the primary
    /// key's index instead, and a tick's links are usually all new (new visitors); so they go in that way, and only when one
    /// is stored already (a person shows a link again, or a crashed run added these links) is the insert rolled back and the
    /// merge run, which keeps the earliest first and latest last sighting.
    /// </summary>
    public static void UpsertLinks(DuckDBConnection connection, string workspace, long afterSeq, long throughSeq)
    {
        var links = IdentitySql.Links($"workspace = $ws AND {LoadedSince.Where("load_seq", afterSeq)}");
        try
        {
            using var transaction = connection.BeginTransaction();
            Execute(connection, transaction, workspace, afterSeq, throughSeq, $"INSERT INTO identity_links {links}");
            transaction.Commit();
            return;
        }
        catch (DuckDBException ex) when (ex.ErrorType == DuckDBErrorType.Constraint)
        {
            // A link already stored: the transaction rolled back, none of these is in; the merge below.
        }

        Execute(connection, null, workspace, afterSeq, throughSeq, $"""
            INSERT INTO identity_links
            {links}
            ON CONFLICT (workspace, id_key, person_key, source) DO UPDATE SET
                first_seen = least(identity_links.first_seen, excluded.first_seen),
                last_seen = greatest(identity_links.last_seen, excluded.last_seen)
            """);
    }

    private static void Execute(DuckDBConnection connection, DuckDBTransaction? transaction, string workspace, long afterSeq, long throughSeq, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        command.Parameters.Add(new DuckDBParameter("after", afterSeq));
        command.Parameters.Add(new DuckDBParameter("through", throughSeq));
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Every link the events loaded in (<paramref name="afterSeq"/>, <paramref name="throughSeq"/>] show, as
    /// <see cref="UpsertLinks"/> groups them: of a key first named after the mark (<see cref="KeysNamedSinceMark.IsNew"/>),
    /// these are all its links, first seen alike (only those events name it), read from the newest row groups of
    /// <c>events</c> instead of from every stored link.
    /// </summary>
    public static IEnumerable<IdentityLink> LinksSince(DuckDBConnection connection, string workspace, long afterSeq, long throughSeq)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT id_key, person_key, source, epoch_ms(first_seen)
            FROM ({IdentitySql.Links($"workspace = $ws AND {LoadedSince.Where("load_seq", afterSeq)}")}) AS shown(workspace, id_key, person_key, source, first_seen, last_seen)
            """;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        command.Parameters.Add(new DuckDBParameter("after", afterSeq));
        command.Parameters.Add(new DuckDBParameter("through", throughSeq));
        using var reader = command.ExecuteReader();
        while (reader.Read()) { yield return new IdentityLink(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)); }
    }

    /// <summary>Every link of the workspace, unioned (<see cref="PersonResolver.FromLinks"/>), with each person's first identify time.</summary>
    public static PersonResolver Load(DuckDBConnection connection, string workspace, out Dictionary<string, long> leadMs) =>
        PersonResolver.FromLinks(ReadLinks(connection, workspace), out leadMs);

    public static IEnumerable<IdentityLink> ReadLinks(DuckDBConnection connection, string workspace)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id_key, person_key, source, epoch_ms(first_seen) FROM identity_links WHERE workspace = $ws";
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        command.UseStreamingMode = true; // every link of the workspace: DuckDB need not hold the whole result while they are unioned
        using var reader = command.ExecuteReader();
        while (reader.Read()) { yield return new IdentityLink(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)); }
    }
}
