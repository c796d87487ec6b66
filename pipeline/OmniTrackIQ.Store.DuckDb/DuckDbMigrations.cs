using DuckDB.NET.Data;
using OmniTrackIQ.Pipeline.Startup;
using OmniTrackIQ.Store.DuckDb.Attribution;
using OmniTrackIQ.Store.DuckDb.Orders;
using OmniTrackIQ.Store.DuckDb.Spend;

namespace OmniTrackIQ.Store.DuckDb;

/// <summary>
/// The embedded store's start-up step. DuckDB is in the process, so opening the file is the step: the
/// <see cref="DuckDbDatabase"/> constructor applies <see cref="Apply"/> before anything can use it, and every table, view
/// and column exists from then on (readers never make tables). Every statement is idempotent (IF NOT EXISTS, ADD COLUMN
/// IF NOT EXISTS, CREATE OR REPLACE VIEW), so a file made by any earlier version is brought up to date on open.
/// </summary>
public sealed class DuckDbMigrations : IStoreMigrations
{
    /// <param name="database">The opened database: making this object opened it, and opening it ran the step.</param>
    public DuckDbMigrations(DuckDbDatabase database) => ArgumentNullException.ThrowIfNull(database);

    /// <summary>Nothing left to do once the database is open (see the constructor).</summary>
    public Task MigrateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The schema, in dependency order: events before the orders view over them, the touches before the results view.</summary>
    internal static void Apply(DuckDBConnection connection)
    {
        DuckDbEventStore.Execute(connection, EventsSchema.CreateEvents);
        DuckDbEventStore.Execute(connection, EventsSchema.CreateStaging);
        DuckDbEventStore.Execute(connection, EventsSchema.CreateBadEvents);
        DuckDbEventStore.Execute(connection, OrdersSchema.CreateView);
        DuckDbEventStore.Execute(connection, AdSpendSchema.CreateTables);
        DropResultsTable(connection);
        var hadJourneys = Count(connection, JourneysTable.Exists) > 0;
        DuckDbEventStore.Execute(connection, AttributionSchema.Create + AttributionSchema.CreateResultsView + PathCountsTable.Create + PersonMapTable.Create
            + JourneyEventsTable.Create + EventKeysTable.Create + JourneysTable.Create
            + ChannelModelCountsTable.Create); // channel_model_counts: a file from before it gets them at its next run
        DuckDbEventStore.Execute(connection, PathCountsTable.Backfill); // a file from before path_counts: its counts, once
        PersonMapTable.Backfill(connection); // a file from before identity_people: its people, once
        DuckDbEventStore.Execute(connection, JourneyEventsTable.Backfill); // a file from before journey_events: the events its last run covered, once
        DuckDbEventStore.Execute(connection, EventKeysTable.Backfill); // a file from before event_keys: the keys of its events, once
        DuckDbEventStore.Execute(connection, EventKeysTable.OrdersBackfill); // a file from before order keys: its orders' first reports, once
        // A file from before attribution_journeys: its next run recomputes everything, which stores every person's journey.
        if (!hadJourneys) { DuckDbEventStore.Execute(connection, "DELETE FROM attribution_state"); }
    }

    private static long Count(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Files from before the results view kept attribution_results as a table: dropped, with the run state, so the next run recomputes all.</summary>
    private static void DropResultsTable(DuckDBConnection connection)
    {
        if (Count(connection, AttributionSchema.ResultsTableExists) > 0)
        {
            DuckDbEventStore.Execute(connection, "DROP TABLE attribution_results; DROP TABLE IF EXISTS attribution_state;");
        }
    }
}
