namespace OmniTrackIQ.Store.ClickHouse;

/// <summary>
/// A <see cref="RowBinaryBuffer"/>'s chunks read in order as one read-only, seekable stream: the request body knows its
/// length (the request is not chunked), and copying it to the connection writes each chunk as it is, with no copy.
/// </summary>
internal sealed class RowBinaryStream : Stream
{
    private readonly ArraySegment<byte>[] _chunks;
    private readonly long _length;
    private long _position;

    public RowBinaryStream(ArraySegment<byte>[] chunks)
    {
        _chunks = chunks;
        foreach (var chunk in chunks) { _length += chunk.Count; }
    }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _position = value;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = 0;
        while (read < buffer.Length && Rest(out var rest)) { read += Take(rest, buffer[read..]); }
        return read;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled<int>(cancellationToken) : ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken)
    {
        while (Rest(out var rest))
        {
            await destination.WriteAsync(rest, cancellationToken);
            _position += rest.Count;
        }
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => _length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        return _position;
    }

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException("the body is read-only");
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("the body is read-only");

    /// <summary>The unread bytes of the chunk that holds the position; false at the end.</summary>
    private bool Rest(out ArraySegment<byte> rest)
    {
        var start = 0L;
        foreach (var chunk in _chunks)
        {
            if (_position < start + chunk.Count)
            {
                rest = chunk[(int)(_position - start)..];
                return true;
            }

            start += chunk.Count;
        }

        rest = default;
        return false;
    }

    private int Take(ArraySegment<byte> rest, Span<byte> into)
    {
        var count = Math.Min(rest.Count, into.Length);
        rest.AsSpan(0, count).CopyTo(into);
        _position += count;
        return count;
    }
}
