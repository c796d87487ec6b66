using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using OmniTrackIQ.Attribution.Identity;
using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Paths;
using OmniTrackIQ.Attribution.Runs;

namespace OmniTrackIQ.WorkerBench;

/// <summary>
/// A store port that times every call the orchestrator makes, and the orchestrator's own work between two calls
/// ("(between …)"), so a tick breaks down into its steps without a probe in the library.
/// </summary>
internal sealed class TimedRunStore(IAttributionRunStore inner) : IAttributionRunStore
{
    private readonly Stopwatch _clock = new();
    private readonly List<(string Step, TimeSpan Time)> _steps = [];
    private TimeSpan _lastEnd;
    private string _lastStep = "start";

    public async Task<IAttributionRunSession> BeginRunAsync(string workspace, CancellationToken cancellationToken)
    {
        _steps.Clear();
        _clock.Restart();
        _lastEnd = TimeSpan.Zero;
        _lastStep = "start";
        return new Session(this, await Time("begin run (run state, newest load mark)", () => inner.BeginRunAsync(workspace, cancellationToken)));
    }

    /// <summary>The steps of the last run, one line each.</summary>
    public IEnumerable<string> Report() =>
        _steps.Where(s => s.Time.TotalMilliseconds >= 0.5)
            .Select(s => string.Create(CultureInfo.InvariantCulture, $"|   {s.Step} | {s.Time.TotalSeconds:F3} s |"));

    private void Add(string step, TimeSpan time)
    {
        var index = _steps.FindIndex(s => s.Step == step);
        if (index < 0) { _steps.Add((step, time)); } else { _steps[index] = (step, _steps[index].Time + time); }
    }

    private void Enter(string step)
    {
        Add($"(orchestrator, after {_lastStep})", _clock.Elapsed - _lastEnd);
        _lastStep = step;
    }

    private void Leave(string step, TimeSpan started)
    {
        Add(step, _clock.Elapsed - started);
        _lastEnd = _clock.Elapsed;
    }

    private async Task<T> Time<T>(string step, Func<Task<T>> call)
    {
        Enter(step);
        var started = _clock.Elapsed;
        try { return await call(); } finally { Leave(step, started); }
    }

    private async Task Time(string step, Func<Task> call) => await Time(step, async () => { await call(); return 0; });

    private async IAsyncEnumerable<T> Stream<T>(string step, IAsyncEnumerable<T> rows, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Enter(step);
        var total = TimeSpan.Zero;
        var started = _clock.Elapsed;
        await using var e = rows.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            var before = _clock.Elapsed;
            var more = await e.MoveNextAsync();
            total += _clock.Elapsed - before;
            if (!more) { break; }
            var handedOut = _clock.Elapsed;
            yield return e.Current;
            Add($"(orchestrator, consuming {step})", _clock.Elapsed - handedOut);
        }

        Add(step, total);
        _lastEnd = _clock.Elapsed;
        _ = started;
    }

    private sealed class Session(TimedRunStore t, IAttributionRunSession inner) : IAttributionRunSession
    {
        public RunMark Mark => inner.Mark;

        public Task AddLinksSinceMarkAsync(CancellationToken cancellationToken) => t.Time("add identity links since mark", () => inner.AddLinksSinceMarkAsync(cancellationToken));

        public IAsyncEnumerable<IdentityLink> LinksAsync(CancellationToken cancellationToken) => t.Stream("read every identity link", inner.LinksAsync(cancellationToken));

        public IAsyncEnumerable<string> KeysTouchedSinceMarkAsync(CancellationToken cancellationToken) => t.Stream("keys touched since mark", inner.KeysTouchedSinceMarkAsync(cancellationToken));

        public IAsyncEnumerable<string> KeysConvertingInAsync(DateTime? from, DateTime? to, CancellationToken cancellationToken) =>
            t.Stream("keys converting in range", inner.KeysConvertingInAsync(from, to, cancellationToken));

        public Task MapPeopleAsync(JourneyScope scope, CancellationToken cancellationToken) => t.Time("map people (scope + people tables)", () => inner.MapPeopleAsync(scope, cancellationToken));

        public Task<int?> CountJourneysAsync(CancellationToken cancellationToken) => t.Time("count journeys", () => inner.CountJourneysAsync(cancellationToken));

        public IAsyncEnumerable<PersonJourney> JourneysAsync(CancellationToken cancellationToken) => t.Stream("read journeys", inner.JourneysAsync(cancellationToken));

        public async Task<IAttributionResultWriter> BeginWritesAsync(JourneyScope scope, CancellationToken cancellationToken) =>
            new Writer(t, await t.Time("begin writes (delete old rows)", () => inner.BeginWritesAsync(scope, cancellationToken)));

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    private sealed class Writer(TimedRunStore t, IAttributionResultWriter inner) : IAttributionResultWriter
    {
        public async ValueTask WriteAsync(PersonJourney journey, JourneyResult result, CancellationToken cancellationToken)
        {
            t.Add("(orchestrator: attributor, per person)", t._clock.Elapsed - t._lastEnd);
            var started = t._clock.Elapsed;
            await inner.WriteAsync(journey, result, cancellationToken);
            t.Add("write result rows", t._clock.Elapsed - started);
            t._lastEnd = t._clock.Elapsed;
            t._lastStep = "write result rows";
        }

        public Task<IReadOnlyList<PathCount>> CurrentPathsAsync(CancellationToken cancellationToken) => t.Time("current paths (all of the workspace)", () => inner.CurrentPathsAsync(cancellationToken));

        public Task WriteChannelModelsAsync(IReadOnlyList<ChannelModelRow> rows, CancellationToken cancellationToken) => t.Time("write channel models", () => inner.WriteChannelModelsAsync(rows, cancellationToken));

        public Task CommitAsync(string settingsKey, CancellationToken cancellationToken) => t.Time("commit", () => inner.CommitAsync(settingsKey, cancellationToken));

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
