namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>The parity of the stores (<see cref="StoreParityTests"/>) with ClickHouse on the cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterParityTests(ClickHouseClusterFixture cluster) : StoreParityTests(cluster), IClassFixture<ClickHouseClusterFixture>;
