using DuckDB.NET.Data;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>Runs one statement bound to a workspace (<c>$ws</c>) inside the run's transaction.</summary>
internal static class WorkspaceSql
{
    public static void Execute(DuckDBConnection connection, DuckDBTransaction transaction, string workspace, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        command.ExecuteNonQuery();
    }
}
