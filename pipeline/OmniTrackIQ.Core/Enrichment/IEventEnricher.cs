using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.Pipeline.Enrichment;

/// <summary>
/// One enrichment step run by the collector between validation and spool. Implementations are
/// pure over their inputs (and read-only shared data such as a GeoIP database), thread-safe and
/// allocation-aware: they may allocate the strings they store on the event, nothing per call besides.
/// </summary>
public interface IEventEnricher
{
    /// <summary>Enrich <paramref name="evt"/> in place; return a rejection to refuse the event.</summary>
    EnrichmentVerdict Enrich(TrackedEvent evt, in IngestRequest request);
}
