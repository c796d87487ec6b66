using ClickHouse.Driver;
using OmniTrackIQ.Pipeline.Startup;

namespace OmniTrackIQ.Store.ClickHouse;

/// <summary>
/// The store's start-up step: brings a database to the newest schema (creates it, then applies each step of
/// <see cref="Migrations"/> not yet recorded in <c>schema_migrations</c>; on a cluster each ON CLUSTER, then the
/// Distributed tables), and marks the store ready. Readers refuse until then (<see cref="StoreReadiness.ThrowIfNotReady"/>);
/// the host runs it at start and retries while the server is down, a CLI verb runs it once before its work.
/// Concurrent runs are safe because every statement is idempotent; the worst a race costs is a step run twice and
/// recorded twice (the table collapses rows by version).
/// </summary>
public sealed class ClickHouseMigrations(ClickHouseDatabase database, StoreReadiness readiness, TimeProvider time) : IStoreMigrations
{
    /// <summary>Answers to a re-run ALTER ADD COLUMN that mean "already done": 44 on 18.16 (measured: "column with this name already exists"), DUPLICATE_COLUMN 15 on current servers.</summary>
    private static readonly HashSet<int> AlreadyAppliedCodes = [15, 44];

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var db = database.Name;
        await database.ExecuteAsync($"CREATE DATABASE IF NOT EXISTS {db}", cancellationToken);
        await database.ExecuteAsync(EventsSchema.CreateMigrations(db), cancellationToken);

        var applied = new HashSet<long>();
        await database.ReadRowsAsync($"SELECT DISTINCT version FROM {database.Table("schema_migrations")}",
            row => applied.Add(ClickHouseDatabase.Number(row.GetProperty("version"))), cancellationToken);

        foreach (var migration in Migrations.All)
        {
            if (applied.Contains(migration.Version)) { continue; }
            foreach (var statement in migration.For(db, database.Options.Cluster is not null)) { await RunIdempotentAsync(statement, cancellationToken); }
            await database.ExecuteAsync(
                $"INSERT INTO {database.Table("schema_migrations")} (version, description, applied_at) VALUES " +
                $"({migration.Version}, {SqlLiteral.String(migration.Description)}, {SqlLiteral.Integer(time.GetUtcNow().ToUnixTimeMilliseconds())})",
                cancellationToken);
        }

        if (database.Options.Cluster is { } cluster)
        {
            foreach (var statement in ClusterStatements.EnsureDistributed(db, cluster)) { await database.ExecuteAsync(statement, cancellationToken); }
        }

        readiness.MarkReady();
    }

    private async Task RunIdempotentAsync(string statement, CancellationToken cancellationToken)
    {
        // A step that fills a new table from stored rows: the statement holds a SELECT (see InsertSelectAsync).
        if (statement.StartsWith("INSERT ", StringComparison.Ordinal))
        {
            await database.InsertSelectAsync(statement, cancellationToken);
            return;
        }

        try
        {
            await database.ExecuteAsync(statement, cancellationToken);
        }
        catch (ClickHouseServerException ex) when (statement.Contains("ALTER", StringComparison.Ordinal) && AlreadyApplied(ex))
        {
            // Another node applied this step a moment ago.
        }
    }

    /// <summary>
    /// On a cluster the answer of a statement run ON CLUSTER quotes the failing host's own error ("There was an error on
    /// [host]: Code: 44, …") under a code of its own, so the quoted code counts too.
    /// </summary>
    private static bool AlreadyApplied(ClickHouseServerException ex) =>
        AlreadyAppliedCodes.Contains(ex.ErrorCode) ||
        AlreadyAppliedCodes.Any(code => ex.Message.Contains("error on [", StringComparison.Ordinal) && ex.Message.Contains($"Code: {code},", StringComparison.Ordinal));
}
