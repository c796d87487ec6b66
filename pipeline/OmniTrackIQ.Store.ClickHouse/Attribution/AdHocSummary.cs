using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Store.ClickHouse.Attribution;

/// <summary>
/// Summaries under per-query options: every journey is streamed once through the shared <see cref="AdHocCreditSums"/>, which
/// credits and sums it per model and group as it comes. Nothing is stored: the read's people map goes with each
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

        // One stream of journeys: the heuristics are credited and summed as each journey comes, Markov and Shapley once all have
        // (memory holds one journey, the path totals and a few bytes per conversion).
        var sums = new AdHocCreditSums(settings, models, groupBy, channel, ms => EpochRange.Contains(ms, from, to));
        var sql = JourneySql.AdHocJourneys(db, ws, ClickHouseAttributionStore.Orders(db, ws), PeopleTableName);
        var reader = new JourneyRows(leadMs);
        await foreach (var row in database.StreamRowsWithTableAsync(sql, PeopleTable(), cancellationToken))
        {
            using (row)
            {
                sums.Add(reader.Read(row.RootElement));
            }
        }

        sums.Finish();
        var result = models.ToDictionary(m => m, _ => new GroupSums(), StringComparer.Ordinal);
        foreach (var (model, key, credit, revenueCredit) in sums.Groups) { result[model].Add(key, credit, revenueCredit); }
        return result;
    }
}
