using DuckDB.NET.Data;
using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Paths;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// Writes the heuristic part of a run on the writer connection, inside the run's transaction: deletes the
/// rows of the people in scope (or of the whole workspace), then streams each person's computed
/// conversions, kept touches (a credit column per model) and paths into appenders, so a full run never
/// holds every result in memory.
/// </summary>
internal sealed class ResultWriter(DuckDBConnection connection, string workspace, DateTime computedAt)
{
    public void DeleteOld(DuckDBTransaction transaction, bool scoped)
    {
        if (!scoped)
        {
            foreach (var table in new[] { "attribution_touches", "conversions", "person_paths" })
            {
                WorkspaceSql.Execute(connection, transaction, workspace, $"DELETE FROM {table} WHERE workspace = $ws");
            }

            return;
        }

        // Conversions being recomputed may have been stored under another person (an order re-posted by a
        // different device), so they go by order id as well as by person.
        const string ScopedOrders = $"""
            SELECT order_id FROM events
            WHERE workspace = $ws AND type = 'conversion' AND order_id IS NOT NULL {JourneyReader.ScopeFilter}
            """;
        WorkspaceSql.Execute(connection, transaction, workspace, $"""
            DELETE FROM attribution_touches WHERE workspace = $ws AND (
                conversion_id IN ({ScopedOrders})
                OR conversion_id IN (SELECT conversion_id FROM conversions WHERE workspace = $ws AND person IN (SELECT k FROM attribution_scope)))
            """);
        WorkspaceSql.Execute(connection, transaction, workspace, $"""
            DELETE FROM conversions WHERE workspace = $ws AND (
                conversion_id IN ({ScopedOrders}) OR person IN (SELECT k FROM attribution_scope))
            """);
        WorkspaceSql.Execute(connection, transaction, workspace,
            "DELETE FROM person_paths WHERE workspace = $ws AND person IN (SELECT k FROM attribution_scope)");
    }

    /// <summary>Computes and appends every journey; returns conversions and people written.</summary>
    public (int Conversions, int People) Write(JourneyAttributor attributor, IEnumerable<PersonJourney> journeys, int totalPeople,
        IProgress<AttributionProgress>? progress)
    {
        var conversions = 0;
        var done = 0;
        using var conversionRows = connection.CreateAppender("conversions");
        using var touchRows = connection.CreateAppender("attribution_touches");
        using var pathRows = connection.CreateAppender("person_paths");
        foreach (var journey in journeys)
        {
            var result = attributor.Attribute(journey.Touches, journey.Conversions, journey.LeadTimestampMs);
            foreach (var attributed in result.Conversions)
            {
                AppendConversion(conversionRows, journey.Person, attributed);
                AppendTouches(touchRows, attributed);
                conversions++;
            }

            foreach (var path in result.Paths)
            {
                pathRows.CreateRow().AppendValue(workspace).AppendValue(journey.Person).AppendValue(path.ToString())
                    .AppendValue(path.Conversions).AppendValue(path.Value).AppendValue(path.Nulls).EndRow();
            }

            if (++done % ProgressEvery == 0) { progress?.Report(new AttributionProgress(done, Math.Max(done, totalPeople))); }
        }

        progress?.Report(new AttributionProgress(done, done));
        return (conversions, done);
    }

    private const int ProgressEvery = 1000;
    private readonly TouchRows _touchRows = new();

    private void AppendConversion(DuckDBAppender appender, string person, AttributedConversion attributed)
    {
        var conversion = attributed.Conversion;
        var row = appender.CreateRow().AppendValue(workspace).AppendValue(conversion.Id).AppendValue(person)
            .AppendValue(Time(conversion.TimestampMs)).AppendValue(conversion.Revenue);
        row = conversion.Currency is null ? row.AppendNullValue() : row.AppendValue(conversion.Currency);
        row = row.AppendValue(attributed.PathText).AppendValue(attributed.KeptIndices.Length).AppendValue(computedAt);
        (attributed.MissReason is null ? row.AppendNullValue() : row.AppendValue(attributed.MissReason)).EndRow();
    }

    /// <summary>One attribution_touches row per kept touch, with the credit of every heuristic model (<see cref="TouchRows"/>).</summary>
    private void AppendTouches(DuckDBAppender appender, AttributedConversion attributed) =>
        _touchRows.Write(attributed, (in TouchRow row) => Append(appender, attributed.Conversion, row));

    private void Append(DuckDBAppender appender, JourneyConversion conversion, in TouchRow touchRow)
    {
        var touch = touchRow.Touch;
        var row = appender.CreateRow()
            .AppendValue(workspace)
            .AppendValue(conversion.Id)
            .AppendValue(touchRow.TouchIndex)
            .AppendValue(touch?.Channel ?? AttributionSchema.NoTouchChannel)
            .AppendValue(touch?.Source)
            .AppendValue(touch?.Medium)
            .AppendValue(touch?.Campaign);
        row = touch is { } t ? row.AppendValue(Time(t.TimestampMs)) : row.AppendNullValue();
        row = row.AppendValue(Time(conversion.TimestampMs)).AppendValue(conversion.Revenue).AppendValue(touchRow.ChannelTouches);
        foreach (var credit in touchRow.Credits) { row = row.AppendValue(credit); }
        row.AppendValue(computedAt).EndRow();
    }

    private static DateTime Time(long epochMs) => DateTimeOffset.FromUnixTimeMilliseconds(epochMs).UtcDateTime;
}
