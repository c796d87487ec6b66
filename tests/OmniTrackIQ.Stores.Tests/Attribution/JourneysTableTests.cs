using System.Globalization;
using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Pipeline.Erasure;
using OmniTrackIQ.Pipeline.Tests.Stores;
using OmniTrackIQ.Store.DuckDb;
using OmniTrackIQ.Store.DuckDb.Attribution;
using OmniTrackIQ.Store.DuckDb.Erasure;

namespace OmniTrackIQ.Pipeline.Tests.Attribution;

/// <summary>
/// The journeys DuckDB keeps for answers under other options (<c>attribution_journeys</c>): after every run they are the
/// journeys a full read of the events assembles, and the on-the-fly summary read from them is the one the old
/// computation (identity stitched from every link, every event re-read) gives, to the last bit of every figure.
/// </summary>
public sealed class JourneysTableTests : IDisposable
{
    private readonly AttributionStoreFixture _db = new();
    private readonly AttributionData _data = new("w");

    [Fact]
    public async Task After_ticks_with_late_links_and_reposted_orders_the_stored_journeys_are_a_full_reads()
    {
        var history = _data.ShopHistory(people: 90);
        await _db.Store.WriteEventsAsync(history[..(history.Count / 3)], CancellationToken.None);
        Assert.True((await _db.RunAsync()).Full);
        await _db.Store.WriteEventsAsync(history[(history.Count / 3)..], CancellationToken.None);
        Assert.False((await _db.RunAsync()).Full);

        var stored = StoredJourneys();
        Assert.True(stored.Count > 80, $"only {stored.Count} journeys");
        Assert.Equal(AssembledJourneys(), stored);
    }

    [Fact]
    public async Task Stored_journeys_streamed_in_ranges_of_people_are_every_journey_once()
    {
        var history = _data.ShopHistory(people: 90);
        await _db.Store.WriteEventsAsync(history[..(history.Count / 2)], CancellationToken.None);
        await _db.RunAsync();
        await _db.Store.WriteEventsAsync(history[(history.Count / 2)..], CancellationToken.None);
        await _db.RunAsync();

        using var connection = _db.Database.OpenReader();
        var whole = JourneysTable.Stream(connection, "w").ToList();

        Assert.True(whole.Count > 80, $"only {whole.Count} journeys");
        Assert.Equal(AssembledJourneys(), whole.Select(Text));
        // 13 ranges of people at 7 a range, and one range a journey: the same journeys in the same order, none lost or read twice.
        Assert.Equal(whole.Select(Text), JourneysTable.Stream(connection, "w", journeysPerRange: 7).Select(Text));
        Assert.Equal(whole.Select(Text), JourneysTable.Stream(connection, "w", journeysPerRange: 1).Select(Text));
    }

    [Fact]
    public async Task Stored_journeys_streamed_in_ranges_are_one_snapshot_whatever_is_written_meanwhile()
    {
        await _db.Store.WriteEventsAsync(_data.ShopHistory(people: 60), CancellationToken.None);
        await _db.RunAsync();
        var before = StoredJourneys();

        using var connection = _db.Database.OpenReader();
        var streamed = new List<string>();
        foreach (var journey in JourneysTable.Stream(connection, "w", journeysPerRange: 7))
        {
            if (streamed.Count == 0)
            {
                // A writer replaces every journey while the first range is being read: the later ranges must not see it.
                await _db.Database.WriteAsync(c => DuckDbEventStore.Execute(c, $"DELETE FROM {JourneysTable.Name}"), CancellationToken.None);
            }

            streamed.Add(Text(journey));
        }

        Assert.True(before.Count > 50, $"only {before.Count} journeys");
        Assert.Equal(before, streamed);
        Assert.Empty(StoredJourneys());
    }

    [Fact]
    public async Task Answers_under_other_options_are_the_old_computations_for_every_model_grouping_range_and_channel()
    {
        await _db.Store.WriteEventsAsync(_data.ShopHistory(people: 90), CancellationToken.None);
        await _db.RunAsync();
        var queries = new DuckDbAttributionQueries(_db.Database);
        var from = AttributionData.Day0.UtcDateTime.AddDays(5);
        var to = from.AddDays(10);
        var compared = 0;
        foreach (var options in new[] { _db.Settings with { LookbackDays = 3 }, _db.Settings with { PaidClicksFirst = true }, _db.Settings with { LookbackDays = 0 } })
        {
            foreach (var groupBy in AttributionGroupings.All)
            {
                foreach (var (rangeFrom, rangeTo, channel) in new (DateTime?, DateTime?, string?)[] { (null, null, null), (from, to, null), (null, null, "Email") })
                {
                    var answer = await queries.SummarizeAsync("w", AttributionModels.Names, groupBy, rangeFrom, rangeTo, options, channel, CancellationToken.None);
                    var old = OldComputation(options, groupBy, rangeFrom, rangeTo, channel);
                    foreach (var model in AttributionModels.Names)
                    {
                        Assert.Equal(old[model], answer[model].OrderBy(r => r.Key, StringComparer.Ordinal).ToList());
                        compared += answer[model].Count;
                    }
                }
            }
        }

        Assert.True(compared > 500, $"only {compared} rows compared");
    }

