using OmniTrackIQ.Pipeline.Erasure;
using OmniTrackIQ.Store.DuckDb;
using OmniTrackIQ.Store.DuckDb.Attribution;
using OmniTrackIQ.Store.DuckDb.Erasure;

namespace OmniTrackIQ.Pipeline.Tests.Attribution;

/// <summary>
/// The keys DuckDB keeps for the tick (<c>event_keys</c>): after every run, each key an event names with the load sequence of
/// the first event naming it (<see cref="EventKeysTable.Select"/> over <c>events</c>); a tick bounds its journey read by them
/// and skips its deletes when every key of its scope is first named since the last run. Its results stay a full recompute's.
/// </summary>
public sealed class EventKeysTableTests : IDisposable
{
    private readonly AttributionStoreFixture _db = new();

    [Fact]
    public async Task Each_run_keeps_every_key_an_event_names_with_the_first_load_sequence_naming_it()
    {
        await _db.WriteAsync(_db.Page("a", 1, "Email"), _db.Identify("a", 1.1, userId: "u1", emailSha256: "h1"), _db.Conversion(null, 2, "o1", 50, userId: "u1"));
        await _db.RunAsync();
        Assert.Equal(["a:a|1", "e:h1|2", "o:o1|3", "u:u1|2"], Keys());

        await _db.WriteAsync(_db.Page("b", 3, "Paid Search"), _db.Page("a", 3.5, "Referral"), _db.Conversion("b", 4, "o2", 20));
        await _db.RunAsync();
        Assert.Equal(["a:a|1", "a:b|4", "e:h1|2", "o:o1|3", "o:o2|6", "u:u1|2"], Keys());
        Assert.Equal(MirrorOfEvents(), Keys());
        await AssertAsFullRecomputeAsync();
    }

    [Fact]
    public async Task A_run_that_stopped_before_its_commit_leaves_keys_the_next_run_replaces_rather_than_doubles()
    {
        await _db.WriteAsync(_db.Page("a", 1, "Email"), _db.Conversion("a", 2, "o1", 50));
        await _db.RunAsync();
        await _db.WriteAsync(_db.Page("b", 3, "Referral"), _db.Conversion("b", 4, "o2", 30));
        var mark = _db.Query("SELECT loaded_through FROM attribution_state WHERE workspace = 'w'", r => r.GetInt64(0)).Single();
        var through = _db.Query("SELECT max(load_seq) FROM events", r => r.GetInt64(0)).Single();
        await _db.Database.WriteAsync(c => { JourneyEventsTable.AddSince(c, "w", mark, through); return 0; }, CancellationToken.None);

        await _db.RunAsync();
        Assert.Equal(["a:a|1|1", "a:b|3|1", "o:o1|2|1", "o:o2|4|1"], _db.Query("SELECT k || '|' || min(first_seq) || '|' || count(*) FROM event_keys GROUP BY k ORDER BY 1", r => r.GetString(0)));
        await AssertAsFullRecomputeAsync();
    }

    [Fact]
    public async Task A_scope_is_new_only_when_every_key_is_named_and_first_named_after_the_mark()
    {
        await _db.WriteAsync(_db.Page("old", 1, "Email"), _db.Conversion("old", 2, "o1", 50));
        await _db.RunAsync();
        var mark = _db.Query("SELECT loaded_through FROM attribution_state WHERE workspace = 'w'", r => r.GetInt64(0)).Single();
        await _db.WriteAsync(_db.Page("n", 3, "Referral"), _db.Identify("n", 3.1, userId: "un"));
        await _db.RunAsync();

        Assert.Equal(new EventKeysTable.ScopeKeys(mark + 1, IsNew: true), Look(mark, "a:n", "u:un"));
        Assert.Equal(new EventKeysTable.ScopeKeys(1, IsNew: false), Look(mark, "a:n", "a:old"));
        // A key no event names (an erased owner's conversions are stored under "erased:<order>") may name stored rows.
        Assert.Equal(new EventKeysTable.ScopeKeys(mark + 1, IsNew: false), Look(mark, "a:n", "erased:o1"));
        Assert.Equal(new EventKeysTable.ScopeKeys(null, IsNew: false), Look(mark, "erased:o1"));
    }

