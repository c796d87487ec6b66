using OmniTrackIQ.Attribution.Identity;
using OmniTrackIQ.Pipeline.Erasure;
using OmniTrackIQ.Store.DuckDb;
using OmniTrackIQ.Store.DuckDb.Attribution;
using OmniTrackIQ.Store.DuckDb.Erasure;

namespace OmniTrackIQ.Pipeline.Tests.Attribution;

/// <summary>
/// The identity graph DuckDB keeps between runs (<c>identity_people</c>): after every tick it holds what a full recompute
/// over every link stores, and the tick's results are a full recompute's.
/// </summary>
public sealed class PersonMapTableTests : IDisposable
{
    private readonly AttributionStoreFixture _db = new();

    [Fact]
    public async Task A_new_link_between_two_existing_people_merges_both_and_recomputes_both_journeys()
    {
        await _db.WriteAsync(
            _db.Page("phone", 1, "Paid Social"), _db.Identify("phone", 1.1, userId: "u1"), _db.Conversion("phone", 2, "o1", 50),
            _db.Page("laptop", 1, "Email"), _db.Identify("laptop", 1.2, userId: "u2"), _db.Conversion("laptop", 3, "o2", 80));
        await _db.RunAsync();
        Assert.Equal([("u:u1", "a:phone"), ("u:u2", "a:laptop")], StoredMap());

        await _db.WriteAsync(_db.Identify("phone", 4, userId: "u2"));
        var tick = await _db.RunAsync();
        Assert.False(tick.Full);
        Assert.Equal((2, 1), (tick.Conversions, tick.People));
        Assert.Equal([("a:phone", "a:laptop"), ("u:u1", "a:laptop"), ("u:u2", "a:laptop")], StoredMap());
        Assert.Equal(["o1|a:laptop", "o2|a:laptop"], _db.Query("SELECT conversion_id || '|' || person FROM conversions WHERE workspace = 'w' ORDER BY 1", r => r.GetString(0)));
        await AssertAsFullRecomputeAsync();
    }

    [Fact]
    public async Task A_link_inside_one_person_keeps_the_map_and_a_chain_built_over_ticks_ends_as_one_person()
    {
        await _db.WriteAsync(_db.Page("c1", 1, "Email"), _db.Identify("c1", 1.1, userId: "x"), _db.Conversion("c1", 2, "o1", 10));
        await _db.RunAsync();
        await _db.WriteAsync(_db.Page("c1", 2.5, "Direct", userId: "x")); // the same link shown by a page: inside one person
        await _db.RunAsync();
        Assert.Equal([("u:x", "a:c1")], StoredMap());

        // A chain, one link per tick: c2 shares the e-mail of user x's identify, then c0 (the smallest key) joins by that e-mail.
        await _db.WriteAsync(_db.Identify("c2", 3, userId: "x", emailSha256: "h1"), _db.Conversion("c2", 3.5, "o2", 20));
        await _db.RunAsync();
        Assert.Equal([("a:c2", "a:c1"), ("e:h1", "a:c1"), ("u:x", "a:c1")], StoredMap());
        await _db.WriteAsync(_db.Page("c0", 0.5, "Paid Search"), _db.Identify("c0", 4, emailSha256: "h1"));
        await _db.RunAsync();
        Assert.Equal([("a:c1", "a:c0"), ("a:c2", "a:c0"), ("e:h1", "a:c0"), ("u:x", "a:c0")], StoredMap());
        await AssertAsFullRecomputeAsync();
    }

    [Fact]
    public async Task A_key_seen_first_in_a_new_event_gets_no_row_until_a_link_names_it_then_joins_its_person()
    {
        await _db.WriteAsync(_db.Page("a", 1, "Email"), _db.Identify("a", 1.1, userId: "u1"), _db.Conversion("a", 2, "o1", 10));
        await _db.RunAsync();
        await _db.WriteAsync(_db.Page("new", 3, "Referral"), _db.Conversion("new", 4, "o2", 30));
        await _db.RunAsync();
        Assert.Equal([("u:u1", "a:a")], StoredMap());

        await _db.WriteAsync(_db.Identify("new", 5, userId: "u1"));
        await _db.RunAsync();
        Assert.Equal([("a:new", "a:a"), ("u:u1", "a:a")], StoredMap());
        await AssertAsFullRecomputeAsync();
    }