    [Fact]
    public async Task The_one_pass_credits_are_the_two_pass_credits_row_for_row_to_the_last_bit()
    {
        await _db.Store.WriteEventsAsync(_data.ShopHistory(people: 90), CancellationToken.None);
        await _db.RunAsync();
        using var connection = _db.Database.OpenReader();
        var compared = 0;
        foreach (var options in new[] { _db.Settings with { LookbackDays = 3 }, _db.Settings with { PaidClicksFirst = true }, _db.Settings with { LookbackDays = 0, MarkovOrder = 2 } })
        {
            foreach (var models in new IReadOnlyCollection<string>[] { AttributionModels.Names, [AttributionModels.Markov], [AttributionModels.Shapley, "linear"], ["time_decay"] })
            {
                foreach (var groupBy in AttributionGroupings.All)
                {
                    var onePass = ByModel(AdHocCredits.Compute(JourneysTable.Stream(connection, "w"), options, models, groupBy), groupBy);
                    var twoPass = ByModel(TwoPassCredits.Compute(() => JourneysTable.Stream(connection, "w"), options, models), groupBy);
                    Assert.Equal(models.Order(StringComparer.Ordinal), onePass.Keys.Order(StringComparer.Ordinal));
                    foreach (var model in models)
                    {
                        Assert.Equal(twoPass[model], onePass[model]);
                        compared += onePass[model].Count;
                    }
                }
            }
        }

        Assert.True(compared > 10000, $"only {compared} rows compared");
    }

    [Fact]
    public async Task Journeys_given_as_lists_not_arrays_are_credited_as_the_two_pass_credits_them()
    {
        await _db.Store.WriteEventsAsync(_data.ShopHistory(people: 60), CancellationToken.None);
        await _db.RunAsync();
        using var connection = _db.Database.OpenReader();
        // Another store's reader may hand over any list: those journeys are read element by element, not as a decoded array.
        var asLists = JourneysTable.Stream(connection, "w")
            .Select(j => j with { Touches = j.Touches.ToList(), Conversions = j.Conversions.ToList() })
            .ToList();
        Assert.Contains(asLists, j => j.LeadTimestampMs is not null && j.Touches.Count > 1);
        var compared = 0;
        foreach (var groupBy in AttributionGroupings.All)
        {
            var options = _db.Settings with { LookbackDays = 3 };
            var onePass = ByModel(AdHocCredits.Compute(asLists, options, AttributionModels.Names, groupBy), groupBy);
            var twoPass = ByModel(TwoPassCredits.Compute(() => JourneysTable.Stream(connection, "w"), options, AttributionModels.Names), groupBy);
            foreach (var model in AttributionModels.Names)
            {
                Assert.Equal(twoPass[model], onePass[model]);
                compared += onePass[model].Count;
            }
        }

        Assert.True(compared > 1000, $"only {compared} rows compared");
    }

    /// <summary>A row as a sum reads it: the touch's channel and grouped part, the conversion's time and revenue, the credit and its revenue, unrounded.</summary>
    private static Dictionary<string, List<string>> ByModel(IEnumerable<CreditRow> rows, AttributionGroupBy groupBy) => rows
        .GroupBy(r => r.Model, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Select(r => string.Create(CultureInfo.InvariantCulture,
            $"{r.Touch is not null}:{r.Touch?.Channel}/{(groupBy == AttributionGroupBy.Source ? r.Touch?.Source : groupBy == AttributionGroupBy.Campaign ? r.Touch?.Campaign : "")} {r.Conversion.TimestampMs}:{r.Conversion.Revenue:R} {r.Credit:R} {r.RevenueCredit:R}")).ToList(),
            StringComparer.Ordinal);

