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
/// <param name="Behind">Another replica holds a newer run of the workspace, or more of its paths or identity links.</param>
/// <param name="NewestRun">The highest run of the workspace in any replica's <c>attribution_state</c> (0 when none).</param>
internal readonly record struct ReplicaLag(bool Behind, ulong NewestRun)
{
    public static readonly ReplicaLag None = new(false, 0);

    /// <summary>
    /// What a run takes from earlier runs, each measured so that a merge leaves the figure as it is and a fetched part
    /// raises it: the newest run (<c>attribution_state</c> replaces by run), every person's paths (the models' fit) and
    /// the identity links (the scope) and the runs' model counts (a tick carries the last run's forward), all plain MergeTree. Conversions and touches are not: readers take each
    /// conversion's newest row of a valid run, so one that arrives late still counts, and a replacing merge lowers their count.
    /// The order reports too (plain MergeTree): a tick reads its orders' reports there, and a replica that has fetched an
    /// event's part before the part its view wrote would otherwise credit a journey without its conversion.
    /// The links' copy sorted by person (<see cref="LinksByPerson"/>), for the same reason: a tick follows links through it.
    /// </summary>
    private static readonly (string Table, string Measure)[] s_measures =
        [("attribution_state", "max(run)"), ("person_paths", "count()"), ("identity_links", "count()"), (ModelCounts.Table, "count()"), (Orders.OrderReports.Table, "count()"),
         (LinksByPerson.Table, "count()")];

    /// <summary>ALL_CONNECTION_TRIES_FAILED, NETWORK_ERROR, SOCKET_TIMEOUT: the replica is down, the others decide.</summary>
    private static readonly HashSet<int> s_unreachable = [279, 210, 209];

    public static async Task<ReplicaLag> ReadAsync(ClickHouseDatabase database, string ws, CancellationToken cancellationToken)
    {
        if (database.Options.Cluster is not { } cluster) { return None; }
        return await ReadAsync(database, ws, await ReplicasAsync(database, cluster, cancellationToken), cancellationToken);
    }

    /// <summary>Compares the replica the Distributed tables read with each of <paramref name="replicas"/> (<c>host:port</c>).</summary>
    internal static async Task<ReplicaLag> ReadAsync(ClickHouseDatabase database, string ws, IReadOnlyList<string> replicas, CancellationToken cancellationToken)
    {
        var here = await MeasureAsync(database, ws, t => $"{database.Name}.{t}", cancellationToken);
        var (behind, newest) = (false, here[0]);
        foreach (var replica in replicas)
        {
            ulong[] there;
            try
            {
                there = await MeasureAsync(database, ws, t => $"remote({SqlLiteral.String(replica)}, {database.Name}, {t}{ClusterStatements.LocalSuffix})", cancellationToken);
            }
            catch (ClickHouseServerException ex) when (s_unreachable.Contains(ex.ErrorCode))
            {
                continue;
            }

            newest = Math.Max(newest, there[0]);
            for (var i = 0; i < s_measures.Length; i++) { behind |= there[i] > here[i]; }
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

    /// <summary>The workspace's <see cref="s_measures"/>, in their order, read from <paramref name="from"/>(table).</summary>
    private static async Task<ulong[]> MeasureAsync(ClickHouseDatabase database, string ws, Func<string, string> from, CancellationToken cancellationToken)
    {
        var sql = string.Join("\nUNION ALL ", s_measures.Select((m, i) => $"SELECT {i} AS i, toUInt64({m.Measure}) AS n FROM {from(m.Table)} WHERE workspace = {ws}"));
        var measures = new ulong[s_measures.Length];
        await database.ReadRowsAsync(sql, row => measures[(int)ClickHouseDatabase.Number(row.GetProperty("i"))] = (ulong)ClickHouseDatabase.Number(row.GetProperty("n")),
            cancellationToken);
        return measures;
    }
}
