using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Ingest;

namespace OmniTrackIQ.Collector.SharedState;

/// <summary>
/// Runs the batch path's Redis code before the node says it is ready (<c>/readyz</c>, <c>/readyz/ingest</c>: the
/// <c>redis</c> line): once connected, <see cref="Waves"/> waves of <see cref="RoundsPerWave"/> message-id look-ups and
/// marks of <see cref="IdsPerRound"/> fresh ids each, through <see cref="IDurableMessageIds"/> itself (its grouped calls,
/// the client's <c>HMGET</c>, <c>HMSET</c> and <c>EXPIRE</c>), in a workspace of their own. Why: in a fresh process the
/// client's code is otherwise compiled under the first load (the JIT is a fifth of a loaded node's samples,
/// bench/RESULTS.md "Session 12"), and each new tier-0 compile postpones the runtime's tier-up of every method waiting for
/// it; a wave calls each method past the tier-up threshold, the pause between waves lets the background compiler promote them. Never a reason to stay unready: without
/// Redis, or when it is not connected after the first attempt, or goes away or is too slow meanwhile (the breaker opened:
/// <see cref="RedisOptions.FailuresToOpen"/> rounds not answered in time, each such a fallback, counted), the warm-up ends
/// and the node is ready (every use then falls back as usual).
/// </summary>
internal sealed partial class RedisWarmUp(RedisState redis, IDurableMessageIds ids, TimeProvider time, ILogger<RedisWarmUp> logger) : IHostedService, IDisposable
{
    /// <summary>The workspace the warm-up's ids are looked up and marked in (random ids, expiring with the hash).</summary>
    internal const string Workspace = "otq-warm-up";

    internal const int Waves = 3;
    internal const int RoundsPerWave = 40; // past the runtime's 30 calls that make a method a candidate for the next tier
    internal const int IdsPerRound = 20; // LoadGen's and a typical client's batch
    internal static readonly TimeSpan BetweenWaves = TimeSpan.FromMilliseconds(150); // the tier-up's 100 ms quiet period, and some

    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private Task _warming = Task.CompletedTask;
    private int _started;
    private int _disposed;

    /// <summary>Done warming (or nothing to warm): the readiness check's answer.</summary>
    public bool Done => _done.Task.IsCompleted;

    /// <summary>Rounds the warm-up ran (each a look-up and a mark), for tests and the log.</summary>
    public int Rounds { get; private set; }

    /// <summary>Starts the warm-up once (a host may be started and stopped more than once; the warm-up runs at the first start).</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1) { return Task.CompletedTask; }
        if (!redis.Configured || ids is not RedisMessageIds) { _done.TrySetResult(); }
        else { _warming = Task.Run(WarmAsync, CancellationToken.None); }
        return Task.CompletedTask;
    }

    /// <summary>Ends a warm-up still running. It may be called more than once, also after <see cref="Dispose"/> (a test host
    /// stops its services again when it is disposed): nothing is running then.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) == 0) { await _stopping.CancelAsync(); }
        await _warming.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) { return; }
        _stopping.Cancel(); // a warm-up still running stops at its next wait, before the token goes away
        _stopping.Dispose();
    }

    private async Task WarmAsync()
    {
        try
        {
            await redis.Connecting;
            for (var wave = 0; wave < Waves && redis.Answering; wave++)
            {
                if (wave > 0) { await Task.Delay(BetweenWaves, time, _stopping.Token); }
                for (var round = 0; round < RoundsPerWave; round++)
                {
                    if (!await RoundAsync()) { return; }
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopping before the warm-up finished: nothing to finish.
        }
        finally
        {
            LogWarmed(logger, Rounds);
            _done.TrySetResult();
        }
    }

    /// <summary>One look-up and one mark of fresh ids; false when Redis is not connected or the breaker opened (stop warming).</summary>
    private async Task<bool> RoundAsync()
    {
        if (!redis.Answering) { return false; }
        var now = time.GetUtcNow();
        var prefix = Guid.NewGuid().ToString("N") + "-";
        var events = new List<TrackedEvent>(IdsPerRound);
        for (var i = 0; i < IdsPerRound; i++) { events.Add(new TrackedEvent { Workspace = Workspace, MessageId = prefix + i, Timestamp = now, ReceivedAt = now }); }
        await ids.FindDurableAsync(Workspace, events, _stopping.Token);
        await ids.MarkDurableAsync(Workspace, events);
        Rounds++;
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis warm-up done: {Rounds} message-id look-ups and marks")]
    private static partial void LogWarmed(ILogger logger, int rounds);
}
