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
/// <param name="serverCpu">The CPU time of a database server so far (ClickHouse: its /proc stat), when the work runs in another process.</param>
internal sealed class TimedRunStore(IAttributionRunStore inner, Func<TimeSpan>? serverCpu = null) : IAttributionRunStore
{
    private readonly Stopwatch _clock = new();
    private readonly List<(string Step, Stamp Time)> _steps = [];
    private Stamp _lastEnd;
    private string _lastStep = "start";

    public async Task<IAttributionRunSession> BeginRunAsync(string workspace, CancellationToken cancellationToken)
    {
        _steps.Clear();
        _clock.Restart();
        _lastEnd = Now();
        _lastStep = "start";
        return new Session(this, await Time("begin run (run state, newest load mark)", () => inner.BeginRunAsync(workspace, cancellationToken)));
    }

    /// <summary>The steps of the last run, one line each.</summary>
    public IEnumerable<string> Report() =>
        _steps.Where(s => s.Time.Wall.TotalMilliseconds >= 0.5)
            .Select(s => string.Create(CultureInfo.InvariantCulture,
                $"|   {s.Step} | {s.Time.Wall.TotalSeconds:F3} s | CPU {s.Time.Cpu.TotalSeconds:F3} s{(serverCpu is null ? "" : $" | server CPU {s.Time.ServerCpu.TotalSeconds:F2} s")} |"));

    /// <summary>Wall time and the process's CPU time: on a shared machine the CPU time is the steadier figure.</summary>
    /// <remarks>
    /// Environment.CpuUsage is one getrusage call, cheap enough to time every journey of a full run (a Process.Refresh reads /proc).
    /// The server's CPU is not (<paramref name="withServer"/>): its /proc stat costs this process tens of µs each (the kernel
    /// walks the server's threads), and read three or four times per streamed row it was most of the bench's CPU per
    /// ClickHouse tick (bench/RESULTS.md, issue 21 on ClickHouse, session 14). Per-row stamps leave it out; a stream's
    /// server CPU is taken over the whole stream.
    /// </remarks>
    private Stamp Now(bool withServer = true) =>
        new(_clock.Elapsed, Environment.CpuUsage.TotalTime, withServer && serverCpu is not null ? serverCpu() : TimeSpan.Zero);

    private void Add(string step, Stamp time)
    {
        var index = _steps.FindIndex(s => s.Step == step);
        if (index < 0) { _steps.Add((step, time)); } else { _steps[index] = (step, _steps[index].Time + time); }
    }

    private void Enter(string step)
    {
        Add($"(orchestrator, after {_lastStep})", Now() - _lastEnd);
        _lastStep = step;
    }

    private void Leave(string step, Stamp started)
    {
        Add(step, Now() - started);
        _lastEnd = Now();
    }

    private async Task<T> Time<T>(string step, Func<Task<T>> call)
    {
        Enter(step);
        var started = Now();
        try { return await call(); } finally { Leave(step, started); }
    }

    private async Task Time(string step, Func<Task> call) => await Time(step, async () => { await call(); return 0; });

    private async IAsyncEnumerable<T> Stream<T>(string step, IAsyncEnumerable<T> rows, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Enter(step);
        var started = Now();
        var total = default(Stamp);
        await using var e = rows.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            var before = Now(withServer: false);
            var more = await e.MoveNextAsync();
            total += Now(withServer: false) - before;
            if (!more) { break; }
            var handedOut = Now(withServer: false);
            yield return e.Current;
            Add($"(orchestrator, consuming {step})", Now(withServer: false) - handedOut);
        }

        _lastEnd = Now();
        Add(step, total with { ServerCpu = _lastEnd.ServerCpu - started.ServerCpu });
    }

    private sealed class Session(TimedRunStore t, IAttributionRunSession inner) : IAttributionRunSession
    {
        public RunMark Mark => inner.Mark;

        public async Task AddLinksSinceMarkAsync(CancellationToken cancellationToken)
        {
            await t.Time("add identity links since mark", () => inner.AddLinksSinceMarkAsync(cancellationToken));
            if (QueryMetrics.Enabled) { QueryMetrics.ProfileReader(inner); }
        }

        public IAsyncEnumerable<IdentityLink> LinksAsync(CancellationToken cancellationToken) => t.Stream("read every identity link", inner.LinksAsync(cancellationToken));

        public IAsyncEnumerable<IdentityLink> LinksOfPeopleAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
            t.Stream("identity links of the scope's people (per round)", inner.LinksOfPeopleAsync(keys, cancellationToken));

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
            // Per person: no server read (see Now); the server's CPU meanwhile counts in the step after the writes.
            t.Add("(orchestrator: attributor, per person)", (t.Now(withServer: false) - t._lastEnd) with { ServerCpu = TimeSpan.Zero });
            var started = t.Now(withServer: false);
            await inner.WriteAsync(journey, result, cancellationToken);
            t.Add("write result rows", t.Now(withServer: false) - started);
            t._lastEnd = t.Now(withServer: false) with { ServerCpu = t._lastEnd.ServerCpu };
            t._lastStep = "write result rows";
        }

        public Task<IReadOnlyList<PathCount>> CurrentPathsAsync(CancellationToken cancellationToken) => t.Time("current paths (all of the workspace)", () => inner.CurrentPathsAsync(cancellationToken));

        public Task<ChannelModelCounts?> CurrentCountsAsync(int markovOrder, CancellationToken cancellationToken) =>
            t.Time("current path counts, kept by delta (channel_model_counts)", () => inner.CurrentCountsAsync(markovOrder, cancellationToken));

        public Task WriteChannelModelsAsync(IReadOnlyList<ChannelModelRow> rows, CancellationToken cancellationToken) => t.Time("write channel models", () => inner.WriteChannelModelsAsync(rows, cancellationToken));

        public Task CommitAsync(string settingsKey, CancellationToken cancellationToken) => t.Time("commit", () => inner.CommitAsync(settingsKey, cancellationToken));

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}

/// <summary>A point (or span) in wall time, this process's CPU time and a database server's.</summary>
internal readonly record struct Stamp(TimeSpan Wall, TimeSpan Cpu, TimeSpan ServerCpu)
{
    public static Stamp operator -(Stamp a, Stamp b) => new(a.Wall - b.Wall, a.Cpu - b.Cpu, a.ServerCpu - b.ServerCpu);

    public static Stamp operator +(Stamp a, Stamp b) => new(a.Wall + b.Wall, a.Cpu + b.Cpu, a.ServerCpu + b.ServerCpu);
}