    [Fact]
    public async Task A_tick_of_new_people_and_a_tick_joining_a_person_of_an_earlier_run_both_end_equal_to_a_full_recompute()
    {
        // q only identified before: the map stores q's keys, though q has no journey row to read yet.
        await _db.WriteAsync(_db.Page("a", 1, "Email"), _db.Conversion("a", 2, "o1", 50), _db.Identify("q", 1, userId: "uq"));
        await _db.RunAsync();

        await _db.WriteAsync(_db.Page("n", 3, "Paid Search"), _db.Identify("n", 3.1, userId: "un"), _db.Conversion("n", 4, "o2", 20));
        var tick = await _db.RunAsync();
        Assert.Equal((1, 1), (tick.Conversions, tick.People));
        await AssertAsFullRecomputeAsync();

        await _db.WriteAsync(_db.Page("q2", 5, "Referral", userId: "uq"), _db.Conversion("q2", 6, "o3", 10), _db.Page("a", 5, "Display"), _db.Conversion("a", 6, "o4", 5));
        tick = await _db.RunAsync();
        Assert.Equal((3, 2), (tick.Conversions, tick.People));
        // q's stored map rows were replaced, not doubled (the scope was not new: q's keys were named before the mark).
        Assert.Equal(0, _db.Query("SELECT count(*) - count(DISTINCT k) FROM identity_people WHERE workspace = 'w'", r => r.GetInt64(0)).Single());
        await AssertAsFullRecomputeAsync();
    }

    [Fact]
    public async Task New_keys_linked_to_a_person_of_an_earlier_run_join_that_person_whole_and_the_tick_ends_equal_to_a_full_recompute()
    {
        // o: two devices and a user id; its first identify (the W-shaped lead moment) is stored before the tick.
        await _db.WriteAsync(_db.Page("o1", 1, "Email"), _db.Identify("o1", 1.5, userId: "uo"), _db.Page("o2", 2, "Display"), _db.Identify("o2", 2.5, userId: "uo"),
            _db.Conversion("o2", 3, "o1", 40), _db.Page("x", 1, "Referral"), _db.Conversion("x", 2, "o2", 15));
        await _db.RunAsync();

        // A new device of o (its link shown twice: first seen at the earlier), and a new person whose keys are all new
        // (a new user id and e-mail, linked to each other only through the new device).
        await _db.WriteAsync(_db.Page("o3", 4, "Paid Search"), _db.Identify("o3", 4.5, userId: "uo"), _db.Identify("o3", 4.2, userId: "uo"), _db.Conversion("o3", 5, "o3", 25),
            _db.Page("n", 4, "Paid Social"), _db.Identify("n", 4.1, userId: "un", emailSha256: "hn"), _db.Conversion("n", 6, "o4", 30));
        var tick = await _db.RunAsync();
        Assert.Equal((3, 2), (tick.Conversions, tick.People)); // o's stored conversion and its new one, and n's
        await AssertAsFullRecomputeAsync();
    }

