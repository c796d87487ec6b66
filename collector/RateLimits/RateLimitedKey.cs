namespace OmniTrackIQ.Collector.RateLimits;

/// <summary>Which credential a request used; each has its own budget per workspace.</summary>
public enum RateLimitedKey
{
    /// <summary>The public write key (<c>/v1/batch</c>, <c>/p.gif</c>), counted in events.</summary>
    WriteKey,

    /// <summary>The secret key (server-to-server routes such as <c>/v1/spend</c>), counted in requests.</summary>
    SecretKey,

    /// <summary>A read token (the analyst routes), counted in requests, each token its own budget.</summary>
    ReadToken,
}
