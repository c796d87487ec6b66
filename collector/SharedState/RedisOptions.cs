using System.ComponentModel.DataAnnotations;

namespace OmniTrackIQ.Collector.SharedState;

/// <summary>
/// The Redis that several collectors share (<c>OmniTrack:Redis</c>). Without <see cref="Configuration"/> every use keeps
/// its in-process form, as on one node.
/// </summary>
internal sealed class RedisOptions
{
    public const string Section = "OmniTrack:Redis";

    /// <summary>A StackExchange.Redis configuration string, e.g. <c>10.0.0.7:6379,password=…</c>.</summary>
    public string? Configuration { get; set; }

    /// <summary>
    /// How long one call may take before its use falls back to the in-process form. A few milliseconds: Redis answers
    /// in well under one on a LAN, and a request must not wait for a Redis that is away.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:05")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMilliseconds(25);

    /// <summary>Failed calls in a row that open the breaker: then no call is tried until <see cref="BreakerOpenFor"/> has passed.</summary>
    [Range(1, 1000)]
    public int FailuresToOpen { get; set; } = 3;

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan BreakerOpenFor { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a message id that some node made durable is known to all of them (<c>otq:mid:*</c>, a hash per workspace
    /// and hour of the events' own timestamps, its expiry renewed with every mark): a client's retry through another node
    /// within this time is not spooled again. Each id costs Redis memory for this long (docs/SCALING.md); a retry after it
    /// is still stored once by the store's dedup.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan MessageIdTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How much of a workspace's event budget (this long at its rate, at most its burst) a node takes from Redis ahead and
    /// spends locally, topping it up in the background: an event request does not wait for Redis while its node holds
    /// permits. The limit stays global: what a node holds was taken from the one budget, so all nodes together never
    /// exceed it over time, and in any stretch by at most one such share per node. Zero: every take asks Redis.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan RateLease { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How long a node holds a workspace's attribution lease without renewing it (it renews at a third of it).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(30);
}
