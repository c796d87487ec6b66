using DuckDB.NET.Data;
using OmniTrackIQ.Attribution.Identity;
using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Paths;
using OmniTrackIQ.Attribution.Runs;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// A run's writes on the leased writer connection, in one transaction: the rows of the people in scope (or of the whole
/// workspace) are deleted first, then each person's computed conversions, kept touches (a credit column per model) and
/// paths stream into appenders, so a full run never holds every result in memory. The per-conversion "markov" /
/// "shapley" rows are derived from <c>attribution_channel_models</c> by the <c>attribution_results</c> view
/// (<see cref="AttributionSchema.CreateResultsView"/>), so a refit costs one aggregate over the paths. The refit reads
/// <c>channel_model_counts</c>, which a partial run moves by its people's delta, as it does <c>path_counts</c>
/// (<see cref="ChannelModelCountsTable"/>, <see cref="PathCountsTable"/>). The people
/// themselves (<c>identity_people</c>, <see cref="PersonMapTable"/>) are replaced in the same transaction.
/// </summary>
internal sealed class ResultWriter(WriterLease lease, string workspace, bool scoped, long through, DateTime computedAt) : IAttributionResultWriter
{
    private readonly DuckDBTransaction _transaction = lease.Connection.BeginTransaction();
    private readonly TouchRows _touchRows = new();
    private readonly JourneyCodec.Encoder _journeyEncoder = new();

    // A partial run's change to path_counts: its people's paths before the run (taken out) and after it (put in).
    private readonly Dictionary<string, PathTotals> _oldPaths = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PathTotals> _newPaths = new(StringComparer.Ordinal);
    private DuckDBAppender? _conversionRows;
    private DuckDBAppender? _touchRowsAppender;
    private DuckDBAppender? _pathRows;
    private DuckDBAppender? _journeyRows;

    private DuckDBConnection Connection => lease.Connection;

    /// <summary>Takes over <paramref name="lease"/> (given back on dispose, or here on failure), deletes the old rows of <paramref name="scope"/> and opens the appenders.</summary>
    /// <param name="scopeOrders">
    /// The orders the scope's journeys report, when they were read before the writes began; else (a full run, or a scope
    /// too large to read ahead) null, and a partial run finds them in <c>journey_events</c>.
    /// </param>
    /// <param name="newScope">
    /// The scope's keys are all first named since the last run (<see cref="EventKeysTable.Look"/>): nothing is stored under
    /// them, so there is nothing to delete.
    /// </param>
    public static ResultWriter Begin(WriterLease lease, string workspace, JourneyScope scope, IReadOnlyCollection<string>? scopeOrders, bool newScope, long through,
        DateTime computedAt)
    {
        ResultWriter? writer = null;
        try
        {
            writer = new ResultWriter(lease, workspace, scope.IsPartial, through, computedAt);
            var deleteOld = !(scope.IsPartial && newScope);
            if (scope.Keys is { } keys && deleteOld) { JourneyReader.SetScope(lease.Connection, keys); }
            if (deleteOld) { writer.DeleteOld(scopeOrders); }
            // The identity graph the results are computed from is kept with them: the scope's people, or everyone.
            PersonMapTable.Replace(lease.Connection, writer._transaction, workspace, scope.IsPartial, deleteOld,
                PersonMap.Rows(scope.People, scope.Keys ?? [.. scope.People.Keys]));
            writer._conversionRows = lease.Connection.CreateAppender("conversions");
            writer._touchRowsAppender = lease.Connection.CreateAppender("attribution_touches");
            writer._pathRows = lease.Connection.CreateAppender("person_paths");
            writer._journeyRows = lease.Connection.CreateAppender(JourneysTable.Name);
            return writer;
        }
        catch
        {
            if (writer is null) { lease.Dispose(); } else { writer.Release(); }
            throw;
        }
    }

    public ValueTask WriteAsync(PersonJourney journey, JourneyResult result, CancellationToken cancellationToken)
    {
        foreach (var attributed in result.Conversions)
        {
            AppendConversion(_conversionRows!, journey.Person, attributed);
            _touchRows.Write(attributed, (in TouchRow row) => Append(_touchRowsAppender!, attributed.Conversion, row));
        }

        foreach (var path in result.Paths)
        {
            var text = path.ToString();
            _pathRows!.CreateRow().AppendValue(workspace).AppendValue(journey.Person).AppendValue(text)
                .AppendValue(path.Conversions).AppendValue(path.Value).AppendValue(path.Nulls).EndRow();
            if (scoped) { PathTotals.Add(_newPaths, text, path.Conversions, path.Value, path.Nulls); }
        }

        JourneysTable.Append(_journeyRows!, _journeyEncoder, workspace, journey); // what answers under other options read

        return ValueTask.CompletedTask;
    }

    public Task<IReadOnlyList<PathCount>> CurrentPathsAsync(CancellationToken cancellationToken)
    {
        ApplyPathCounts();
        using var command = Command("SELECT path, conversions, conversion_value, nulls FROM path_counts WHERE workspace = $ws ORDER BY path");
        using var reader = command.ExecuteReader();
        var paths = new List<PathCount>();
        while (reader.Read())
        {
            var channels = reader.GetString(0).Split(JourneyAttributor.Separator);
            paths.Add(new PathCount(channels, reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3)));
        }