    [Fact]
    public async Task Erasing_a_person_clears_their_rows_and_leaves_the_others()
    {
        await _db.WriteAsync(
            _db.Page("p", 1, "Email"), _db.Identify("p", 1.1, userId: "gone"), _db.Conversion("p", 2, "o1", 10),
            _db.Page("q", 1, "Email"), _db.Identify("q", 1.1, userId: "stays"), _db.Conversion("q", 2, "o2", 10));
        await _db.RunAsync();
        var erasure = new PersonErasure(new DuckDbErasureStore(_db.Database));
        await erasure.EraseAsync("w", new ErasureRequest { UserIds = ["gone"] }, CancellationToken.None);
        Assert.Equal([("u:stays", "a:q")], StoredMap());
    }

    [Fact]
    public async Task A_full_recompute_rebuilds_the_map_from_every_link()
    {
        await _db.WriteAsync(_db.Identify("a", 1, userId: "u1"), _db.Identify("b", 1, userId: "u1"), _db.Conversion("b", 2, "o1", 10));
        await _db.RunAsync();
        await _db.Database.WriteAsync(c => DuckDbEventStore.Execute(c, "DELETE FROM identity_people; INSERT INTO identity_people VALUES ('w', 'a:zz', 'a:a')"), CancellationToken.None);
        await _db.RecomputeAsync();
        Assert.Equal([("a:b", "a:a"), ("u:u1", "a:a")], StoredMap());
    }

    [Fact]
    public async Task An_existing_database_gets_its_map_on_first_start_once()
    {
        var dir = Path.Combine(Path.GetTempPath(), "otq-people-" + Guid.NewGuid().ToString("N"));
        var file = Path.Combine(dir, "a.duckdb");
        try
        {
            using (var database = new DuckDbDatabase(file))
            {
                await new DuckDbEventStore(database).WriteEventsAsync(
                    [_db.Identify("a", 1, userId: "u1"), _db.Identify("b", 1, userId: "u1"), _db.Identify("c", 1, emailSha256: "h")], CancellationToken.None);
                await new AttributionRunner(database, AttributionStoreFixture.Clock()).RunAsync("w", _db.Settings, CancellationToken.None);
                // A file from before the table: links and results, no map.
                await database.WriteAsync(c => DuckDbEventStore.Execute(c, "DROP TABLE identity_people"), CancellationToken.None);
            }

            List<(string, string)> Rows(DuckDbDatabase database) => Query(database, "SELECT k, person FROM identity_people WHERE workspace = 'w' ORDER BY k");
            using (var upgraded = new DuckDbDatabase(file))
            {
                Assert.Equal([("a:b", "a:a"), ("e:h", "a:c"), ("u:u1", "a:a")], Rows(upgraded));
            }

            using (var again = new DuckDbDatabase(file))
            {
                Assert.Equal([("a:b", "a:a"), ("e:h", "a:c"), ("u:u1", "a:a")], Rows(again));
            }
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    public void Dispose() => _db.Dispose();

    /// <summary>The tick's map and results are those a full recompute gives, and the recompute keeps the same map.</summary>
    private async Task AssertAsFullRecomputeAsync()
    {
        var map = StoredMap();
        var links = _db.Query("SELECT id_key, person_key, source, epoch_ms(first_seen) FROM identity_links WHERE workspace = 'w'",
            r => new IdentityLink(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3)));
        var people = PersonResolver.FromLinks(links, out _);
        Assert.Equal(PersonMap.Rows(people, [.. people.Keys]), map);

        var results = _db.ResultSnapshot();
        var conversions = Conversions();
        await _db.RecomputeAsync();
        Assert.Equal(results, _db.ResultSnapshot());
        Assert.Equal(conversions, Conversions());
        Assert.Equal(map, StoredMap());
    }

    private List<string> Conversions() =>
        _db.Query("SELECT conversion_id || '|' || person || '|' || path FROM conversions WHERE workspace = 'w' ORDER BY 1", r => r.GetString(0));

    private List<(string Key, string Person)> StoredMap() => Query(_db.Database, "SELECT k, person FROM identity_people WHERE workspace = 'w' ORDER BY k");

    private static List<(string, string)> Query(DuckDbDatabase database, string sql)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<(string, string)>();
        while (reader.Read()) { rows.Add((reader.GetString(0), reader.GetString(1))); }
        return rows;
    }
}