    [Fact]
    public async Task The_keys_named_since_the_mark_are_new_only_when_no_event_at_or_before_it_named_them_and_their_links_are_those_stored()
    {
        await _db.WriteAsync(_db.Page("old", 1, "Email"), _db.Identify("old", 1.5, userId: "u1"), _db.Conversion("old", 2, "o1", 50));
        await _db.RunAsync();
        var mark = _db.Query("SELECT loaded_through FROM attribution_state WHERE workspace = 'w'", r => r.GetInt64(0)).Single();
        await _db.WriteAsync(_db.Page("n", 3, "Referral"), _db.Identify("n", 3.2, userId: "u1"), _db.Identify("n", 3.1, userId: "u1", emailSha256: "hn"),
            _db.Page("old", 3.5, "Display"));
        var through = _db.Query("SELECT max(load_seq) FROM events", r => r.GetInt64(0)).Single();
        await _db.Database.WriteAsync(c => { IdentityGraph.UpsertLinks(c, "w", mark, through); JourneyEventsTable.AddSince(c, "w", mark, through); return 0; }, CancellationToken.None);

        using var connection = _db.Database.OpenReader();
        var named = KeysNamedSinceMark.Look(connection, "w", mark, ["a:n", "erased:o1"])!;
        Assert.Equal([true, true, false, false, false], new[] { "a:n", "e:hn", "u:u1", "a:old", "erased:o1" }.Select(named.IsNew));
        // The scope's first sequence and newness as the look-up of the scope gives them, or none when a key is unknown.
        foreach (var scope in new[] { new[] { "a:n", "e:hn" }, ["a:n", "u:u1"], ["a:old", "a:n"] })
        {
            JourneyReader.SetScope(connection, scope);
            Assert.Equal(EventKeysTable.Look(connection, "w", mark), named.Scope(scope));
        }

        Assert.Null(named.Scope(["a:n", "erased:o1"]));
        // A new key's links read from the events since the mark are the stored ones, first seen alike.
        var fromEvents = IdentityGraph.LinksSince(connection, "w", mark, through).Where(l => l.IdKey is "a:n" or "e:hn" || l.PersonKey is "a:n" or "e:hn")
            .Select(l => l.ToString()).Order().ToList();
        var stored = IdentityGraph.ReadLinks(connection, "w").Where(l => l.IdKey is "a:n" or "e:hn" || l.PersonKey is "a:n" or "e:hn").Select(l => l.ToString()).Order().ToList();
        Assert.Equal(2, stored.Count); // n to u1 (shown twice, first seen at the earlier) and n to its e-mail
        Assert.Equal(stored, fromEvents);
    }

    [Fact]
    public async Task A_new_person_s_order_first_reported_before_the_mark_by_an_event_without_a_key_is_credited_as_every_report_decides()
    {
        // The shop's report of o9 came first, naming no one (so nothing is stored under it); the pixel's follows, from a new visitor.
        var shop = _db.Conversion(null, 1, "o9", 80);
        shop.OrderSource = "shopify";
        await _db.WriteAsync(_db.Page("a", 1, "Email"), _db.Conversion("a", 2, "o1", 50), shop);
        await _db.RunAsync();

        await _db.WriteAsync(_db.Page("n", 3, "Paid Search"), _db.Conversion("n", 4, "o9", 100));
        var tick = await _db.RunAsync();
        Assert.Equal((1, 1), (tick.Conversions, tick.People));
        // The shop's report decides the order's revenue (a webhook outranks the pixel), though it was loaded before the mark:
        // the tick's ledger starts at the order's first report, not at its new people's first event.
        Assert.Equal([80.0], _db.Query("SELECT revenue FROM conversions WHERE conversion_id = 'o9'", r => r.GetDouble(0)));
        await AssertAsFullRecomputeAsync();
    }

    [Fact]
    public async Task An_order_of_an_erased_person_reposted_by_a_new_person_is_stored_once()
    {
        await _db.WriteAsync(_db.Page("p", 1, "Email"), _db.Conversion("p", 2, "o1", 10, userId: "gone"));
        await _db.RunAsync();
        await new PersonErasure(new DuckDbErasureStore(_db.Database)).EraseAsync("w", new ErasureRequest { UserIds = ["gone"] }, CancellationToken.None);
        Assert.Empty(_db.Query("SELECT k FROM event_keys WHERE k IN ('a:p', 'u:gone')", r => r.GetString(0)));
        // The anonymised order's keys are added again, its order key among them (a key may have a row per writer; its first is their least).
        Assert.Equal(["a:order:o1", "o:o1"], _db.Query("SELECT DISTINCT k FROM event_keys WHERE workspace = 'w' ORDER BY 1", r => r.GetString(0)));

        await _db.WriteAsync(_db.Page("n", 3, "Referral"), _db.Conversion("n", 4, "o1", 10));
        await _db.RunAsync();
        Assert.Equal(1, _db.Query("SELECT count(*) FROM conversions WHERE workspace = 'w' AND conversion_id = 'o1'", r => r.GetInt64(0)).Single());
    }

