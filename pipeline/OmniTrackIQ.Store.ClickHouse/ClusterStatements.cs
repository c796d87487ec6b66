using System.Text.RegularExpressions;

namespace OmniTrackIQ.Store.ClickHouse;

/// <summary>
/// Turns the store's single-server DDL and mutations into their form on a replicated, sharded cluster
/// (<see cref="ClickHouseStoreOptions.Cluster"/>), so that one schema history (<see cref="Migrations"/>) serves both:
/// <list type="bullet">
/// <item><c>CREATE TABLE db.t (…) ENGINE = X(args) …</c> becomes <c>db.t_local</c> with <c>ReplicatedX</c> (its replication
/// path per shard and table, the replica from the <c>{replica}</c> macro) on every node, and <c>db.t</c>, a
/// <c>Distributed</c> table over it that every read and insert of the store goes through, unchanged.</item>
/// <item>Sharding is by workspace: every copy of one event (a client's retries through any node), every person's
/// journey and every attribution row of a workspace lie on one shard, so the replacing merge, the existence check,
/// the per-message-id reads and the run's per-person reads are shard-local and exact (reads run with
/// <c>distributed_product_mode = local</c>, see <see cref="ClusterSettingsHandler"/>).</item>
/// <item><c>CREATE MATERIALIZED VIEW db.v TO db.t AS SELECT … FROM db.s …</c> is made on every node from <c>db.s_local</c>
/// into <c>db.t_local</c>: an insert reaches one replica of a shard's local table, whose view fills that shard's target,
/// which replicates like any other table.</item>
/// <item><c>ALTER … ADD COLUMN</c> goes to both tables (the key change of a <c>MODIFY ORDER BY</c> only to the local one);
/// mutations (<c>DELETE</c>, <c>UPDATE</c>, <c>DROP PARTITION</c>) go to the local tables: a Distributed table has no parts.</item>
/// </list>
/// Every statement runs <c>ON CLUSTER</c>. A statement of another shape is returned as it is (reads, inserts).
/// </summary>
internal static partial class ClusterStatements
{
    /// <summary>The suffix of the replicated table that holds a shard's rows of a Distributed table.</summary>
    public const string LocalSuffix = "_local";

    public static IReadOnlyList<string> Rewrite(string statement, string cluster)
    {
        var on = $" ON CLUSTER {cluster}";
        var sql = statement.Trim();
        if (CreateDatabase().Match(sql) is { Success: true } database)
        {
            return [$"CREATE DATABASE IF NOT EXISTS {database.Groups["db"].Value}{on}"];
        }

        if (CreateTable().Match(sql) is { Success: true } table) { return CreateReplicated(table, on, cluster); }

        if (CreateView().Match(sql) is { Success: true } view)
        {
            var (db, name, target, select) = (view.Groups["db"].Value, view.Groups["view"].Value, view.Groups["target"].Value, view.Groups["select"].Value);
            return [$"CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.{name}{on} TO {db}.{target}{LocalSuffix} AS {ViewSource().Replace(select, $"$0{LocalSuffix}", 1)}"];
        }

        if (AlterTable().Match(sql) is { Success: true } alter)
        {
            var (db, name, clauses) = (alter.Groups["db"].Value, alter.Groups["table"].Value, alter.Groups["rest"].Value);
            var local = name.EndsWith(LocalSuffix, StringComparison.Ordinal) ? name : name + LocalSuffix;
            if (!SchemaChange().IsMatch(clauses)) { return [$"ALTER TABLE {db}.{local}{on} {clauses}"]; } // a mutation
            if (TopLevelClauses(clauses).Any(c => !c.StartsWith("ADD COLUMN ", StringComparison.Ordinal)))
            {
                throw new InvalidOperationException(
                    $"'{sql}' has no cluster form on 18.16 (only ADD COLUMN runs ON CLUSTER there); give its schema step an OnCluster form");
            }

            // 18.16 refuses an ALTER ON CLUSTER of a Distributed table over replicated shards (code 371, measured); it
            // holds no rows (inserts are synchronous), so it is made again over the widened local table.
            return
            [
                $"ALTER TABLE {db}.{local}{on} {clauses}",
                $"DROP TABLE IF EXISTS {db}.{name}{on}",
                Distributed(db, name, on, cluster, ShardingKeys.Value.GetValueOrDefault(name, "rand()")),
            ];
        }

        return [statement];
    }

