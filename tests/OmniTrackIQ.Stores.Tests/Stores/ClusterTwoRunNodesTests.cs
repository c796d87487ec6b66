namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>Two attribution nodes taking turns (<see cref="TwoRunNodesTests"/>) on the cluster, through different servers.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterTwoRunNodesTests(ClickHouseClusterFixture cluster) : TwoRunNodesTests(cluster), IClassFixture<ClickHouseClusterFixture>;