    [Fact]
    public async Task An_existing_database_gets_the_keys_of_its_events_on_first_start_once()
    {
        var dir = Path.Combine(Path.GetTempPath(), "otq-eventkeys-" + Guid.NewGuid().ToString("N"));
        var file = Path.Combine(dir, "a.duckdb");
        try
        {
            List<string> kept;
            using (var database = new DuckDbDatabase(file))
            {
                var store = new DuckDbEventStore(database);
                await store.WriteEventsAsync([_db.Page("a", 1, "Email"), _db.Identify("a", 1.5, userId: "u1"), _db.Conversion("a", 2, "o1", 50)], CancellationToken.None);
                await new AttributionRunner(database, AttributionStoreFixture.Clock()).RunAsync("w", _db.Settings, CancellationToken.None);
                kept = Query(database, "SELECT k || '|' || first_seq FROM event_keys ORDER BY 1");
                await database.WriteAsync(c => DuckDbEventStore.Execute(c, "DROP TABLE event_keys"), CancellationToken.None); // a file from before the table
            }

            Assert.Equal(["a:a|1", "o:o1|3", "u:u1|2"], kept);
            using (var upgraded = new DuckDbDatabase(file))
            {
                Assert.Equal(kept, Query(upgraded, "SELECT k || '|' || first_seq FROM event_keys ORDER BY 1"));
                // A file whose keys were kept before order keys were: its orders' first reports are added on its next start.
                await upgraded.WriteAsync(c => DuckDbEventStore.Execute(c, "DELETE FROM event_keys WHERE starts_with(k, 'o:')"), CancellationToken.None);
            }

            using (var upgraded = new DuckDbDatabase(file)) { Assert.Equal(kept, Query(upgraded, "SELECT k || '|' || first_seq FROM event_keys ORDER BY 1")); }

            using var again = new DuckDbDatabase(file);
            Assert.Equal(kept, Query(again, "SELECT k || '|' || first_seq FROM event_keys ORDER BY 1"));
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    public void Dispose() => _db.Dispose();

    /// <summary>The tick's results (rows, conversions and their people, the person map) are those a full recompute gives.</summary>
    private async Task AssertAsFullRecomputeAsync()
    {
        List<string> State() =>
        [
            .. _db.ResultSnapshot(),
            .. _db.Query("SELECT conversion_id || '|' || person || '|' || path FROM conversions ORDER BY 1", r => r.GetString(0)),
            .. _db.Query("SELECT k || '|' || person FROM identity_people ORDER BY 1", r => r.GetString(0)),
            .. _db.Query("SELECT person || '|' || path || '|' || conversions FROM person_paths ORDER BY 1", r => r.GetString(0)),
        ];

        var tick = State();
        await _db.RecomputeAsync();
        Assert.Equal(tick, State());
    }

    /// <summary>Each key's first load sequence as the table has it.</summary>
    private List<string> Keys() =>
        _db.Query("SELECT k || '|' || min(first_seq) FROM event_keys WHERE workspace = 'w' GROUP BY k ORDER BY 1", r => r.GetString(0));

    /// <summary>What the table should give: each key of every event now stored, with its first load sequence.</summary>
    private List<string> MirrorOfEvents() =>
        _db.Query($"SELECT k || '|' || m FROM ({EventKeysTable.Select("workspace = 'w'")}) t(ws, k, m) ORDER BY 1", r => r.GetString(0));

    private EventKeysTable.ScopeKeys Look(long mark, params string[] keys)
    {
        using var connection = _db.Database.OpenReader();
        JourneyReader.SetScope(connection, keys);
        return EventKeysTable.Look(connection, "w", mark);
    }

    private static List<string> Query(DuckDbDatabase database, string sql) =>
        AttributionStoreFixture.Query(database, sql, r => r.GetString(0));
}
