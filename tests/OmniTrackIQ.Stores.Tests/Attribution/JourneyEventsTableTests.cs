using OmniTrackIQ.Pipeline.Erasure;
using OmniTrackIQ.Store.DuckDb;
using OmniTrackIQ.Store.DuckDb.Attribution;
using OmniTrackIQ.Store.DuckDb.Erasure;

namespace OmniTrackIQ.Pipeline.Tests.Attribution;

/// <summary>
/// The journey events DuckDB keeps for the run (<c>journey_events</c>): after every run they are exactly the journey rows
/// of the events that run covered (<see cref="JourneyEventsTable.Select"/> over <c>events</c>), each once, and the
/// results read from them are a full recompute's.
/// </summary>
public sealed class JourneyEventsTableTests : IDisposable
{
    private readonly AttributionStoreFixture _db = new();

    [Fact]
    public async Task Each_run_adds_the_journey_events_since_its_mark_with_their_first_key_and_nothing_else()
    {
        await _db.WriteAsync(
            _db.Page("a", 1, "Email"), _db.Page("a", 1.5, "Direct", bot: true), _db.Identify("a", 1.6, userId: "u1"),
            _db.Conversion(null, 2, "o1", 50, userId: "u1"));
        await _db.RunAsync();
        Assert.Equal(["a:a|page|Email", "u:u1|conversion|o1"], Rows("k || '|' || type || '|' || coalesce(order_id, channel)"));

        await _db.WriteAsync(_db.Page("b", 3, "Paid Search"), _db.Conversion("b", 4, "o2", 20));
        await _db.RunAsync();
        Assert.Equal(["a:a|page|Email", "a:b|conversion|o2", "a:b|page|Paid Search", "u:u1|conversion|o1"],
            Rows("k || '|' || type || '|' || coalesce(order_id, channel)"));
        Assert.Equal(MirrorOfEvents(), AllRows());
        await AssertAsFullRecomputeAsync();
    }

    [Fact]
    public async Task A_run_that_stopped_before_its_commit_leaves_rows_the_next_run_replaces_rather_than_doubles()
    {
        await _db.WriteAsync(_db.Page("a", 1, "Email"), _db.Conversion("a", 2, "o1", 50));
        await _db.RunAsync();
        await _db.WriteAsync(_db.Page("a", 3, "Referral"), _db.Conversion("a", 4, "o2", 30));
        // What a tick that crashed after adding its rows leaves: the rows above the stored mark, no results for them.
        var mark = _db.Query("SELECT loaded_through FROM attribution_state WHERE workspace = 'w'", r => r.GetInt64(0)).Single();
        var through = _db.Query("SELECT max(load_seq) FROM events", r => r.GetInt64(0)).Single();
        await _db.Database.WriteAsync(c => { JourneyEventsTable.AddSince(c, "w", mark, through); return 0; }, CancellationToken.None);

        var tick = await _db.RunAsync();
        Assert.Equal((2, 1), (tick.Conversions, tick.People));
        Assert.Equal(4, AllRows().Count);
        Assert.Equal(MirrorOfEvents(), AllRows());
        await AssertAsFullRecomputeAsync();
    }

    [Fact]
    public async Task An_erased_person_leaves_no_row_and_their_order_stays_under_the_orders_own_key()
    {
        await _db.WriteAsync(
            _db.Page("p", 1, "Email"), _db.Identify("p", 1.1, userId: "gone"), _db.Conversion("p", 2, "o1", 10, userId: "gone"),
            _db.Page("q", 1, "Email"), _db.Conversion("q", 2, "o2", 10));
        await _db.RunAsync();

        await new PersonErasure(new DuckDbErasureStore(_db.Database)).EraseAsync("w", new ErasureRequest { UserIds = ["gone"] }, CancellationToken.None);

        Assert.Equal(["a:order:o1|o1", "a:q|", "a:q|o2"], Rows("k || '|' || coalesce(order_id, '')"));
        Assert.Empty(_db.Query("SELECT k FROM journey_events WHERE k IN ('a:p', 'u:gone')", r => r.GetString(0)));
        Assert.Equal(MirrorOfEvents(), AllRows());
    }

