using System.Threading.Channels;

namespace OmniTrackIQ.Collector.SharedState;

/// <summary>One request's share of a grouped Redis call.</summary>
internal interface IGroupedShare
{
    /// <summary>Shares with the same group go in one call: a workspace (its message ids share a hash slot) or a budget.</summary>
    string Group { get; }

    /// <summary>The keys or arguments the share adds to its call.</summary>
    int Size { get; }
}

/// <summary>
/// Group commit for Redis calls: requests queue their share, one loop takes everything that queued while the previous
/// group's calls were out and makes one call per <see cref="IGroupedShare.Group"/> (shares in queue order), so N
/// concurrent requests cost one round trip, one command and one argument array instead of N. A bounded queue
/// (<see cref="TryAdd"/> answers false when full, and the caller counts it); a group holds shares of at most
/// <see cref="MaxSizePerGroup"/> keys (more wait for the next), so one script never holds Redis for long. On stop the
/// queue is closed and what it holds is still sent.
/// </summary>
/// <param name="send">One call: the group, its shares, the sum of their sizes. Never throws: a call Redis does not
/// answer is the use's fallback, and the use answers its shares accordingly.</param>
internal sealed class GroupedCalls<T>(int capacity, Func<string, ArraySegment<T>, int, Task> send) where T : IGroupedShare
{
    /// <summary>Keys in one group at most: at 20 events a request, 100 requests' message ids.</summary>
    internal const int MaxSizePerGroup = 2_000;

    private readonly Channel<T> _queue = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity) { SingleReader = true });
    private Task _loop = Task.CompletedTask;

    /// <summary>Queues one request's share; false when the queue is full or closed (nothing was queued).</summary>
    public bool TryAdd(T share) => _queue.Writer.TryWrite(share);

    /// <summary>Starts the loop (the owning hosted service's start).</summary>
    public void Start() => _loop = RunAsync();

    /// <summary>Closes the queue and waits until what it held has been sent (or <paramref name="cancellationToken"/>).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await _loop.WaitAsync(cancellationToken);
    }

    private async Task RunAsync()
    {
        var queued = new List<T>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            queued.Clear();
            var size = 0;
            while (size < MaxSizePerGroup && _queue.Reader.TryRead(out var share))
            {
                queued.Add(share);
                size += share.Size;
            }

            await SendAsync(queued);
        }
    }

    /// <summary>One call per group among <paramref name="queued"/> (usually one), all out at once.</summary>
    private Task SendAsync(List<T> queued)
    {
        var shares = new T[queued.Count]; // one array a group, sliced per call: the loop reuses its list
        var placed = new bool[queued.Count];
        var calls = new List<Task>(1);
        var next = 0;
        for (var first = 0; first < queued.Count; first++)
        {
            if (placed[first]) { continue; }
            var group = queued[first].Group;
            var start = next;
            var size = 0;
            for (var i = first; i < queued.Count; i++)
            {
                if (placed[i] || !string.Equals(queued[i].Group, group, StringComparison.Ordinal)) { continue; }
                placed[i] = true;
                shares[next++] = queued[i];
                size += queued[i].Size;
            }

            calls.Add(send(group, new ArraySegment<T>(shares, start, next - start), size));
        }

        return Task.WhenAll(calls);
    }
}
