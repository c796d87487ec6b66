using System.Globalization;
using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Store.DuckDb.Attribution;

namespace OmniTrackIQ.Pipeline.Tests.Attribution;

/// <summary>
/// A full recompute reads journeys in ranges of people (<see cref="JourneyRanges"/>): whatever the range size, it yields the
/// journeys one ordered read of everyone yields (<see cref="JourneyReader"/>), and the run stores the same rows in every
/// result table as a run over a single range.
/// </summary>
public sealed class JourneyRangesTests : IDisposable
{
    /// <summary>Every table a run writes, each row as text (computed_at left out: a run stamps it).</summary>
    private static readonly string[] ResultTables =
    [
        "conversions", "attribution_touches", "person_paths", JourneysTable.Name, "path_counts", "channel_model_counts",
        "attribution_channel_models", "identity_people", "attribution_state",
    ];

    private readonly AttributionStoreFixture _db = new();

    [Fact]
    public async Task Ranges_of_people_yield_the_journeys_of_one_ordered_read()
    {
        await WriteAllAsync();
        await _db.RunAsync(); // fills journey_events

        using var reader = _db.Database.OpenReader();
        var people = IdentityGraph.Load(reader, "w", out var leadMs);
        JourneyReader.SetPeople(reader, people);
        var one = JourneyReader.Stream(reader, "w", leadMs, JourneyReader.Scope.All).Select(Text).ToList();
        var rows = _db.Query("SELECT count(*) FROM journey_events WHERE workspace = 'w'", r => r.GetInt64(0)).Single();
        Assert.Equal((int)((rows + 2) / 3), JourneyRanges.Count(reader, "w", 3));
        Assert.True(JourneyRanges.Count(reader, "w", 3) > 20, $"{rows} journey rows");
        foreach (var rangeRows in new[] { 3, 40, int.MaxValue })
        {
            var ranged = JourneyRanges.Stream(reader, "w", leadMs, rangeRows).Select(Text).ToList();
            Assert.Equal(one.Order(StringComparer.Ordinal), ranged.Order(StringComparer.Ordinal));
        }

        Assert.True(one.Count > 30, $"{one.Count} journeys");
    }

    [Fact]
    public async Task A_full_run_over_many_ranges_stores_what_a_run_over_one_range_stores()
    {
        await WriteAllAsync();
        var single = await new AttributionRunner(_db.Database, AttributionStoreFixture.Clock(), recomputeRangeRows: int.MaxValue)
            .RecomputeAsync("w", _db.Settings, null, CancellationToken.None);
        var one = Snapshot();

        // Three journey rows a range: dozens of ranges, people stitched across devices and orders reported by two people in different ones.
        var ranged = await new AttributionRunner(_db.Database, AttributionStoreFixture.Clock(), recomputeRangeRows: 3)
            .RecomputeAsync("w", _db.Settings, null, CancellationToken.None);
        Assert.Equal((single.Conversions, single.People), (ranged.Conversions, ranged.People));
        Assert.Equal(one, Snapshot());
        Assert.True(single.Conversions > 20, $"{single.Conversions} conversions");
    }

    private async Task WriteAllAsync()
    {
        for (var batch = 0; batch < 3; batch++) { await _db.WriteAsync(Batch(batch)); }
    }

    private static string Text(PersonJourney journey) =>
        string.Join(" / ", journey.Person, journey.LeadTimestampMs?.ToString(CultureInfo.InvariantCulture) ?? "-",
            string.Join(", ", journey.Touches.Select(t => string.Join('|', t.Channel, t.TimestampMs, t.Flags, t.Source, t.Medium, t.Campaign))),
            string.Join(", ", journey.Conversions));

    /// <summary>
    /// Twelve people per batch: page views (one a bot's), a device stitched to another by an identify, orders each
    /// reported twice (the second report by a server under a user id, a later one by another device's person, a refund).
    /// </summary>
    private TrackedEvent[] Batch(int batch)
    {
        var events = new List<TrackedEvent>();
        for (var i = 0; i < 12; i++)
        {
            var person = $"p{batch}-{i}";
            var day = batch * 10 + i * 0.1;
            events.Add(_db.Page(person, day, Channels[i % Channels.Length], campaign: i % 3 == 0 ? "c" + i : null));
            events.Add(_db.Page(person, day + 0.5, Channels[(i + 2) % Channels.Length], bot: i == 5));
            if (i % 2 == 0)
            {
                // The phone's visit joins the laptop's person (an identify on each).
                events.Add(_db.Page(person + "-phone", day + 0.2, "Paid Social"));
                events.Add(_db.Identify(person + "-phone", day + 0.3, userId: "u" + person));
                events.Add(_db.Identify(person, day + 0.4, userId: "u" + person));
            }

            if (i % 4 == 3) { continue; } // no order: a path that does not convert

            var order = $"o{batch}-{i}";
            events.Add(_db.Conversion(person, day + 1, order, 10 + i));
            // The same order reported again: by the shop's server (a later report, its own person), or earlier by another
            // batch's person (who then owns it, whichever range they fall in).
            events.Add(i % 3 == 0
                ? _db.Conversion(null, day + 1.01, order, 10 + i, userId: "server-" + person)
                : _db.Conversion($"p{(batch + 1) % 3}-{i}", day + 0.9, order, 10 + i));
            if (i % 5 == 1)
            {
                var refund = _db.Conversion(null, day + 2, order, 0, userId: "server-" + person);
                refund.Event = "Refund";
                refund.Refunded = 4;
                events.Add(refund);
            }
        }

        return [.. events];
    }

    private static readonly string[] Channels = ["Paid Search", "Email", "Organic Search", "Direct", "Paid Social", "Referral"];

    private List<string> Snapshot()
    {
        var rows = new List<string>();
        foreach (var table in ResultTables)
        {
            rows.AddRange(_db.Query($"SELECT COLUMNS(c -> c <> 'computed_at') FROM {table} WHERE workspace = 'w'", r => table + ": " + Row(r))
                .Order(StringComparer.Ordinal));
        }

        return rows;
    }

    /// <summary>A row as text; doubles rounded (path_counts sums its people's paths in the order they were stored).</summary>
    private static string Row(System.Data.Common.DbDataReader reader) =>
        string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i) switch
        {
            double d => Math.Round(d, 9).ToString("R", CultureInfo.InvariantCulture),
            byte[] bytes => Convert.ToHexString(bytes),
            var value => Convert.ToString(value, CultureInfo.InvariantCulture),
        }));

    public void Dispose() => _db.Dispose();
}
