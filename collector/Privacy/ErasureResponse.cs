using OmniTrackIQ.Pipeline.Erasure;

namespace OmniTrackIQ.Collector.Privacy;

/// <summary>
/// The answer to an erasure: how many identifiers made the person, and the rows found (counted before the deletes;
/// on ClickHouse the server finishes them in the background). <c>exportId</c> is set for a data request.
/// </summary>
internal sealed record ErasureResponse(string Action, int Identifiers, long EventsDeleted, long OrdersAnonymised, long LinksDeleted, string? ExportId = null)
{
    public static ErasureResponse From(string action, int identifiers, ErasureCounts counts) =>
        new(action, identifiers, counts.EventsDeleted, counts.OrdersAnonymised, counts.LinksDeleted);
}
