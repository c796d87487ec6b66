using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Store.ClickHouse.Attribution;

/// <summary>
/// Summaries under per-query options: every journey is streamed (twice when a data-driven model is asked) through the
/// shared <see cref="AdHocCredits"/> and summed per group here; nothing is stored but the read's people map.
/// Identity links are those the worker has recorded (at most one tick behind).
/// </summary>
internal static class AdHocSummary
{
    public static async Task<Dictionary<string, GroupSums>> CreditsAsync(ClickHouseDatabase database, string workspace, string ws, AttributionSettings settings,
        IReadOnlyCollection<string> models, string groupBy, DateTime? from, DateTime? to, CancellationToken cancellationToken)
    {
        var db = database.Name;
        var (people, leadMs) = await IdentityLinks.LoadAsync(database, ws, cancellationToken);
        var read = database.NextLoadMs();
        await database.InsertAsync("attribution_people", AttributionTables.PeopleColumns,
            people.Keys.ToList().Select(k => new object?[] { workspace, read, k, people.Find(k) }), cancellationToken);

        // One stream of journeys per pass (two when a data-driven model is asked): memory holds one journey at a time.
        var credits = new AdHocCredits(settings, models);
        var result = models.ToDictionary(m => m, _ => new GroupSums(), StringComparer.Ordinal);
        var sql = JourneySql.Journeys(db, ws, read, ClickHouseAttributionStore.Orders(db, ws), scoped: false);
        if (credits.NeedsFit)
        {
            var fitReader = new JourneyRows(leadMs);
            await foreach (var row in database.StreamRowsAsync(sql, cancellationToken))
            {
                using (row) { credits.Fit(fitReader.Read(row.RootElement)); }
            }

            credits.FinishFit();
        }

        var reader = new JourneyRows(leadMs);
        await foreach (var row in database.StreamRowsAsync(sql, cancellationToken))
        {
            using (row)
            {
                foreach (var credit in credits.Credit(reader.Read(row.RootElement)))
                {
                    if (!EpochRange.Contains(credit.Conversion.TimestampMs, from, to)) { continue; }
                    var touch = credit.Touch;
                    var key = groupBy switch
                    {
                        "channel" => touch?.Channel ?? AttributionModels.NoTouchChannel,
                        "source" => touch?.Source ?? AttributionModels.NoTouchChannel,
                        _ => touch?.Campaign ?? AttributionModels.NoTouchChannel,
                    };
                    result[credit.Model].Add(key, credit.Credit, credit.RevenueCredit);
                }
            }
        }

        return result;
    }
}