    [Fact]
    public async Task An_erased_persons_journey_goes_and_their_order_stays_as_a_journey_of_its_own()
    {
        await _db.WriteAsync(
            _db.Page("p", 1, "Email"), _db.Identify("p", 1.1, userId: "gone"), _db.Conversion("p", 2, "o1", 10, userId: "gone"),
            _db.Page("q", 1, "Email"), _db.Conversion("q", 2, "o2", 10));
        await _db.RunAsync();
        Assert.Equal(["a:p", "a:q"], Persons());

        await new PersonErasure(new DuckDbErasureStore(_db.Database)).EraseAsync("w", new ErasureRequest { UserIds = ["gone"] }, CancellationToken.None);

        Assert.Equal(["a:order:o1", "a:q"], Persons());
        Assert.Equal(AssembledJourneys(), StoredJourneys());
        var orderMs = AttributionStoreFixture.Day0.AddDays(2).ToUnixTimeMilliseconds();
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"touches [] conversions [{orderMs}:10] lead -"), StoredJourneys()[0]);
    }

    [Fact]
    public async Task A_database_from_before_the_table_recomputes_everything_on_its_next_run_and_then_has_every_journey()
    {
        var dir = Path.Combine(Path.GetTempPath(), "otq-journeys-" + Guid.NewGuid().ToString("N"));
        var file = Path.Combine(dir, "a.duckdb");
        try
        {
            using (var database = new DuckDbDatabase(file))
            {
                await new DuckDbEventStore(database).WriteEventsAsync(_data.ShopHistory(people: 30), CancellationToken.None);
                await new AttributionRunner(database, AttributionStoreFixture.Clock()).RunAsync("w", _db.Settings, CancellationToken.None);
                await database.WriteAsync(c => DuckDbEventStore.Execute(c, $"DROP TABLE {JourneysTable.Name}"), CancellationToken.None);
            }

            List<string> stored;
            using (var upgraded = new DuckDbDatabase(file))
            {
                var run = await new AttributionRunner(upgraded, AttributionStoreFixture.Clock()).RunAsync("w", _db.Settings, CancellationToken.None);
                Assert.True(run.Full);
                stored = Journeys(upgraded);
                Assert.True(stored.Count > 25, $"only {stored.Count} journeys");
            }

            // Opened again, nothing is recomputed: the upgrade happens once.
            using var again = new DuckDbDatabase(file);
            Assert.False((await new AttributionRunner(again, AttributionStoreFixture.Clock()).RunAsync("w", _db.Settings, CancellationToken.None)).Full);
            Assert.Equal(stored, Journeys(again));
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    public void Dispose() => _db.Dispose();

    private List<string> Persons() => _db.Query($"SELECT person FROM {JourneysTable.Name} WHERE workspace = 'w' ORDER BY 1", r => r.GetString(0));

    private List<string> StoredJourneys() => Journeys(_db.Database);

    private static List<string> Journeys(DuckDbDatabase database)
    {
        using var connection = database.OpenReader();
        return [.. JourneysTable.Stream(connection, "w").Select(Text)];
    }

    /// <summary>The journeys as the old on-the-fly read made them: every link unioned, every journey event re-read, in person order.</summary>
    private List<string> AssembledJourneys()
    {
        using var connection = _db.Database.OpenReader();
        var people = IdentityGraph.Load(connection, "w", out var leadMs);
        JourneyReader.SetPeople(connection, people);
        return [.. JourneyReader.Stream(connection, "w", leadMs, JourneyReader.Scope.All).Select(Text)];
    }

    /// <summary>
    /// The old on-the-fly summary: the two-pass credits (<see cref="TwoPassCredits"/>) over journeys assembled from the events, each credit a row summed per
    /// key in the order it came (as the summary's SQL summed the old row table), rounded by the shared arithmetic, by key.
    /// </summary>
    private Dictionary<string, List<AttributionSummaryRow>> OldComputation(AttributionSettings options, AttributionGroupBy groupBy, DateTime? from, DateTime? to,
        string? channel)
    {
        using var connection = _db.Database.OpenReader();
        var people = IdentityGraph.Load(connection, "w", out var leadMs);
        JourneyReader.SetPeople(connection, people);
        var sums = AttributionModels.Names.ToDictionary(m => m, _ => new Dictionary<string, (double Credit, double Revenue)>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var row in TwoPassCredits.Compute(() => JourneyReader.Stream(connection, "w", leadMs, JourneyReader.Scope.All), options, AttributionModels.Names))
        {
            var at = DateTimeOffset.FromUnixTimeMilliseconds(row.Conversion.TimestampMs).UtcDateTime;
            var touchChannel = row.Touch?.Channel ?? AttributionModels.NoTouchChannel;
            if (at < from || at >= to || (channel is not null && touchChannel != channel)) { continue; }
            var key = (groupBy switch
            {
                AttributionGroupBy.Channel => touchChannel,
                AttributionGroupBy.Source => row.Touch?.Source,
                _ => row.Touch?.Campaign,
            }) ?? AttributionModels.NoTouchChannel;
            var (credit, revenue) = sums[row.Model].GetValueOrDefault(key);
            sums[row.Model][key] = (credit + row.Credit, revenue + row.RevenueCredit);
        }

        return sums.ToDictionary(m => m.Key, m => m.Value.Select(s => SummaryArithmetic.Row(s.Key, s.Value.Credit, s.Value.Revenue, null))
            .OrderBy(r => r.Key, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
    }

    private static string Text(PersonJourney journey) => string.Create(CultureInfo.InvariantCulture,
        $"touches [{string.Join(", ", journey.Touches.Select(t => $"{t.Channel}@{t.TimestampMs}/{t.Flags}/{t.Source}/{t.Medium}/{t.Campaign}"))}] " +
        $"conversions [{string.Join(", ", journey.Conversions.Select(c => $"{c.TimestampMs}:{c.Revenue:R}"))}] lead {journey.LeadTimestampMs?.ToString(CultureInfo.InvariantCulture) ?? "-"}");
}
