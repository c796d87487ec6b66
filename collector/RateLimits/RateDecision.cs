namespace OmniTrackIQ.Collector.RateLimits;

/// <summary>
/// Whether a request may go on. Refused, <see cref="RetryAfterSeconds"/> (whole seconds, at least 1) is
/// the <c>Retry-After</c> to send; <see cref="ExceedsBurst"/> means the request alone is bigger than the
/// workspace's burst and will never pass as it is (Retry-After then is the wait until the bucket is full,
/// the earliest a split request could start).
/// </summary>
public readonly record struct RateDecision(bool Allowed, int RetryAfterSeconds, bool ExceedsBurst)
{
    public static RateDecision Allow { get; } = new(true, 0, false);
}