    [Fact]
    public async Task An_existing_database_gets_the_events_its_last_run_covered_on_first_start_once()
    {
        var dir = Path.Combine(Path.GetTempPath(), "otq-journeys-" + Guid.NewGuid().ToString("N"));
        var file = Path.Combine(dir, "a.duckdb");
        try
        {
            List<string> covered;
            using (var database = new DuckDbDatabase(file))
            {
                var store = new DuckDbEventStore(database);
                await store.WriteEventsAsync([_db.Page("a", 1, "Email"), _db.Conversion("a", 2, "o1", 50), _db.Page("b", 1, "Direct", bot: true)], CancellationToken.None);
                await new AttributionRunner(database, AttributionStoreFixture.Clock()).RunAsync("w", _db.Settings, CancellationToken.None);
                covered = Query(database, "SELECT k || '|' || message_id FROM journey_events ORDER BY 1");
                // Loaded after that run: the next tick's, not the backfill's.
                await store.WriteEventsAsync([_db.Page("c", 3, "Referral"), _db.Conversion("c", 4, "o2", 20)], CancellationToken.None);
                // A file from before the table.
                await database.WriteAsync(c => DuckDbEventStore.Execute(c, "DROP TABLE journey_events"), CancellationToken.None);
            }

            Assert.Equal(2, covered.Count);
            using (var upgraded = new DuckDbDatabase(file))
            {
                Assert.Equal(covered, Query(upgraded, "SELECT k || '|' || message_id FROM journey_events ORDER BY 1"));
            }

            using var again = new DuckDbDatabase(file);
            Assert.Equal(covered, Query(again, "SELECT k || '|' || message_id FROM journey_events ORDER BY 1"));
            var tick = await new AttributionRunner(again, AttributionStoreFixture.Clock()).RunAsync("w", _db.Settings, CancellationToken.None);
            Assert.Equal((1, 1), (tick.Conversions, tick.People));
            Assert.Equal(4, Query(again, "SELECT message_id FROM journey_events").Count);
            Assert.Equal(["o1|a:a", "o2|a:c"], Query(again, "SELECT conversion_id || '|' || person FROM conversions ORDER BY 1"));
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    public void Dispose() => _db.Dispose();

    /// <summary>The tick's results are those a full recompute gives.</summary>
    private async Task AssertAsFullRecomputeAsync()
    {
        var results = _db.ResultSnapshot();
        var conversions = _db.Query("SELECT conversion_id || '|' || person || '|' || path FROM conversions ORDER BY 1", r => r.GetString(0));
        await _db.RecomputeAsync();
        Assert.Equal(results, _db.ResultSnapshot());
        Assert.Equal(conversions, _db.Query("SELECT conversion_id || '|' || person || '|' || path FROM conversions ORDER BY 1", r => r.GetString(0)));
    }

    /// <summary>The table's rows as text, <paramref name="columns"/> of each, in order.</summary>
    private List<string> Rows(string columns) =>
        _db.Query($"SELECT CAST(({columns}) AS VARCHAR) FROM journey_events WHERE workspace = 'w' ORDER BY 1", r => r.GetString(0));

    /// <summary>The table's whole rows as text, in order.</summary>
    private List<string> AllRows() =>
        _db.Query("SELECT CAST(j AS VARCHAR) FROM (SELECT * FROM journey_events WHERE workspace = 'w') j ORDER BY 1", r => r.GetString(0));

    /// <summary>What the table should hold: the journey rows of every event now stored.</summary>
    private List<string> MirrorOfEvents() =>
        _db.Query($"SELECT CAST(j AS VARCHAR) FROM ({JourneyEventsTable.Select("workspace = 'w'")}) j ORDER BY 1", r => r.GetString(0));

    private static List<string> Query(DuckDbDatabase database, string sql) =>
        AttributionStoreFixture.Query(database, sql, r => r.GetString(0));
}
