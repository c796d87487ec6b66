using OmniTrackIQ.Store.ClickHouse;
using OmniTrackIQ.Store.ClickHouse.Orders;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>The cluster form of the store's DDL and mutations (<see cref="ClusterStatements"/>), statement by statement.</summary>
public sealed class ClusterStatementsTests
{
    [Fact]
    public void A_database_is_made_on_every_node()
    {
        Assert.Equal(["CREATE DATABASE IF NOT EXISTS otq ON CLUSTER c1"], ClusterStatements.Rewrite("CREATE DATABASE IF NOT EXISTS otq", "c1"));
    }

    [Fact]
    public void A_table_becomes_a_replicated_local_table_and_a_Distributed_table_sharded_by_workspace()
    {
        var statements = ClusterStatements.Rewrite(EventsSchema.CreateClusterEvents("otq"), "c1");

        Assert.Equal(2, statements.Count);
        Assert.StartsWith("CREATE TABLE IF NOT EXISTS otq.events_local ON CLUSTER c1 (", statements[0], StringComparison.Ordinal);
        Assert.Contains("ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/otq/events', '{replica}', load_ms)", statements[0], StringComparison.Ordinal);
        Assert.Contains("ORDER BY (workspace, message_id)", statements[0], StringComparison.Ordinal);
        Assert.Contains("PARTITION BY toYYYYMM(", statements[0], StringComparison.Ordinal);
        Assert.Equal("CREATE TABLE IF NOT EXISTS otq.events ON CLUSTER c1 AS otq.events_local\nENGINE = Distributed(c1, otq, events_local, cityHash64(workspace))",
            statements[1]);
    }

    [Theory]
    [InlineData("CREATE TABLE IF NOT EXISTS otq.t (workspace Nullable(String), x String)\nENGINE = MergeTree\nORDER BY x",
        "ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/otq/t', '{replica}')", "cityHash64(ifNull(workspace, ''))")]
    [InlineData("CREATE TABLE IF NOT EXISTS otq.t (version UInt32)\nENGINE = ReplacingMergeTree\nORDER BY version",
        "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/otq/t', '{replica}')", "rand()")]
    [InlineData("CREATE TABLE IF NOT EXISTS otq.t (a String, workspace String, run UInt64)\nENGINE = ReplacingMergeTree(run)\nORDER BY workspace",
        "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/otq/t', '{replica}', run)", "cityHash64(workspace)")]
    public void The_engine_and_the_sharding_key_follow_the_table(string create, string engine, string shardingKey)
    {
        var statements = ClusterStatements.Rewrite(create, "c1");

        Assert.Contains(engine, statements[0], StringComparison.Ordinal);
        Assert.EndsWith($", {shardingKey})", statements[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Every_schema_step_has_a_cluster_form()
    {
        foreach (var migration in Migrations.All)
        {
            foreach (var statement in migration.For("otq", cluster: true))
            {
                var rewritten = ClusterStatements.Rewrite(statement, "c1");
                if (statement.StartsWith("INSERT ", StringComparison.Ordinal))
                {
                    // A step that fills a table writes through its Distributed table, sharded as the rows it reads.
                    Assert.Equal([statement], rewritten);
                    continue;
                }

                Assert.All(rewritten, s => Assert.Contains(" ON CLUSTER c1", s, StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void A_materialized_view_is_made_on_every_node_from_the_local_source_into_the_local_target()
    {
        var statements = ClusterStatements.Rewrite(OrderReports.CreateView("otq"), "c1");

        var view = Assert.Single(statements);
        Assert.StartsWith("CREATE MATERIALIZED VIEW IF NOT EXISTS otq.order_reports_mv ON CLUSTER c1 TO otq.order_reports_local AS SELECT workspace, message_id, ", view,
            StringComparison.Ordinal);
        Assert.EndsWith(" FROM otq.events_local WHERE type = 'conversion' AND isNotNull(order_id)", view, StringComparison.Ordinal);
    }

    [Fact]
    public void An_added_column_widens_the_local_table_and_the_Distributed_table_is_made_again_over_it()
    {
        var statements = ClusterStatements.Rewrite(EventsSchema.AddColumn("otq", "order_updated_at"), "c1");

        Assert.Equal(
        [
            "ALTER TABLE otq.events_local ON CLUSTER c1 ADD COLUMN order_updated_at Nullable(Int64)",
            "DROP TABLE IF EXISTS otq.events ON CLUSTER c1",
            "CREATE TABLE IF NOT EXISTS otq.events ON CLUSTER c1 AS otq.events_local\nENGINE = Distributed(c1, otq, events_local, cityHash64(workspace))",
        ], statements);
    }

    [Fact]
    public void Every_table_of_the_history_has_its_Distributed_table_made_again_if_missing()
    {
        var statements = ClusterStatements.EnsureDistributed("otq", "c1").ToList();

        Assert.Contains("CREATE TABLE IF NOT EXISTS otq.events ON CLUSTER c1 AS otq.events_local\nENGINE = Distributed(c1, otq, events_local, cityHash64(workspace))", statements);
        Assert.Contains("CREATE TABLE IF NOT EXISTS otq.bad_events ON CLUSTER c1 AS otq.bad_events_local\nENGINE = Distributed(c1, otq, bad_events_local, cityHash64(ifNull(workspace, '')))", statements);
        Assert.Equal(Migrations.All.SelectMany(m => m.For("otq", cluster: true)).Count(s => s.TrimStart().StartsWith("CREATE TABLE", StringComparison.Ordinal)),
            statements.Count); // every CREATE of the history (schema_migrations, made before the steps, is never altered)
    }

    [Fact]
    public void A_key_change_has_no_cluster_form_and_says_so()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ClusterStatements.Rewrite("ALTER TABLE otq.ad_spend ADD COLUMN a String, MODIFY ORDER BY (workspace, a)", "c1"));
        Assert.Contains("OnCluster", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ALTER TABLE otq.events DELETE WHERE workspace = 'w'", "ALTER TABLE otq.events_local ON CLUSTER c1 DELETE WHERE workspace = 'w'")]
    [InlineData("ALTER TABLE otq.bad_events DROP PARTITION 202609", "ALTER TABLE otq.bad_events_local ON CLUSTER c1 DROP PARTITION 202609")]
    [InlineData("ALTER TABLE otq.person_paths_local DELETE WHERE person = 'p'", "ALTER TABLE otq.person_paths_local ON CLUSTER c1 DELETE WHERE person = 'p'")]
    [InlineData("ALTER TABLE otq.attribution_conversions UPDATE person = concat('erased:', conversion_id) WHERE person = 'p'",
        "ALTER TABLE otq.attribution_conversions_local ON CLUSTER c1 UPDATE person = concat('erased:', conversion_id) WHERE person = 'p'")]
    public void A_mutation_runs_on_the_local_tables(string statement, string expected)
    {
        Assert.Equal([expected], ClusterStatements.Rewrite(statement, "c1"));
    }

    [Theory]
    [InlineData("SELECT count() FROM otq.events")]
    [InlineData("INSERT INTO otq.schema_migrations (version, description, applied_at) VALUES (1, 'events', 0)")]
    public void Reads_and_inserts_stay_as_they_are(string statement)
    {
        Assert.Equal([statement], ClusterStatements.Rewrite(statement, "c1"));
    }
}
