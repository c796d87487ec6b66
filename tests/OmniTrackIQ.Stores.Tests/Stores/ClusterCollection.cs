namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>
/// The cluster tests run in two lines side by side, each line one class after another: on one line the whole cluster
/// chain was the suite's critical path (394 s of Stores.Tests' 501 s on a quiet machine, the other classes done long
/// before); two lines took the suite to 340 s. The test that stops a node is in <see cref="ClusterNodeStopsCollection"/>.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection
{
    public const string Name = "ClickHouse cluster";

    /// <summary>The second line: the attribution, order list and event contract suites.</summary>
    public const string Second = "ClickHouse cluster, second line";
}

/// <summary>The second line of <see cref="ClusterCollection"/>.</summary>
[CollectionDefinition(ClusterCollection.Second)]
public sealed class ClusterSecondLineCollection;

/// <summary>
/// Tests that stop a node run after every other test of the assembly, with nothing beside them (xunit runs collections
/// that disable parallelization last, one at a time): a schema step ON CLUSTER of another test's database would wait
/// for the stopped node meanwhile.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterNodeStopsCollection
{
    public const string Name = "ClickHouse cluster, a node stopped";
}
