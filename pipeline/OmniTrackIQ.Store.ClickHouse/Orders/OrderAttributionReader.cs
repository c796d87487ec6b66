using OmniTrackIQ.Pipeline.Orders;

namespace OmniTrackIQ.Store.ClickHouse.Orders;

/// <summary>What the attribution worker made of one order: its current conversion row and that run's touches.</summary>
internal sealed record OrderAttribution(string Person, string Path, string? MissReason, IReadOnlyList<OrderTouch> Touches);

/// <summary>
/// Reads <c>attribution_conversions</c> (the current row of a conversion is the one of its largest run) and
/// <c>attribution_touches</c> of exactly that run. The run is read first and then named as a literal, so a run
/// written meanwhile cannot mix its touches into the older row. Before the first attribution run the tables do
/// not exist: then there is nothing, as in DuckDB.
/// </summary>
internal sealed class OrderAttributionReader(ClickHouseDatabase database)
{
    private const string Conversions = "attribution_conversions";
    private const string Touches = "attribution_touches";

    // Tables are never dropped, so once seen they are not asked about again; absence is asked every time.
    private volatile bool _tablesSeen;

    public async Task<OrderAttribution?> ReadAsync(string workspace, string orderId, CancellationToken cancellationToken)
    {
        if (!await TablesExistAsync(cancellationToken)) { return null; }
        var ws = SqlLiteral.String(workspace);
        var id = SqlLiteral.String(orderId);

        // The Nullable miss_reason goes inside a tuple: argMax would skip the rows where it is NULL.
        (string Person, string Path, string? Miss, long Run)? current = null;
        await database.ReadRowsAsync($"""
            SELECT argMax(tuple(person, path, miss_reason), run) AS c, max(run) AS current_run
            FROM {database.Table(Conversions)}
            WHERE workspace = {ws} AND conversion_id = {id}
            GROUP BY conversion_id
            """, row =>
        {
            var c = row.GetProperty("c");
            current = (c[0].GetString()!, c[1].GetString()!, c[2].GetString(), ClickHouseDatabase.Number(row.GetProperty("current_run")));
        }, cancellationToken);
        if (current is not { } conversion) { return null; }

        // touches is a plain MergeTree: a retried insert of a run can leave a touch twice, so one row per index.
        var touches = new List<OrderTouch>();
        await database.ReadRowsAsync($"""
            SELECT touch_index, channel, source, medium, campaign, touch_ts, credit_linear
            FROM {database.Table(Touches)}
            WHERE workspace = {ws} AND conversion_id = {id} AND run = {SqlLiteral.Integer(conversion.Run)}
            ORDER BY touch_index
            LIMIT 1 BY touch_index
            """, row => touches.Add(new OrderTouch(
                (int)ClickHouseDatabase.Number(row.GetProperty("touch_index")), Json.Text(row, "channel")!, Json.Text(row, "source"),
                Json.Text(row, "medium"), Json.Text(row, "campaign"), TouchTime(row.GetProperty("touch_ts")), row.GetProperty("credit_linear").GetDouble())),
            cancellationToken);
        return new OrderAttribution(conversion.Person, conversion.Path, conversion.Miss, touches);
    }

    private async Task<bool> TablesExistAsync(CancellationToken cancellationToken)
    {
        if (_tablesSeen) { return true; }
        var count = 0L;
        await database.ReadRowsAsync(
            $"SELECT count() AS n FROM system.tables WHERE database = {SqlLiteral.String(database.Name)} AND name IN ('{Conversions}', '{Touches}')",
            row => count = ClickHouseDatabase.Number(row.GetProperty("n")), cancellationToken);
        _tablesSeen = count == 2;
        return _tablesSeen;
    }

    /// <summary>The "(none)" row of a conversion without a touch stores 0 for its time (the column is not nullable): no time.</summary>
    private static DateTime? TouchTime(System.Text.Json.JsonElement value) => ClickHouseDatabase.Number(value) == 0 ? null : Json.Utc(value);
}
