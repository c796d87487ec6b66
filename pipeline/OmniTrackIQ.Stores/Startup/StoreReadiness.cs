namespace OmniTrackIQ.Pipeline.Startup;

/// <summary>
/// Whether the store's start-up step (<see cref="IStoreMigrations"/>) has finished, and if not, why: the sink waits for
/// it before its first write, readers refuse with <see cref="StoreNotReadyException"/> until then, and <c>/readyz</c>
/// reports it. One per store, a singleton; it only ever goes from not ready to ready.
/// </summary>
public sealed class StoreReadiness
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string _reason = "the store's migrations have not run yet";

    /// <summary>A store whose opening was its start-up step (embedded DuckDB): ready from the start.</summary>
    public static StoreReadiness Ready()
    {
        var readiness = new StoreReadiness();
        readiness.MarkReady();
        return readiness;
    }

    public bool IsReady => _ready.Task.IsCompleted;

    /// <summary>Why the store is not ready yet (the last attempt's error); "ok" once it is.</summary>
    public string Reason => IsReady ? "ok" : _reason;

    public void MarkReady() => _ready.TrySetResult();

    /// <summary>Records why the last attempt at the step failed; the store stays not ready.</summary>
    public void MarkFailed(string reason) => _reason = reason;

    /// <summary>Completes once the step has finished.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);

    /// <summary>Throws <see cref="StoreNotReadyException"/> until the step has finished: a reader's first line.</summary>
    public void ThrowIfNotReady()
    {
        if (!IsReady) { throw new StoreNotReadyException(_reason); }
    }
}
