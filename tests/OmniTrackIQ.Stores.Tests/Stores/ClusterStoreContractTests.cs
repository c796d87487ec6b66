namespace OmniTrackIQ.Pipeline.Tests.Stores;

// The ClickHouse contracts again, on 2 shards x 2 replicas (ClickHouseClusterFixture): the same tests, the same
// expected answers, through the Distributed tables the store's own schema steps made ON CLUSTER.

/// <summary>The event store contract on the cluster.</summary>
[Collection(ClusterCollection.Second)]
public sealed class ClusterEventStoreContractTests(ClickHouseClusterFixture cluster)
    : ClickHouseEventStoreContractTests(cluster), IClassFixture<ClickHouseClusterFixture>;

/// <summary>The attribution contract on the cluster.</summary>
[Collection(ClusterCollection.Second)]
public sealed class ClusterAttributionStoreContractTests(ClickHouseClusterFixture cluster)
    : ClickHouseAttributionStoreContractTests(cluster), IClassFixture<ClickHouseClusterFixture>;

/// <summary>The order ledger contract on the cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterOrderLedgerContractTests(ClickHouseClusterFixture cluster)
    : ClickHouseOrderLedgerContractTests(cluster), IClassFixture<ClickHouseClusterFixture>;

/// <summary>The order list contract on the cluster.</summary>
[Collection(ClusterCollection.Second)]
public sealed class ClusterOrderListContractTests(ClickHouseClusterFixture cluster)
    : ClickHouseOrderListContractTests(cluster), IClassFixture<ClickHouseClusterFixture>;

/// <summary>The spend contract on the cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterSpendStoreContractTests(ClickHouseClusterFixture cluster)
    : ClickHouseSpendStoreContractTests(cluster), IClassFixture<ClickHouseClusterFixture>;
