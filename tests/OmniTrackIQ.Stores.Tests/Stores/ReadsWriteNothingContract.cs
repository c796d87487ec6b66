using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>
/// Issue 15: a GET of an ad-hoc summary on ClickHouse inserted its people map into <c>attribution_people</c> under a run
/// id nothing ever deleted. On every store, the analysts' reads (ad-hoc summaries included, every model, so the
/// data-driven ones take their second pass) must leave every table's row count as it was.
/// </summary>
public abstract class ReadsWriteNothingContract
{
    private static readonly AttributionSettings Settings = new() { LookbackDays = 30 };

    private protected AttributionData Data { get; } = new("reads-" + Guid.NewGuid().ToString("N")[..12]);

    protected abstract Task<AttributionStoreUnderTest> OpenAsync();

    /// <summary>Rows of every table of the store's database (temporary tables of a connection left out), by table name.</summary>
    protected abstract Task<SortedDictionary<string, long>> RowCountsAsync();

    [SkippableFact]
    public async Task An_ad_hoc_summary_and_the_other_reads_leave_every_table_as_it_was()
    {
        var s = await OpenAsync();
        var ws = Data.Workspace;
        await s.Events.WriteEventsAsync(
        [
            Data.Page("phone", 0, "Paid Search", "google", "cpc", "brand"),
            Data.Identify("phone", 0.1, userId: "u1"),
            Data.Page("laptop", 2, "Email", "newsletter", "email", "november"),
            Data.Identify("laptop", 2.1, userId: "u1"),
            Data.Conversion("laptop", 3, "o-1", 100),
        ], CancellationToken.None);
        await s.Runs.RunAsync(ws, Settings, CancellationToken.None);
        // The stored summary first: whatever a store creates on its first read is there before the count.
        await s.Queries.SummarizeAsync(ws, ["first"], AttributionGroupBy.Channel, null, null, null, null, CancellationToken.None);
        var before = await RowCountsAsync();
        Assert.NotEmpty(before);

        var adHoc = await s.Queries.SummarizeAsync(ws, AttributionModels.Names, AttributionGroupBy.Channel, null, null, Settings with { PaidClicksFirst = true }, null,
            CancellationToken.None);
        // The people map travelled with the query: the phone's touch is the laptop person's first.
        Assert.Equal([new AttributionSummaryRow("Paid Search", 1, 100, null, null, null)], adHoc["first"]);
        Assert.Equal(100, adHoc["markov"].Sum(r => r.Revenue), 6);
        await s.Queries.SummarizeAsync(ws, ["linear"], AttributionGroupBy.Campaign, null, null, Settings with { LookbackDays = 1 }, null, CancellationToken.None);
        await s.Queries.TopPathsAsync(ws, 10, null, null, null, CancellationToken.None);
        await s.Queries.CoverageAsync(ws, null, null, CancellationToken.None);

        Assert.Equal(before, await RowCountsAsync());
    }
}
