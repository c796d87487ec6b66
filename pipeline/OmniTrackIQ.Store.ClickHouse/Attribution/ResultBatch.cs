using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Store.ClickHouse.Attribution;

/// <summary>
/// The rows one run writes, buffered and sent in batches of about <see cref="FlushRows"/> (ClickHouse wants few, large
/// inserts): conversions, their kept touches (a credit column per heuristic model) and each person's paths.
/// </summary>
internal sealed class ResultBatch(ClickHouseDatabase database, string workspace, ulong run)
{
    public const int FlushRows = 50_000;

    private readonly TouchRows _touchRows = new();
    private List<object?[]> _conversions = [];
    private List<object?[]> _touches = [];
    private List<object?[]> _paths = [];

    public int Conversions { get; private set; }

    public bool Full => _touches.Count + _conversions.Count + _paths.Count >= FlushRows;

    public void Add(PersonJourney journey, JourneyResult result)
    {
        foreach (var attributed in result.Conversions)
        {
            var conversion = attributed.Conversion;
            _conversions.Add([workspace, conversion.Id, journey.Person, conversion.TimestampMs, conversion.Revenue, conversion.Currency,
                attributed.PathText, (ushort)attributed.KeptIndices.Length, attributed.MissReason, run]);
            _touchRows.Write(attributed, (in TouchRow row) => _touches.Add(TouchRow(conversion, row)));
            Conversions++;
        }

        foreach (var path in result.Paths)
        {
            _paths.Add([workspace, journey.Person, run, path.ToString(), path.Conversions, path.Value, path.Nulls, (byte)0]);
        }
    }

    /// <summary>A person merged into another since the last run: its old paths stop counting.</summary>
    public void AddMergedAway(string person) => _paths.Add([workspace, person, run, "", 0d, 0d, 0d, (byte)1]);

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var (conversions, touches, paths) = (_conversions, _touches, _paths);
        (_conversions, _touches, _paths) = ([], [], []);
        // Touches before their conversions: the order ledger takes a conversion's newest run as soon as its row is there.
        if (touches.Count > 0) { await database.InsertAsync("attribution_touches", AttributionTables.TouchColumns, touches, cancellationToken); }
        if (paths.Count > 0) { await database.InsertAsync("person_paths", AttributionTables.PathColumns, paths, cancellationToken); }
        if (conversions.Count > 0) { await database.InsertAsync("attribution_conversions", AttributionTables.ConversionColumns, conversions, cancellationToken); }
    }

    private object?[] TouchRow(JourneyConversion conversion, in TouchRow row)
    {
        var touch = row.Touch;
        var values = new object?[12 + row.Credits.Length];
        values[0] = workspace;
        values[1] = conversion.Id;
        values[2] = run;
        values[3] = (ushort)row.TouchIndex;
        values[4] = touch?.Channel ?? AttributionModels.NoTouchChannel;
        values[5] = touch?.Source;
        values[6] = touch?.Medium;
        values[7] = touch?.Campaign;
        // The "(none)" row has no touch time; 0 (1970) reads as "none" and keeps the column non-nullable.
        values[8] = touch?.TimestampMs ?? 0L;
        values[9] = conversion.TimestampMs;
        values[10] = conversion.Revenue;
        values[11] = (ushort)row.ChannelTouches;
        for (var m = 0; m < row.Credits.Length; m++) { values[12 + m] = row.Credits[m]; }
        return values;
    }
}
