using System.Threading.Channels;
using OmniTrackIQ.Pipeline.Spool;

namespace OmniTrackIQ.Pipeline.Sink;

/// <summary>
/// The bounded channel between the spool and the sink writer. A batch that does not fit is not lost:
/// it is already on disk, and the writer reads it back from the spool when it sees the gap.
/// </summary>
public sealed class SinkQueue
{
    private readonly Channel<SpooledBatch> _channel;

    public SinkQueue(int capacity) =>
        _channel = Channel.CreateBounded<SpooledBatch>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

    public ChannelReader<SpooledBatch> Reader => _channel.Reader;

    public int Depth => _channel.Reader.Count;

    /// <summary>Offers a durable batch; false when full (the writer will catch up from disk).</summary>
    public bool TryOffer(SpooledBatch batch) => _channel.Writer.TryWrite(batch);
}
