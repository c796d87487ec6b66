namespace OmniTrackIQ.Pipeline.Sink;

/// <summary>
/// Ages out <c>bad_events</c> (<see cref="BadEventRetentionOptions.RetentionDays"/>): refused payloads are kept for
/// inspection, not forever. Each store implements it with its own deletes.
/// </summary>
public interface IBadEventRetention
{
    /// <summary>
    /// Deletes every <c>bad_events</c> row received before <paramref name="cutoff"/>, in every workspace. Returns the
    /// rows removed (on ClickHouse: those of dropped partitions plus those its delete mutation was started for; the
    /// mutation finishes in the background).
    /// </summary>
    Task<long> DeleteReceivedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
