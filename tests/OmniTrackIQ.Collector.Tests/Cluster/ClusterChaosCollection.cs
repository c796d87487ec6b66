namespace OmniTrackIQ.Collector.Tests.Cluster;

/// <summary>
/// The tests on the cluster run one after another: a chaos test stops a replica, ZooKeeper or Redis, which another
/// test's nodes would meet mid-run (and its load would slow the chaos test's recovery past its bounds).
/// </summary>
[CollectionDefinition(Name)]
public sealed class ClusterChaosCollection
{
    public const string Name = "Cluster chaos";
}
