using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Paths;
using OmniTrackIQ.Attribution.Runs;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Store.ClickHouse.Attribution;

/// <summary>
/// The rows one run writes under its run number, buffered and sent in batches of about <see cref="FlushRows"/> (ClickHouse
/// wants few, large inserts): conversions, their kept touches (a credit column per heuristic model) and each person's
/// paths, then the channel models; the <c>attribution_state</c> row goes last, and only then do readers take the run's rows.
/// </summary>
/// <param name="run">The run: its number, the first run still valid (itself on a full run), its load mark and row count.</param>
/// <param name="previous">On a tick, the run it follows (its model counts are carried forward, <see cref="ModelCounts"/>); null on a full run.</param>
internal sealed class ResultBatch(ClickHouseDatabase database, TimeProvider time, string workspace, RunState run, RunState? previous) : IAttributionResultWriter
{
    public const int FlushRows = 50_000;

    private readonly TouchRows _touchRows = new();

    /// <summary>The people a tick writes paths for: only theirs change the counts (a full run sums everyone and keeps none here).</summary>
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private List<object?[]> _conversions = [];
    private List<object?[]> _touches = [];
    private List<object?[]> _paths = [];

    private bool Full => _touches.Count + _conversions.Count + _paths.Count >= FlushRows;

    public async ValueTask WriteAsync(PersonJourney journey, JourneyResult result, CancellationToken cancellationToken)
    {
        foreach (var attributed in result.Conversions)
        {
            var conversion = attributed.Conversion;
            _conversions.Add([workspace, conversion.Id, journey.Person, conversion.TimestampMs, conversion.Revenue, conversion.Currency,
                attributed.PathText, (ushort)attributed.KeptIndices.Length, attributed.MissReason, run.Run]);
            _touchRows.Write(attributed, (in TouchRow row) => _touches.Add(TouchRow(conversion, row)));
        }

        foreach (var path in result.Paths)
        {
            _paths.Add([workspace, journey.Person, run.Run, path.ToString(), path.Conversions, path.Value, path.Nulls, (byte)0]);
        }

        if (previous is not null && result.Paths.Count > 0) { _written.Add(journey.Person); }

        if (Full) { await FlushAsync(cancellationToken); }
    }

    /// <summary>A person merged into another since the last run: its old paths stop counting.</summary>
    public void AddMergedAway(string person)
    {
        _paths.Add([workspace, person, run.Run, "", 0d, 0d, 0d, (byte)1]);
        if (previous is not null) { _written.Add(person); }
    }

    /// <summary>Each person's newest paths of the runs valid once this one is recorded, merged-away people left out (<see cref="PathCounts"/>).</summary>
    public async Task<IReadOnlyList<PathCount>> CurrentPathsAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        return await PathCounts.SumAsync(database, SqlLiteral.String(workspace), run, cancellationToken);
    }

    /// <summary>The fit's sums over those paths: the last run's moved by this run's people on a tick (<see cref="ModelCounts"/>).</summary>
    public async Task<ChannelModelCounts?> CurrentCountsAsync(int markovOrder, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        return await ModelCounts.CurrentAsync(database, workspace, run, previous, _written, markovOrder, cancellationToken);
    }

    /// <summary>Kept per channel under the run; per-conversion credits are derived from these weights when a summary asks.</summary>
    public async Task WriteChannelModelsAsync(IReadOnlyList<ChannelModelRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0) { return; }
        await database.InsertAsync("attribution_channel_models", AttributionTables.ChannelModelColumns,
            rows.Select(r => new object?[] { workspace, run.Run, r.Model, r.Channel, r.Weight, r.Conversions, r.Value, r.StandardError }), cancellationToken);
    }

    public Task CommitAsync(string settingsKey, CancellationToken cancellationToken) =>
        database.InsertAsync("attribution_state", AttributionTables.StateColumns,
            [[workspace, run.Run, run.BaseRun, run.LoadedThrough, run.LoadedRows, settingsKey, time.GetUtcNow().ToUnixTimeMilliseconds()]], cancellationToken);

    /// <summary>Nothing to undo: rows of a run that was never recorded are invisible, and the next run writes them again.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task FlushAsync(CancellationToken cancellationToken)
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
        values[2] = run.Run;
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
