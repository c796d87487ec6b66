using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Store.ClickHouse.Attribution;

/// <summary>
/// Summaries under per-query options: every journey is streamed (twice when a data-driven model is asked) through the
/// shared <see cref="AdHocCredits"/> and summed per group here. Nothing is stored: the read's people map goes with each
/// journey query as an external table (it used to be inserted into <c>attribution_people</c> under a run id nothing
/// ever deleted, so every GET grew the table). Identity links are those the worker has recorded (at most one tick behind).
/// </summary>
internal static class AdHocSummary
{
    private const string PeopleTableName = "adhoc_people";

    public static async Task<Dictionary<string, GroupSums>> CreditsAsync(ClickHouseDatabase database, string ws, AttributionSettings settings,
        IReadOnlyCollection<string> models, AttributionGroupBy groupBy, DateTime? from, DateTime? to, string? channel, CancellationToken cancellationToken)
    {
        var db = database.Name;
        var (people, leadMs) = await IdentityLinks.LoadAsync(database, ws, cancellationToken);
        // Find compresses paths (it writes the map), so the keys are listed before it runs; each pass sends the map again.
        var keys = people.Keys.ToList();
        ExternalTable PeopleTable() => ExternalTable.Streamed(PeopleTableName, "k String, person String", keys.Select(k => new[] { k, people.Find(k) }));

        // One stream of journeys per pass (two when a data-driven model is asked): memory holds one journey at a time.
        var credits = new AdHocCredits(settings, models);
        var result = models.ToDictionary(m => m, _ => new GroupSums(), StringComparer.Ordinal);
        var sql = JourneySql.AdHocJourneys(db, ws, ClickHouseAttributionStore.Orders(db, ws), PeopleTableName);
        if (credits.NeedsFit)
        {
            var fitReader = new JourneyRows(leadMs);
            await foreach (var row in database.StreamRowsWithTableAsync(sql, PeopleTable(), cancellationToken))
            {
                using (row) { credits.Fit(fitReader.Read(row.RootElement)); }
            }

            credits.FinishFit();
        }

        var reader = new JourneyRows(leadMs);
        await foreach (var row in database.StreamRowsWithTableAsync(sql, PeopleTable(), cancellationToken))
        {
            using (row)
            {
                foreach (var credit in credits.Credit(reader.Read(row.RootElement)))
                {
                    if (!EpochRange.Contains(credit.Conversion.TimestampMs, from, to)) { continue; }
                    var touch = credit.Touch;
                    if (channel is not null && !string.Equals(touch?.Channel ?? AttributionModels.NoTouchChannel, channel, StringComparison.Ordinal)) { continue; }
                    var key = groupBy switch
                    {
                        AttributionGroupBy.Channel => touch?.Channel ?? AttributionModels.NoTouchChannel,
                        AttributionGroupBy.Source => touch?.Source ?? AttributionModels.NoTouchChannel,
                        _ => touch?.Campaign ?? AttributionModels.NoTouchChannel,
                    };
                    result[credit.Model].Add(key, credit.Credit, credit.RevenueCredit);
                }
            }
        }

        return result;
    }
}
