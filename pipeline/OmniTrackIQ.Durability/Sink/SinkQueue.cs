using System.Threading.Channels;
using OmniTrackIQ.Pipeline.Spool;

namespace OmniTrackIQ.Pipeline.Sink;

/// <summary>
/// The bounded channel between the spool and the sink writer. A batch that does not fit is not lost:
/// it is already on disk, and the writer reads it back from the spool when it sees the gap.
/// Bounded in batches and in events: one group commit's batch can hold thousands of events, so a count of batches
/// alone would let a sink that falls behind keep hundreds of thousands of events in memory (what is beyond the bound
/// waits on disk instead, where it already is).
/// </summary>
public sealed class SinkQueue
{
    private readonly Channel<SpooledBatch> _channel;
    private readonly int _maxEvents;
    private int _events; // events in the channel: added by the spool's loop, taken by the sink

    /// <param name="capacity">Batches held at most.</param>
    /// <param name="maxEvents">Events held at most; a batch larger than this is still taken when the channel is empty.</param>
    public SinkQueue(int capacity, int maxEvents = int.MaxValue)
    {
        _maxEvents = maxEvents;
        _channel = Channel.CreateBounded<SpooledBatch>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public int Depth => _channel.Reader.Count;

    /// <summary>Offers a durable batch; false when full (the writer will catch up from disk).</summary>
    public bool TryOffer(SpooledBatch batch)
    {
        var held = Volatile.Read(ref _events);
        if (held > 0 && held + batch.Events.Count > _maxEvents) { return false; }
        Interlocked.Add(ref _events, batch.Events.Count);
        if (_channel.Writer.TryWrite(batch)) { return true; }
        Interlocked.Add(ref _events, -batch.Events.Count);
        return false;
    }

    public bool TryRead(out SpooledBatch batch)
    {
        if (!_channel.Reader.TryRead(out batch!)) { return false; }
        Interlocked.Add(ref _events, -batch.Events.Count);
        return true;
    }

    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => _channel.Reader.WaitToReadAsync(cancellationToken);
}
