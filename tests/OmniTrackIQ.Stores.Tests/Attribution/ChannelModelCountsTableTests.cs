using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Paths;
using OmniTrackIQ.Pipeline.Erasure;
using OmniTrackIQ.Store.DuckDb;
using OmniTrackIQ.Store.DuckDb.Attribution;
using OmniTrackIQ.Store.DuckDb.Erasure;

namespace OmniTrackIQ.Pipeline.Tests.Attribution;

/// <summary>
/// The sums over paths DuckDB keeps for the refit (<c>channel_model_counts</c>, <see cref="ChannelModelCountsTable"/>):
/// after every run and erasure they are the counts of the workspace's current <c>path_counts</c>, and a tick's fit from
/// them is a full recompute's.
/// </summary>
public sealed class ChannelModelCountsTableTests : IDisposable
{
    private readonly AttributionStoreFixture _db = new();

    [Fact]
    public async Task Ticks_keep_the_counts_of_the_current_paths_and_fit_what_a_full_recompute_fits()
    {
        await _db.WriteAsync(_db.Page("a", 1, "Email"), _db.Page("a", 2, "Referral"), _db.Conversion("a", 3, "o1", 50),
            _db.Page("b", 1, "Direct"), _db.Page("c", 1, "Paid Search"), _db.Conversion("c", 2, "o2", 20.5m));
        await _db.RunAsync();
        Assert.Equal(CountsOfPathCounts(), StoredCounts());

        // A tick that changes a person's path (a's), adds a person (d) and turns a non-converting one into a converting one (b).
        await _db.WriteAsync(_db.Page("a", 4, "Paid Search"), _db.Conversion("a", 5, "o3", 7.25m),
            _db.Page("d", 4, "Email"), _db.Conversion("d", 5, "o4", 12), _db.Conversion("b", 6, "o5", 3));
        Assert.False((await _db.RunAsync()).Full);
        Assert.Equal(CountsOfPathCounts(), StoredCounts());
        Assert.Contains($"{(byte)CountKind.ChannelSet}|Direct||1.0|3.0|0.0", StoredCounts());
        await AssertAsFullRecomputeAsync();
    }

    [Fact]
    public async Task An_erased_person_leaves_no_row_and_the_counts_lose_their_paths()
    {
        await _db.WriteAsync(
            _db.Page("p", 1, "Affiliate"), _db.Identify("p", 1.1, userId: "gone"), _db.Conversion("p", 2, "o1", 10, userId: "gone"),
            _db.Page("q", 1, "Email"), _db.Conversion("q", 2, "o2", 10));
        await _db.RunAsync();
        Assert.Contains(StoredCounts(), row => row.Contains("Affiliate", StringComparison.Ordinal));

        await new PersonErasure(new DuckDbErasureStore(_db.Database)).EraseAsync("w", new ErasureRequest { UserIds = ["gone"] }, CancellationToken.None);

        Assert.DoesNotContain(StoredCounts(), row => row.Contains("Affiliate", StringComparison.Ordinal));
        Assert.Equal(CountsOfPathCounts(), StoredCounts());
    }

    [Fact]
    public async Task An_existing_database_gets_its_counts_at_its_next_run_and_that_tick_fits_what_a_full_recompute_fits()
    {
        await _db.WriteAsync(_db.Page("a", 1, "Email"), _db.Conversion("a", 2, "o1", 50), _db.Page("b", 1, "Direct"));
        await _db.RunAsync();
        // A file from before the table: no rows (the table itself is created on open).
        await _db.Database.WriteAsync(c => DuckDbEventStore.Execute(c, "DELETE FROM channel_model_counts"), CancellationToken.None);
        await _db.WriteAsync(_db.Page("c", 3, "Referral"), _db.Conversion("c", 4, "o2", 20));

        Assert.False((await _db.RunAsync()).Full);
        Assert.Equal(CountsOfPathCounts(), StoredCounts());
        await AssertAsFullRecomputeAsync();
    }

    [Fact]
    public async Task Another_markov_order_recomputes_everything_and_keeps_the_counts_of_that_order()
    {
        await _db.WriteAsync(_db.Page("a", 1, "Email"), _db.Page("a", 2, "Referral"), _db.Page("a", 2.5, "Direct"), _db.Conversion("a", 3, "o1", 50));
        await _db.RunAsync();
        _db.Settings = _db.Settings with { MarkovOrder = 2 };
        Assert.True((await _db.RunAsync()).Full);
        Assert.Equal([2], _db.Query("SELECT DISTINCT markov_order FROM channel_model_counts", r => r.GetInt32(0)));
        Assert.Equal(CountsOfPathCounts(2), StoredCounts());
    }

    public void Dispose() => _db.Dispose();

    private async Task AssertAsFullRecomputeAsync()
    {
        var results = _db.ResultSnapshot();
        var models = ChannelModels();
        await _db.RecomputeAsync();
        Assert.Equal(results, _db.ResultSnapshot());
        Assert.Equal(models, ChannelModels());
    }

    private List<string> ChannelModels() =>
        _db.Query("SELECT model || '|' || channel || '|' || round(weight, 12) || '|' || round(conversion_value, 9) FROM attribution_channel_models WHERE workspace = 'w' ORDER BY 1",
            r => r.GetString(0));

    /// <summary>The stored rows, values rounded (a kept value may differ from a fresh sum in its last bits).</summary>
    private List<string> StoredCounts() =>
        _db.Query("""
            SELECT kind || '|' || from_state || '|' || to_state || '|' || conversions || '|' || round(conversion_value, 9) || '|' || nulls
            FROM channel_model_counts WHERE workspace = 'w' ORDER BY 1
            """, r => r.GetString(0));

    /// <summary>What the table should hold: the counts of the workspace's path_counts, built afresh, written as <see cref="StoredCounts"/> writes them.</summary>
    private List<string> CountsOfPathCounts(int markovOrder = 1)
    {
        var paths = _db.Query("SELECT path, conversions, conversion_value, nulls FROM path_counts WHERE workspace = 'w'",
            r => new PathCount(r.GetString(0).Split(JourneyAttributor.Separator), r.GetDouble(1), r.GetDouble(2), r.GetDouble(3)));
        var rows = ChannelModelCounts.Of(paths, markovOrder).Rows
            .Select(r => $"SELECT {(byte)r.Key.Kind} || '|' || '{r.Key.From}' || '|' || '{r.Key.To}' || '|' || {Sql(r.Value.Conversions)} || '|' || round({Sql(r.Value.Value)}, 9) || '|' || {Sql(r.Value.Nulls)} AS row");
        // Formatted by DuckDB as the stored rows are, so both sides print a double the same way.
        return _db.Query($"SELECT row FROM ({string.Join(" UNION ALL ", rows)}) ORDER BY 1", r => r.GetString(0));
    }

    private static string Sql(double value) => FormattableString.Invariant($"CAST({value:R} AS DOUBLE)");
}