        return Task.FromResult<IReadOnlyList<PathCount>>(paths);
    }

    /// <summary>The refit's input: <c>channel_model_counts</c> moved by the run's delta (a full run builds them from <c>path_counts</c>).</summary>
    public Task<ChannelModelCounts?> CurrentCountsAsync(int markovOrder, CancellationToken cancellationToken)
    {
        ApplyPathCounts();
        var counts = scoped
            ? ChannelModelCountsTable.Apply(Connection, _transaction, workspace, markovOrder, _oldPaths, _newPaths)
            : ChannelModelCountsTable.Rebuild(Connection, _transaction, workspace, markovOrder);
        return Task.FromResult<ChannelModelCounts?>(counts);
    }

    public Task WriteChannelModelsAsync(IReadOnlyList<ChannelModelRow> rows, CancellationToken cancellationToken)
    {
        Execute("DELETE FROM attribution_channel_models WHERE workspace = $ws");
        using var appender = Connection.CreateAppender("attribution_channel_models");
        foreach (var row in rows)
        {
            appender.CreateRow().AppendValue(workspace).AppendValue(row.Model).AppendValue(row.Channel).AppendValue(row.Weight)
                .AppendValue(row.Conversions).AppendValue(row.Value).AppendValue(row.StandardError).AppendValue(computedAt).EndRow();
        }

        return Task.CompletedTask;
    }

    public Task CommitAsync(string settingsKey, CancellationToken cancellationToken)
    {
        CloseAppenders();
        RunState.Save(Connection, _transaction, workspace, through, settingsKey, computedAt);
        _transaction.Commit();
        return Task.CompletedTask;
    }

    /// <summary>Rolls back what was not committed and gives the writer back.</summary>
    public ValueTask DisposeAsync()
    {
        Release();
        return ValueTask.CompletedTask;
    }

    private void Release()
    {
        try
        {
            CloseAppenders();
            _transaction.Dispose();
        }
        finally
        {
            lease.Dispose();
        }
    }

    /// <summary>Closes the appenders, then moves <c>path_counts</c> by the run's delta (or rebuilds them, on a full run).</summary>
    private void ApplyPathCounts()
    {
        CloseAppenders();
        if (scoped) { PathCountsTable.Apply(Connection, _transaction, workspace, _oldPaths, _newPaths); }
        else { PathCountsTable.Rebuild(Connection, _transaction, workspace); }
    }

    private void CloseAppenders()
    {
        _conversionRows?.Dispose();
        _touchRowsAppender?.Dispose();
        _pathRows?.Dispose();
        _journeyRows?.Dispose();
        (_conversionRows, _touchRowsAppender, _pathRows, _journeyRows) = (null, null, null, null);
    }

    private void DeleteOld(IReadOnlyCollection<string>? scopeOrders)
    {
        if (!scoped)
        {
            foreach (var table in new[] { "attribution_touches", "conversions", "person_paths", JourneysTable.Name })
            {
                Execute($"DELETE FROM {table} WHERE workspace = $ws");
            }

            return;
        }

        // The conversions recomputed: those stored under the scope's people, and the scope's orders wherever they are
        // stored (an order re-posted by a different device may have been stored under another person). Their ids are
        // collected first (the orders from the journeys read ahead, else from journey_events; the people's by a scan of
        // two columns), then the conversions and their touches deleted by id: one DELETE with both conditions ORed
        // planned two MARK joins over every stored conversion, and its RETURNING fetched each deleted row back by row
        // id. The deleted paths are the run's old paths (RETURNING).
        var replaced = new HashSet<string>(scopeOrders ?? [], StringComparer.Ordinal);
        if (scopeOrders is null)
        {
            ReadIds(replaced, $"SELECT DISTINCT order_id FROM journey_events WHERE workspace = $ws AND type = 'conversion' {JourneyReader.ScopeFilter}");
        }

        ReadIds(replaced, $"SELECT conversion_id FROM conversions WHERE workspace = $ws AND person IN {ScopePeople}");
        JourneyReader.Fill(Connection, "attribution_scope_conversions", "id VARCHAR", replaced, static (row, id) => row.AppendValue(id));
        Execute($"DELETE FROM conversions WHERE workspace = $ws AND conversion_id IN {ScopeConversions}");
        Execute($"DELETE FROM attribution_touches WHERE workspace = $ws AND conversion_id IN {ScopeConversions}");
        using (var command = Command($"DELETE FROM person_paths WHERE workspace = $ws AND person IN {ScopePeople} RETURNING path, conversions, conversion_value, nulls"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read()) { PathTotals.Add(_oldPaths, reader.GetString(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3)); }
        }

        Execute($"DELETE FROM {JourneysTable.Name} WHERE workspace = $ws AND person IN {ScopePeople}");
    }

    private void ReadIds(HashSet<string> ids, string sql)
    {
        using var command = Command(sql);
        using var reader = command.ExecuteReader();
        while (reader.Read()) { ids.Add(reader.GetString(0)); }
    }

    /// <summary>The people of a partial run: its results are stored under their names, which are keys of the scope.</summary>
    private static readonly string ScopePeople = KeySet.In("attribution_scope");

    /// <summary>The conversions a partial run replaces (collected into the temp table first).</summary>
    private static readonly string ScopeConversions = KeySet.In("attribution_scope_conversions", "id");

    private void Execute(string sql)
    {
        using var command = Command(sql);
        command.ExecuteNonQuery();
    }

    private DuckDBCommand Command(string sql)
    {
        var command = Connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        return command;
    }

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
