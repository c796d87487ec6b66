using System.Text.Json;
using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Runs;

namespace OmniTrackIQ.Store.ClickHouse.Attribution;

/// <summary>
/// A tick's journeys assembled in this process from <see cref="ScopeJourneySql"/>'s two flat reads: each event's key
/// mapped to its person by the run's own map, every person's events sorted by (time, message id) as the server's
/// <c>arraySort</c> sorted them, and the journeys handed out in person order. For scopes the orchestrator reads
/// ahead anyway (a few thousand keys), so holding their events costs no more than holding their journeys; a larger
/// scope streams from <see cref="JourneySql.Journeys"/>.
/// </summary>
internal static class ScopeJourneys
{
    public static async Task<List<PersonJourney>> ReadAsync(ClickHouseDatabase database, string ws, JourneyScope scope, ExternalTable people,
        CancellationToken cancellationToken)
    {
        var db = database.Name;
        var prewhere = database.Options.Cluster is null;
        var inScope = scope.Keys!.ToHashSet(StringComparer.Ordinal);
        var strings = new StringPool();
        var events = new List<ScopeEvent>();
        var orders = new ExternalTable(JourneySql.ScopeOrdersTable, "o String");
        var orderIds = new HashSet<string>(StringComparer.Ordinal);
        string? Pooled(JsonElement value) => strings.Intern(value.ValueKind == JsonValueKind.Null ? null : value.GetString());
        string PersonOf(string key) => scope.People.Find(key) is { Length: > 0 } person ? person : key;

        await database.ReadRowsWithTableAsync(ScopeJourneySql.Events(db, ws, prewhere), people, row =>
        {
            if (ClickHouseDatabase.Number(row.GetProperty("is_conversion")) == 1)
            {
                if (orderIds.Add(row.GetProperty("order_id").GetString()!)) { orders.AddRow(row.GetProperty("order_id").GetString()!); }
                return;
            }

            var key = row.GetProperty("k").GetString()!;
            events.Add(new ScopeEvent(ClickHouseDatabase.Number(row.GetProperty("ts")), row.GetProperty("message_id").GetString()!,
                new JourneyEvent(PersonOf(key), false, ClickHouseDatabase.Number(row.GetProperty("ts")), Pooled(row.GetProperty("channel"))!,
                    Pooled(row.GetProperty("source")), Pooled(row.GetProperty("medium")), Pooled(row.GetProperty("campaign")), null, 0, null)));
        }, cancellationToken);

        if (orders.Rows > 0)
        {
            await database.ReadRowsWithTableAsync(ScopeJourneySql.Conversions(db, ws, prewhere), orders, row =>
            {
                // An order whose earliest keyed report is another person's is that person's conversion, not this scope's.
                var key = row.GetProperty("k").GetString()!;
                if (!inScope.Contains(key)) { return; }
                var ts = ClickHouseDatabase.Number(row.GetProperty("ts"));
                events.Add(new ScopeEvent(ts, row.GetProperty("message_id").GetString()!,
                    new JourneyEvent(PersonOf(key), true, ts, "Direct", null, null, null, row.GetProperty("order_id").GetString(),
                        row.GetProperty("revenue").GetDouble(), Pooled(row.GetProperty("currency")))));
            }, cancellationToken);
        }

        events.Sort(static (a, b) => Compare(a, b));
        var journeys = new List<PersonJourney>();
        var assembler = new JourneyAssembler(scope.LeadMs);
        foreach (var e in events)
        {
            if (assembler.Add(e.Event) is { } journey) { journeys.Add(journey); }
        }

        if (assembler.Finish() is { } last) { journeys.Add(last); }
        return journeys;
    }

    /// <summary>By person, time, message id: strings in ClickHouse's byte order (<see cref="Utf8Order"/>).</summary>
    private static int Compare(in ScopeEvent a, in ScopeEvent b)
    {
        var byPerson = Utf8Order.Compare(a.Event.Person, b.Event.Person);
        if (byPerson != 0) { return byPerson; }
        var byTime = a.TimestampMs.CompareTo(b.TimestampMs);
        return byTime != 0 ? byTime : Utf8Order.Compare(a.MessageId, b.MessageId);
    }

    private readonly record struct ScopeEvent(long TimestampMs, string MessageId, JourneyEvent Event);
}
