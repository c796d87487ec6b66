namespace OmniTrackIQ.Pipeline.Sink;

/// <summary>
/// The store refused a write for good: because of the rows themselves (a value its column cannot hold, a type the
/// server could not parse, more partitions than one insert may span) or any other answer waiting cannot change, not
/// because it is down, busy or not yet migrated: retrying the same batch fails the same way forever. The sink must not retry it as it stands; it can split the batch to find the rows at fault and
/// keep those in <c>bad_events</c> with <see cref="Exception.Message"/> as the reason.
/// </summary>
public sealed class StoreRejectedDataException : Exception
{
    public StoreRejectedDataException() { }

    public StoreRejectedDataException(string message) : base(message) { }

    public StoreRejectedDataException(string message, Exception innerException) : base(message, innerException) { }

    public StoreRejectedDataException(string message, int? serverErrorCode, Exception? innerException)
        : base(message, innerException) => ServerErrorCode = serverErrorCode;

    /// <summary>The store's own error code when it gave one (ClickHouse: <c>Code: 53</c> is a type mismatch).</summary>
    public int? ServerErrorCode { get; }
}
