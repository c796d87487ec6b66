using System.Globalization;
using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Pipeline.Tests.Stores;
using OmniTrackIQ.Store.DuckDb.Attribution;

namespace OmniTrackIQ.Pipeline.Tests.Attribution;

/// <summary>
/// The on-the-fly credits summed as they are computed (<see cref="AdHocCreditSums"/>, no row per credited touch) are the
/// credit rows (<see cref="AdHocCredits"/>, themselves the two-pass rows: <see cref="JourneysTableTests"/>) filtered and added one
/// by one per model and key, as the summary summed them: the same sums to the last bit, the same keys in the same order.
/// </summary>
public sealed class AdHocCreditSumsTests : IDisposable
{
    private readonly AttributionStoreFixture _db = new();
    private readonly AttributionData _data = new("w");

    [Fact]
    public async Task Sums_are_the_rows_added_in_order_to_the_last_bit_for_every_option_model_set_grouping_range_and_channel()
    {
        await _db.Store.WriteEventsAsync(_data.ShopHistory(people: 90), CancellationToken.None);
        await _db.RunAsync();
        using var connection = _db.Database.OpenReader();
        var journeys = JourneysTable.Stream(connection, "w").ToList();
        var from = AttributionData.Day0.UtcDateTime.AddDays(5);
        var to = from.AddDays(10);
        // No filter, a range, a channel, and the unattributed "(none)" in a range.
        var filters = new (TimeRange Range, string? Channel)[]
        {
            (new TimeRange(null, null), null), (new TimeRange(from, to), null), (new TimeRange(null, null), "Email"), (new TimeRange(from, to), AttributionModels.NoTouchChannel),
        };
        var compared = 0;
        foreach (var options in new[] { _db.Settings with { LookbackDays = 3 }, _db.Settings with { PaidClicksFirst = true }, _db.Settings with { LookbackDays = 0, MarkovOrder = 2 } })
        {
            foreach (var models in new IReadOnlyCollection<string>[] { AttributionModels.Names, [AttributionModels.Markov], [AttributionModels.Shapley, "linear"], ["time_decay"] })
            {
                foreach (var groupBy in AttributionGroupings.All)
                {
                    foreach (var (range, channel) in filters)
                    {
                        var sums = new AdHocCreditSums(options, models, groupBy, channel, range.Contains);
                        foreach (var journey in journeys) { sums.Add(journey); }
                        sums.Finish();
                        var summed = sums.Groups.Select(g => Text(g.Model, g.Key, g.Credit, g.RevenueCredit)).ToList();

                        Assert.Equal(RowsAddedInOrder(AdHocCredits.Compute(journeys, options, models, groupBy), groupBy, range, channel), summed);
                        compared += summed.Count;
                    }
                }
            }
        }

        Assert.True(compared > 1000, $"only {compared} sums compared");
    }

    public void Dispose() => _db.Dispose();

    /// <summary>The rows in range and of the channel, each added to its model's key in the order it comes (the keys and models in the order first added).</summary>
    private static List<string> RowsAddedInOrder(IEnumerable<CreditRow> rows, AttributionGroupBy groupBy, TimeRange range, string? channel)
    {
        var sums = new List<(string Model, List<(string Key, double Credit, double Revenue)> Keys)>();
        foreach (var row in rows)
        {
            var at = DateTimeOffset.FromUnixTimeMilliseconds(row.Conversion.TimestampMs).UtcDateTime;
            var touchChannel = row.Touch?.Channel ?? AttributionModels.NoTouchChannel;
            if (at < range.From || at >= range.To || (channel is not null && touchChannel != channel)) { continue; }
            var key = (groupBy switch
            {
                AttributionGroupBy.Channel => touchChannel,
                AttributionGroupBy.Source => row.Touch?.Source,
                _ => row.Touch?.Campaign,
            }) ?? AttributionModels.NoTouchChannel;
            var model = sums.FindIndex(m => m.Model == row.Model);
            if (model < 0)
            {
                sums.Add((row.Model, []));
                model = sums.Count - 1;
            }

            var keys = sums[model].Keys;
            var index = keys.FindIndex(k => k.Key == key);
            if (index < 0) { keys.Add((key, row.Credit, row.RevenueCredit)); }
            else { keys[index] = (key, keys[index].Credit + row.Credit, keys[index].Revenue + row.RevenueCredit); }
        }

        return [.. sums.SelectMany(m => m.Keys.Select(k => Text(m.Model, k.Key, k.Credit, k.Revenue)))];
    }

    private static string Text(string model, string key, double credit, double revenue) =>
        string.Create(CultureInfo.InvariantCulture, $"{model} {key} {credit:R} {revenue:R}");
}
