namespace OmniTrackIQ.Architecture.Tests;

/// <summary>
/// The one-way project graph: host (collector) → ingest → durability → store ports (and the two stores) →
/// core model and attribution core. Each library names every OmniTrackIQ project it may use, directly or
/// through another; anything else (a layer above it, a sibling) is a wrong reference. The host is not listed:
/// it may use everything. Ingest may use durability (the planned one ingest pipeline writes the spool), never
/// the other way round.
/// </summary>
internal static class Layers
{
    public const string Attribution = "OmniTrackIQ.Attribution";
    public const string Core = "OmniTrackIQ.Core";
    public const string Stores = "OmniTrackIQ.Stores";
    public const string Durability = "OmniTrackIQ.Durability";
    public const string Ingest = "OmniTrackIQ.Ingest";
    public const string Enrichment = "OmniTrackIQ.Enrichment";
    public const string UserAgents = "OmniTrackIQ.UserAgents";
    public const string DuckDb = "OmniTrackIQ.Store.DuckDb";
    public const string ClickHouse = "OmniTrackIQ.Store.ClickHouse";

    public static readonly IReadOnlyDictionary<string, string[]> MayUse = new Dictionary<string, string[]>
    {
        [Attribution] = [],
        [Core] = [],
        [Stores] = [Core, Attribution],
        [DuckDb] = [Stores, Core, Attribution],
        [ClickHouse] = [Stores, Core, Attribution],
        [Durability] = [Stores, Core, Attribution],
        [Ingest] = [Durability, Stores, Core, Attribution],
        // The enrichers implement the enricher port in Core and see nothing else of the pipeline.
        [Enrichment] = [Core],
        [UserAgents] = [Core],
    };

    public static IEnumerable<object[]> Libraries() => MayUse.Keys.Select(name => new object[] { name });
}
