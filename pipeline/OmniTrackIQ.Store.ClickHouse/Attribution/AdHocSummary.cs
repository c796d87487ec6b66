using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Store.ClickHouse.Attribution;

/// <summary>
/// Summaries under per-query options: every journey is streamed once through the shared <see cref="AdHocCredits"/> and
/// summed per group here. Nothing is stored: the read's people map goes with each
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
        // Find compresses paths (it writes the map), so the keys are listed before it runs.
        var keys = people.Keys.ToList();
        ExternalTable PeopleTable() => ExternalTable.Streamed(PeopleTableName, "k String, person String", keys.Select(k => new[] { k, people.Find(k) }));

        // One stream of journeys: the heuristics are credited as each journey comes, Markov and Shapley once all have (memory
        // holds one journey, the path totals and a few bytes per conversion).
        var credits = new AdHocCredits(settings, models, groupBy);
        var result = models.ToDictionary(m => m, _ => new GroupSums(), StringComparer.Ordinal);
        void Sum(in CreditRow credit)
        {
            if (!EpochRange.Contains(credit.Conversion.TimestampMs, from, to)) { return; }
            var touch = credit.Touch;
            if (channel is not null && !string.Equals(touch?.Channel ?? AttributionModels.NoTouchChannel, channel, StringComparison.Ordinal)) { return; }
            var key = groupBy switch
            {
                AttributionGroupBy.Channel => touch?.Channel ?? AttributionModels.NoTouchChannel,
                AttributionGroupBy.Source => touch?.Source ?? AttributionModels.NoTouchChannel,
                _ => touch?.Campaign ?? AttributionModels.NoTouchChannel,
            };
            result[credit.Model].Add(key, credit.Credit, credit.RevenueCredit);
        }

        var sql = JourneySql.AdHocJourneys(db, ws, ClickHouseAttributionStore.Orders(db, ws), PeopleTableName);
        var reader = new JourneyRows(leadMs);
        await foreach (var row in database.StreamRowsWithTableAsync(sql, PeopleTable(), cancellationToken))
        {
            using (row)
            {
                foreach (var credit in credits.Add(reader.Read(row.RootElement))) { Sum(credit); }
            }
        }

        foreach (var credit in credits.Finish()) { Sum(credit); }
        return result;
    }
}
