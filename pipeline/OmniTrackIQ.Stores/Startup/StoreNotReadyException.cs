namespace OmniTrackIQ.Pipeline.Startup;

/// <summary>
/// The store's start-up step (its migrations) has not finished, so its tables may not exist yet: a transient state,
/// which the host answers with 503 <c>store_not_ready</c> and <c>Retry-After</c>, never a 500.
/// </summary>
public sealed class StoreNotReadyException : Exception
{
    public StoreNotReadyException()
        : this("the store's migrations have not run yet")
    {
    }

    public StoreNotReadyException(string reason)
        : base("the store is not ready: " + reason)
    {
        Reason = reason;
    }

    public StoreNotReadyException(string reason, Exception innerException)
        : base("the store is not ready: " + reason, innerException)
    {
        Reason = reason;
    }

    /// <summary>Why: the last attempt's error, or that the step has not run yet.</summary>
    public string Reason { get; }
}
