using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.Pipeline.Sink;

/// <summary>
/// Where events end up (DuckDB embedded by default, ClickHouse in production). Its tables are made by the store's
/// start-up step (<see cref="Startup.IStoreMigrations"/>), not by the store itself.
/// </summary>
public interface IEventStore
{
    /// <summary>
    /// Stores events idempotently: an event whose (workspace, messageId) is already stored is skipped,
    /// so replays and client retries never double a row. Returns how many rows were new.
    /// </summary>
    Task<int> WriteEventsAsync(IReadOnlyList<TrackedEvent> events, CancellationToken cancellationToken);

    /// <summary>Keeps refused payloads with their reason (nothing refused after acceptance disappears).</summary>
    Task WriteBadEventsAsync(IReadOnlyList<BadEvent> badEvents, CancellationToken cancellationToken);

    /// <summary>True when the store answers a trivial query.</summary>
    Task<bool> PingAsync(CancellationToken cancellationToken);

    /// <summary>Counts of stored events by type and by channel for one workspace.</summary>
    Task<EventStats> GetStatsAsync(string workspace, CancellationToken cancellationToken);
}

/// <summary>A refused payload, kept for inspection; <paramref name="Index"/> and <paramref name="Field"/> name a rejected event of a batch.</summary>
public sealed record BadEvent(string? Workspace, string Payload, string Reason, DateTimeOffset ReceivedAt, int? Index = null, string? Field = null);

/// <summary>Event counts of a workspace.</summary>
public sealed record EventStats(string Workspace, long Total, IReadOnlyDictionary<string, long> ByType, IReadOnlyDictionary<string, long> ByChannel);
