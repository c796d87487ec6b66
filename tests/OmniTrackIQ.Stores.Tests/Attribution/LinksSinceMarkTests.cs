using DuckDB.NET.Data;
using OmniTrackIQ.Store.DuckDb.Attribution;

namespace OmniTrackIQ.Pipeline.Tests.Attribution;

/// <summary>
/// The links a run adds from the events since its mark (<see cref="IdentityGraph.UpsertLinks"/>): new ones go in by a plain
/// insert, checked against the primary key's index, so a tick of new visitors reads no stored link; a link stored already
/// (shown again, or added by a run that stopped before its commit) keeps its earliest first and latest last sighting.
/// </summary>
public sealed class LinksSinceMarkTests : IDisposable
{
    private readonly AttributionStoreFixture _db = new();

    [Fact]
    public async Task A_link_shown_again_keeps_its_earliest_and_latest_sighting_beside_the_new_links_of_the_same_tick()
    {
        await _db.WriteAsync(_db.Page("a", 1, "Email"), _db.Identify("a", 2, userId: "u1"), _db.Conversion("a", 3, "o1", 50));
        await _db.RunAsync();

        // a's link to u1 shown again, earlier (a late event) and later; a new person's link in the same tick.
        await _db.WriteAsync(_db.Identify("a", 1.5, userId: "u1"), _db.Identify("a", 4, userId: "u1"), _db.Page("n", 4, "Referral"),
            _db.Identify("n", 4.5, userId: "un"), _db.Conversion("n", 5, "o2", 20));
        await _db.RunAsync();

        Assert.Equal(["a:a|u:u1|identify|1.5|4.0", "a:n|u:un|identify|4.5|4.5"], Links());
    }

    [Fact]
    public async Task Links_a_stopped_run_added_are_added_again_once_by_the_next_run()
    {
        await _db.WriteAsync(_db.Page("a", 1, "Email"), _db.Conversion("a", 2, "o1", 50));
        await _db.RunAsync();
        await _db.WriteAsync(_db.Page("n", 3, "Referral"), _db.Identify("n", 3.5, userId: "un"), _db.Conversion("n", 4, "o2", 20));
        var mark = _db.Query("SELECT loaded_through FROM attribution_state WHERE workspace = 'w'", r => r.GetInt64(0)).Single();
        var through = _db.Query("SELECT max(load_seq) FROM events", r => r.GetInt64(0)).Single();
        await _db.Database.WriteAsync(c => { IdentityGraph.UpsertLinks(c, "w", mark, through); return 0; }, CancellationToken.None); // the run that stopped

        await _db.RunAsync();
        Assert.Equal(["a:n|u:un|identify|3.5|3.5"], Links());
    }

    [Fact]
    public async Task New_links_are_added_without_a_scan_of_the_stored_links()
    {
        // 2,000 stored links whose keys lie between the new ones (so no min/max of the new keys prunes them); then 10 new
        // visitors, each linked to a new user id.
        await _db.Database.WriteAsync(c => Execute(c, """
            INSERT INTO identity_links SELECT 'w', 'a:n' || (i + 100), 'u:un' || (i + 100), 'identify', TIMESTAMP '2026-10-01', TIMESTAMP '2026-10-01' FROM range(0, 2000) t(i)
            """), CancellationToken.None);
        await _db.WriteAsync([.. Enumerable.Range(0, 10).Select(i => _db.Identify("n" + i, 1, userId: "un" + i))]);
        var through = _db.Query("SELECT max(load_seq) FROM events", r => r.GetInt64(0)).Single();

        var scanned = await _db.Database.WriteAsync(c =>
        {
            Execute(c, "SET enable_profiling = 'no_output'; CALL enable_logging('Metrics'); CALL truncate_duckdb_logs();");
            IdentityGraph.UpsertLinks(c, "w", 0, through);
            var rows = RowsScanned(c, "INSERT INTO identity_links");
            Execute(c, "CALL disable_logging(); SET enable_profiling = 'no_output'; PRAGMA disable_profiling;");
            return rows;
        }, CancellationToken.None);

        Assert.Equal(2010, _db.Query("SELECT count(*) FROM identity_links", r => r.GetInt64(0)).Single());
        // The insert reads the 10 new events; the merge (ON CONFLICT) would scan the stored links as well.
        Assert.InRange(scanned, 10, 100);
    }

    public void Dispose() => _db.Dispose();

    private List<string> Links() =>
        _db.Query("""
            SELECT id_key || '|' || person_key || '|' || source || '|' || (epoch_ms(first_seen) - epoch_ms(TIMESTAMP '2026-11-01')) / 86400000.0
                   || '|' || (epoch_ms(last_seen) - epoch_ms(TIMESTAMP '2026-11-01')) / 86400000.0
            FROM identity_links WHERE workspace = 'w' ORDER BY 1
            """, r => r.GetString(0));

    /// <summary>The rows DuckDB's profiler counted as scanned by the logged statements starting with <paramref name="statement"/>.</summary>
    private static long RowsScanned(DuckDBConnection connection, string statement)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT CAST(coalesce(sum(scanned), -1) AS BIGINT) FROM (
                SELECT max(CASE WHEN metric = 'CUMULATIVE_ROWS_SCANNED' THEN TRY_CAST(value AS BIGINT) END) AS scanned,
                       max(CASE WHEN metric = 'QUERY_NAME' THEN CAST(value AS VARCHAR) END) AS query
                FROM duckdb_logs_parsed('Metrics') GROUP BY context_id)
            WHERE starts_with(trim(query), $statement)
            """;
        command.Parameters.Add(new DuckDBParameter("statement", statement));
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static int Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }
}
