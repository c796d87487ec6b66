using DuckDB.NET.Data;
using OmniTrackIQ.Pipeline.Sink;

namespace OmniTrackIQ.Store.DuckDb;

/// <summary><c>bad_events</c> retention on the embedded store: one DELETE through the single writer.</summary>
public sealed class DuckDbBadEventRetention(DuckDbDatabase database) : IBadEventRetention
{
    public Task<long> DeleteReceivedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        database.WriteAsync(connection =>
        {
            using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM bad_events WHERE received_at < $cutoff";
            delete.Parameters.Add(new DuckDBParameter("cutoff", cutoff.UtcDateTime));
            return (long)delete.ExecuteNonQuery();
        }, cancellationToken);
}
