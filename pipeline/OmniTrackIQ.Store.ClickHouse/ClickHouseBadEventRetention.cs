using System.Globalization;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Pipeline.Startup;

namespace OmniTrackIQ.Store.ClickHouse;

/// <summary>
/// <c>bad_events</c> retention on ClickHouse without TTL clauses (18.16 must run it too, DESIGN "ClickHouse versions"):
/// months wholly before the cutoff are dropped as partitions (immediate, and the disk is freed at once); the rest of
/// the cutoff's month goes by one <c>ALTER TABLE … DELETE WHERE</c> mutation, which the server applies in the
/// background. No second mutation is started while one on the table is unfinished, and none for nothing to delete,
/// so an hourly pass does not rewrite parts for nothing.
/// </summary>
public sealed class ClickHouseBadEventRetention(ClickHouseDatabase database, StoreReadiness readiness) : IBadEventRetention
{
    public async Task<long> DeleteReceivedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        readiness.ThrowIfNotReady();
        var table = database.Table("bad_events");
        var cutoffMonth = cutoff.UtcDateTime.Year * 100 + cutoff.UtcDateTime.Month;
        var inSystemTables = $"database = {SqlLiteral.String(database.Name)} AND table = 'bad_events'";

        var oldPartitions = new List<(string Partition, long Rows)>();
        await database.ReadRowsAsync(
            $"SELECT partition, sum(rows) AS n FROM system.parts WHERE {inSystemTables} AND active AND toUInt32(partition) < {cutoffMonth} GROUP BY partition",
            row => oldPartitions.Add((row.GetProperty("partition").GetString()!, ClickHouseDatabase.Number(row.GetProperty("n")))),
            cancellationToken);
        long removed = 0;
        foreach (var (partition, rows) in oldPartitions)
        {
            // The partition id of toYYYYMM(...) is its number: a plain integer literal names it.
            var month = uint.Parse(partition, NumberStyles.None, CultureInfo.InvariantCulture);
            await database.ExecuteAsync($"ALTER TABLE {table} DROP PARTITION {month.ToString(CultureInfo.InvariantCulture)}", cancellationToken);
            removed += rows;
        }

        var cutoffMs = cutoff.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        long older = 0, pending = 0;
        await database.ReadRowsAsync(
            $"""
            SELECT (SELECT count() FROM {table} WHERE received_at < {cutoffMs}) AS older,
                   (SELECT count() FROM system.mutations WHERE {inSystemTables} AND is_done = 0) AS pending
            """,
            row =>
            {
                older = ClickHouseDatabase.Number(row.GetProperty("older"));
                pending = ClickHouseDatabase.Number(row.GetProperty("pending"));
            },
            cancellationToken);
        if (older == 0 || pending > 0) { return removed; }
        await database.ExecuteAsync($"ALTER TABLE {table} DELETE WHERE received_at < {cutoffMs}", cancellationToken);
        return removed + older;
    }
}
