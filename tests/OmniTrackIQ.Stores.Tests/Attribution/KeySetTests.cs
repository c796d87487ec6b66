using System.Text.Json;
using DuckDB.NET.Data;
using OmniTrackIQ.Store.DuckDb;
using OmniTrackIQ.Store.DuckDb.Attribution;

namespace OmniTrackIQ.Pipeline.Tests.Attribution;

/// <summary>
/// A tick finds its few keys' rows in the stored tables through a semi join on a temp key set (<see cref="KeySet"/>). DuckDB
/// probes the stored table's scan with the join's Bloom filter only when the set is read with a filter of its own; these tests
/// read DuckDB's own profile of the statements (rows each scan emitted, not time) and fail if the scan hands on every row.
/// </summary>
public sealed class KeySetTests : IDisposable
{
    private const int Rows = 20_000; // 4 journey rows for each of 5,000 keys
    private const int ScopeKeys = 100; // more than DuckDB's dynamic IN-list limit (50), spread over the key range so min/max prune nothing

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "otq-keyset-" + Guid.NewGuid().ToString("N"));
    private readonly DuckDbDatabase _database;

    public KeySetTests()
    {
        _database = new DuckDbDatabase(Path.Combine(_dir, "k.duckdb"));
        using var connection = _database.OpenReader();
        Execute(connection, $"""
            INSERT INTO journey_events (workspace, k, type, ts, message_id, channel, load_seq)
            SELECT 'w', 'a:p' || (i // 4), 'page', TIMESTAMP '2026-11-01' + INTERVAL (i) MINUTE, 'm' || i, 'Email', i FROM range(0, {Rows}) t(i);
            INSERT INTO person_paths SELECT 'w', 'a:p' || i, 'Email', 1, 10, 0 FROM range(0, {Rows / 4}) t(i);
            """);
    }

    [Fact]
    public void The_journey_read_of_a_scope_emits_from_its_scan_only_the_rows_the_scope_s_bloom_filter_passes()
    {
        using var connection = _database.OpenReader();
        JourneyReader.SetScope(connection, Scope());
        JourneyReader.Fill(connection, "attribution_people", "k VARCHAR, person VARCHAR", [], static (row, _) => row);

        var journeys = Profiled(connection, () => JourneyReader.Stream(connection, "w", new Dictionary<string, long>(), JourneyReader.Scope.Keys(0)).ToList());

        Assert.Equal(ScopeKeys, journeys.Result.Count);
        // 400 rows match; a Bloom filter lets a few more through. Without it the scan emits all 20,000.
        Assert.InRange(ScanRows(journeys.Profile, "journey_events"), 4 * ScopeKeys, Rows / 10);
    }

    [Fact]
    public void A_delete_of_the_scope_s_people_scans_only_the_rows_the_scope_s_bloom_filter_passes()
    {
        using var connection = _database.OpenReader();
        JourneyReader.SetScope(connection, Scope());

        var deleted = Profiled(connection, () =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"DELETE FROM person_paths WHERE workspace = 'w' AND person IN {KeySet.In("attribution_scope")}";
            return command.ExecuteNonQuery();
        });

        Assert.Equal(ScopeKeys, deleted.Result);
        Assert.InRange(ScanRows(deleted.Profile, "person_paths"), ScopeKeys, Rows / 4 / 10);
    }

    public void Dispose()
    {
        _database.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private static IEnumerable<string> Scope() => Enumerable.Range(0, ScopeKeys).Select(i => $"a:p{i * (Rows / 4 / ScopeKeys)}");

    /// <summary>Runs <paramref name="work"/> (one statement) with DuckDB's profiler writing its JSON profile, and returns both.</summary>
    private (T Result, JsonDocument Profile) Profiled<T>(DuckDBConnection connection, Func<T> work)
    {
        var file = Path.Combine(_dir, "profile.json");
        Execute(connection, $"SET enable_profiling = 'json'; SET profiling_output = '{file}';");
        var result = work();
        Execute(connection, "SET enable_profiling = 'no_output';");
        return (result, JsonDocument.Parse(File.ReadAllText(file)));
    }

    /// <summary>The rows the scans of <paramref name="table"/> emitted, summed over the profile's operator tree.</summary>
    private static long ScanRows(JsonDocument profile, string table)
    {
        long rows = 0;
        Visit(profile.RootElement);
        Assert.True(rows > 0, $"no scan of {table} in the profile");
        return rows;

        void Visit(JsonElement node)
        {
            if (node.TryGetProperty("extra_info", out var info) && info.ValueKind == JsonValueKind.Object
                && info.TryGetProperty("Table", out var name) && name.GetString()!.EndsWith("." + table, StringComparison.Ordinal))
            {
                rows += node.GetProperty("operator_cardinality").GetInt64();
            }

            if (node.TryGetProperty("children", out var children))
            {
                foreach (var child in children.EnumerateArray()) { Visit(child); }
            }
        }
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
