using System.Collections.Concurrent;

namespace OmniTrackIQ.Collector.Attribution;

/// <summary>
/// One <c>POST /v1/attribution/run</c> at a time per workspace. A second one while the first runs is answered 409 at
/// once rather than queued: it would redo the same full recompute over the same data, and a queue of them is exactly
/// the pile-up a read token must not be able to cause. Holds at most one entry per configured workspace (only
/// authenticated requests reach it), and only while a run lasts.
/// </summary>
internal sealed class RecomputeGate
{
    private readonly ConcurrentDictionary<string, byte> _running = new(StringComparer.Ordinal);

    /// <summary>True when no recompute of <paramref name="workspace"/> was running; the caller must then <see cref="Exit"/>.</summary>
    public bool TryEnter(string workspace) => _running.TryAdd(workspace, 0);

    public void Exit(string workspace) => _running.TryRemove(workspace, out _);
}