    /// <summary>
    /// Every Distributed table of the schema history, made if missing. The migration runner runs these after the steps on
    /// every start: an ADD COLUMN drops and makes its Distributed table again, and a node killed between the two (or
    /// racing another node's step) must not leave the store without it.
    /// </summary>
    public static IEnumerable<string> EnsureDistributed(string db, string cluster) =>
        ShardingKeys.Value.Select(table => Distributed(db, table.Key, $" ON CLUSTER {cluster}", cluster, table.Value));

    private static List<string> CreateReplicated(Match table, string on, string cluster)
    {
        var (db, name, columns, engine, args, rest) = (table.Groups["db"].Value, table.Groups["table"].Value, table.Groups["columns"].Value,
            table.Groups["engine"].Value, table.Groups["args"].Value, table.Groups["rest"].Value);
        var replication = $"'/clickhouse/tables/{{shard}}/{db}/{name}', '{{replica}}'";
        var engineArgs = string.IsNullOrWhiteSpace(args) ? replication : $"{replication}, {args.Trim()}";
        return
        [
            $"CREATE TABLE IF NOT EXISTS {db}.{name}{LocalSuffix}{on} ({columns})\nENGINE = Replicated{engine}({engineArgs})\n{rest.Trim()}",
            Distributed(db, name, on, cluster, ShardingKey(columns)),
        ];
    }

    private static string Distributed(string db, string name, string on, string cluster, string shardingKey) =>
        $"CREATE TABLE IF NOT EXISTS {db}.{name}{on} AS {db}.{name}{LocalSuffix}\nENGINE = Distributed({cluster}, {db}, {name}{LocalSuffix}, {shardingKey})";

    /// <summary>Each table's sharding key, as its CREATE in the schema history gives it (an ALTER names no columns).</summary>
    private static readonly Lazy<Dictionary<string, string>> ShardingKeys = new(() =>
        Migrations.All.SelectMany(m => m.For("db", cluster: true))
            .Select(statement => CreateTable().Match(statement.Trim()))
            .Where(m => m.Success)
            .ToDictionary(m => m.Groups["table"].Value, m => ShardingKey(m.Groups["columns"].Value), StringComparer.Ordinal));

    /// <summary>The comma-separated clauses of an ALTER, split outside parentheses (a type or key may hold commas).</summary>
    internal static IEnumerable<string> TopLevelClauses(string clauses)
    {
        var (depth, start) = (0, 0);
        for (var i = 0; i < clauses.Length; i++)
        {
            switch (clauses[i])
            {
                case '(': depth++; break;
                case ')': depth--; break;
                case ',' when depth == 0:
                    yield return clauses[start..i].Trim();
                    start = i + 1;
                    break;
            }
        }

        yield return clauses[start..].Trim();
    }

    /// <summary>By workspace where the table has one (bad events of an unknown key have none); otherwise anywhere.</summary>
    internal static string ShardingKey(string columns) =>
        WorkspaceColumn().Match(columns) is { Success: true } column
            ? column.Groups["type"].Value.StartsWith("Nullable", StringComparison.Ordinal) ? "cityHash64(ifNull(workspace, ''))" : "cityHash64(workspace)"
            : "rand()";

    [GeneratedRegex(@"^CREATE DATABASE IF NOT EXISTS (?<db>\w+)$")]
    private static partial Regex CreateDatabase();

    [GeneratedRegex(@"^CREATE TABLE IF NOT EXISTS (?<db>\w+)\.(?<table>\w+) \((?<columns>.*)\)\s*ENGINE = (?<engine>\w*MergeTree)(\((?<args>[^)]*)\))?(?<rest>.*)$", RegexOptions.Singleline)]
    private static partial Regex CreateTable();

    [GeneratedRegex(@"^CREATE MATERIALIZED VIEW IF NOT EXISTS (?<db>\w+)\.(?<view>\w+) TO \k<db>\.(?<target>\w+)\s+AS (?<select>.*)$", RegexOptions.Singleline)]
    private static partial Regex CreateView();

    /// <summary>The table a view's SELECT reads (its first FROM).</summary>
    [GeneratedRegex(@"(?<=\bFROM )\w+\.\w+")]
    private static partial Regex ViewSource();

    [GeneratedRegex(@"^ALTER TABLE (?<db>\w+)\.(?<table>\w+) (?<rest>.*)$", RegexOptions.Singleline)]
    private static partial Regex AlterTable();

    [GeneratedRegex(@"^\s*(ADD COLUMN|MODIFY ORDER BY|MODIFY COLUMN|DROP COLUMN)\b")]
    private static partial Regex SchemaChange();

    [GeneratedRegex(@"(?:^|[,(\s])workspace (?<type>Nullable\(String\)|String)(?![\w(])")]
    private static partial Regex WorkspaceColumn();
}
