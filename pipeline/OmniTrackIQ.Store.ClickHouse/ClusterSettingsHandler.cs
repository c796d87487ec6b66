using System.Web;

namespace OmniTrackIQ.Store.ClickHouse;

/// <summary>
/// The settings every request of the store carries on a cluster (<see cref="ClickHouseStoreOptions.Cluster"/>):
/// <list type="bullet">
/// <item><c>insert_distributed_sync = 1</c>: an insert through a Distributed table answers once the shard has the rows, so
/// the sink's existence check and the reads that follow see them (asynchronous sends could let a retried batch in twice,
/// and a 2xx of the sink would not mean stored).</item>
/// <item><c>distributed_product_mode = local</c>: a subquery or join over another Distributed table runs on each shard against
/// its local table. Every such query of the store is per workspace, and a workspace lies on one shard
/// (<see cref="ClusterStatements"/>), so the local answer is the whole answer; without it the server refuses the query.</item>
/// <item><c>load_balancing = in_order</c>: inserts and reads go to a shard's first live replica, so a read sees what the
/// insert before it wrote (a random replica may not have fetched it yet: measured, the contract tests read 0 rows). While
/// that replica is down both go to the next one; a replica back from an outage catches up from the replication log. A
/// server that is a replica of the shard keeps both on itself (18.16 inserts locally; <c>prefer_localhost_replica</c>),
/// so nodes on two servers may read two replicas: attribution runs check for that (<c>Attribution.ReplicaLag</c>).</item>
/// </list>
/// </summary>
internal sealed class ClusterSettingsHandler : DelegatingHandler
{
    internal static readonly (string Name, string Value)[] Settings = [("insert_distributed_sync", "1"), ("distributed_product_mode", "local"), ("load_balancing", "in_order")];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } uri) { request.RequestUri = WithSettings(uri); }
        return base.SendAsync(request, cancellationToken);
    }

    internal static Uri WithSettings(Uri uri)
    {
        var query = HttpUtility.ParseQueryString(uri.Query);
        foreach (var (name, value) in Settings) { query[name] = value; }
        return new UriBuilder(uri) { Query = query.ToString() }.Uri;
    }
}
