using ClickHouse.Driver;

namespace OmniTrackIQ.Store.ClickHouse.Attribution;

/// <summary>
/// Whether the replica a run reads lags behind another replica of its shard in the workspace's attribution rows, and
/// the newest run any replica holds. On a cluster a run reads and writes through Distributed tables, which 18.16 sends
/// to the server's own replica when it is one of the shard (inserts always, reads by <c>prefer_localhost_replica</c>),
/// so two attribute nodes on two servers take turns on two replicas, and replication between them is asynchronous. A
/// run that read its replica's older state would take a wider scope (harmless) but could number itself below the run
/// it did not see (the number comes from its node's clock): readers then kept the older run's channel models and rows
/// (issue 17). So the session asks every replica directly (<c>remote()</c> per address of <c>system.clusters</c>; one
/// that does not answer is skipped) and a lagging run recomputes everything it can see, numbered above the newest run.
/// </summary>
/// <param name="Behind">Another replica holds more of the workspace's rows in one of the run's tables.</param>
/// <param name="NewestRun">The highest run of the workspace in any replica's <c>attribution_state</c> (0 when none).</param>
internal readonly record struct ReplicaLag(bool Behind, ulong NewestRun)
{
    public static readonly ReplicaLag None = new(false, 0);

    /// <summary>The tables whose rows a run reads from earlier runs (attribution_people is one run's own).</summary>
    private static readonly string[] s_tables =
        ["attribution_state", "person_paths", "attribution_conversions", "attribution_touches", "attribution_channel_models", "identity_links"];

    /// <summary>ALL_CONNECTION_TRIES_FAILED, NETWORK_ERROR, SOCKET_TIMEOUT: the replica is down, the others decide.</summary>
    private static readonly HashSet<int> s_unreachable = [279, 210, 209];

    public static async Task<ReplicaLag> ReadAsync(ClickHouseDatabase database, string ws, CancellationToken cancellationToken)
    {
        if (database.Options.Cluster is not { } cluster) { return None; }
        var here = await CountsAsync(database, ws, t => $"{database.Name}.{t}", cancellationToken);
        var (behind, newest) = (false, here.Top);
        foreach (var replica in await ReplicasAsync(database, cluster, cancellationToken))
        {
            Counts there;
            try
            {
                there = await CountsAsync(database, ws, t => $"remote({SqlLiteral.String(replica)}, {database.Name}, {t}{ClusterStatements.LocalSuffix})", cancellationToken);
            }
            catch (ClickHouseServerException ex) when (s_unreachable.Contains(ex.ErrorCode))
            {
                continue;
            }

            newest = Math.Max(newest, there.Top);
            for (var i = 0; i < s_tables.Length; i++) { behind |= there.Rows[i] > here.Rows[i]; }
        }

        return new ReplicaLag(behind, newest);
    }

    /// <summary>Every server of the cluster as <c>host:port</c> (native port), as remote() takes it.</summary>
    private static async Task<List<string>> ReplicasAsync(ClickHouseDatabase database, string cluster, CancellationToken cancellationToken)
    {
        var replicas = new List<string>();
        await database.ReadRowsAsync(
            $"SELECT concat(host_address, ':', toString(port)) AS a FROM system.clusters WHERE cluster = {SqlLiteral.String(cluster)} ORDER BY shard_num, replica_num",
            row => replicas.Add(row.GetProperty("a").GetString()!), cancellationToken);
        return replicas;
    }

    private readonly record struct Counts(ulong[] Rows, ulong Top);

    /// <summary>The workspace's rows per table (in <see cref="s_tables"/> order) and its newest run, read from <paramref name="from"/>(table).</summary>
    private static async Task<Counts> CountsAsync(ClickHouseDatabase database, string ws, Func<string, string> from, CancellationToken cancellationToken)
    {
        var sql = string.Join("\nUNION ALL ", s_tables.Select((t, i) =>
            $"SELECT {i} AS i, count() AS n, {(i == 0 ? "max(run)" : "toUInt64(0)")} AS top FROM {from(t)} WHERE workspace = {ws}"));
        var rows = new ulong[s_tables.Length];
        ulong top = 0;
        await database.ReadRowsAsync(sql, row =>
        {
            var i = (int)ClickHouseDatabase.Number(row.GetProperty("i"));
            rows[i] = (ulong)ClickHouseDatabase.Number(row.GetProperty("n"));
            top = Math.Max(top, (ulong)ClickHouseDatabase.Number(row.GetProperty("top")));
        }, cancellationToken);
        return new Counts(rows, top);
    }
}
