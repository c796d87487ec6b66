using System.Text.Json;
using OmniTrackIQ.Attribution.Journeys;

namespace OmniTrackIQ.Store.ClickHouse.Attribution;

/// <summary>Reads one row of <see cref="JourneySql.Journeys"/> (a person and their sorted events) into a journey by the shared rules.</summary>
internal sealed class JourneyRows(IReadOnlyDictionary<string, long> leadMs)
{
    private readonly JourneyAssembler _assembler = new(leadMs);
    private readonly StringPool _strings = new();

    public PersonJourney Read(JsonElement row)
    {
        var person = row.GetProperty("person").GetString()!;
        foreach (var e in row.GetProperty("events").EnumerateArray())
        {
            // The tuple of JourneySql.EventColumns, read by position.
            var conversion = ClickHouseDatabase.Number(e[0]) == 1;
            _assembler.Add(new JourneyEvent(person, conversion, ClickHouseDatabase.Number(e[1]), Pooled(e[3])!, Pooled(e[4]), Pooled(e[5]), Pooled(e[6]),
                conversion ? e[7].GetString() : null, e[8].GetDouble(), Pooled(e[9])));
        }

        return _assembler.Finish() ?? new PersonJourney(person, [], [], null);
    }

    private string? Pooled(JsonElement value) => _strings.Intern(value.ValueKind == JsonValueKind.Null ? null : value.GetString());
}
