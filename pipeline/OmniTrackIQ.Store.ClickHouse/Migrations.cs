namespace OmniTrackIQ.Store.ClickHouse;

/// <summary>
/// One numbered schema step: statements run in order, each one statement (the HTTP interface takes one per request).
/// On a cluster each statement runs in its cluster form (<see cref="ClusterStatements"/>), or, where that form cannot
/// exist on 18.16, the step gives its own <paramref name="OnCluster"/> statements.
/// </summary>
internal sealed record Migration(int Version, string Description, Func<string, IReadOnlyList<string>> Statements,
    Func<string, IReadOnlyList<string>>? OnCluster = null)
{
    public IReadOnlyList<string> For(string database, bool cluster) => cluster && OnCluster is { } onCluster ? onCluster(database) : Statements(database);
}

/// <summary>
/// The schema's history. Append only: a released step is never edited, a change is a new step. Each statement
/// must be safe to run twice (CREATE … IF NOT EXISTS; an ALTER ADD COLUMN whose "already exists" answer the
/// runner accepts; an INSERT … SELECT whose rows may be there twice), because two nodes starting together may both apply a step.
/// </summary>
internal static class Migrations
{
    public static readonly IReadOnlyList<Migration> All =
    [
        new(1, "events", db => [EventsSchema.CreateEvents(db)], OnCluster: db => [EventsSchema.CreateClusterEvents(db)]),
        new(2, "bad_events", db => [EventsSchema.CreateBadEvents(db)]),
        // Numbers go in blocks so that parallel work cannot collide: 1–9 ingest, 10–19 spend and orders, 20+ attribution.
        // 18.16 runs no MODIFY ORDER BY ON CLUSTER (code 48, measured), so a cluster gets ad_spend at step 12's shape at once.
        new(10, "ad_spend", db => [Spend.SpendSchema.CreateAdSpend(db)], OnCluster: db => [Spend.SpendSchema.CreateAdSpendWithLevels(db)]),
        new(11, "events.order_updated_at", db => [EventsSchema.AddColumn(db, "order_updated_at")]),
        new(12, "ad_spend levels", db => [Spend.SpendSchema.AddLevels(db)], OnCluster: _ => []),
        new(13, "order_reports", db => [Orders.OrderReports.Create(db), Orders.OrderReports.CreateView(db), Orders.OrderReports.Fill(db)]),
        .. Attribution.AttributionTables.Migrations,
    ];
}
