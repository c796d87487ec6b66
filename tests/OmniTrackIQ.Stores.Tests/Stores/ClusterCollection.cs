namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>
/// The cluster tests run one after another: one of them stops a node, and a schema step ON CLUSTER of another test's
/// database would wait for that node meanwhile.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection
{
    public const string Name = "ClickHouse cluster";
}
