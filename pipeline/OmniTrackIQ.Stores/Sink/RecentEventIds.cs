using System.Buffers;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.Pipeline.Sink;

/// <summary>
/// The (workspace, message id) keys this process stored or found stored most recently: at most <see cref="Capacity"/>
/// of them, the oldest forgotten first. A store's writer skips a key it holds without asking the store (ClickHouse: no
/// existence query; DuckDB: a batch holding a retried id does not fall back to INSERT OR IGNORE). A key is the 128-bit
/// XxHash of the pair, not the strings: 44 bytes a key with the set and the ring, instead of keeping every id string
/// alive, and two different pairs sharing a hash (which would skip an event never stored) has a chance of about
/// n / 2^128 per lookup for n keys held, never to be met.
/// </summary>
public sealed class RecentEventIds
{
    /// <summary>Pairs up to this many bytes are hashed from the stack.</summary>
    private const int StackBytes = 512;

    private readonly Lock _lock = new();
    private readonly HashSet<UInt128> _keys;
    private readonly UInt128[] _ring;
    private int _oldest;

    /// <param name="capacity">How many keys are held; 0 holds none (every lookup misses).</param>
    public RecentEventIds(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _keys = new HashSet<UInt128>(capacity);
        _ring = new UInt128[capacity];
    }

    public int Capacity => _ring.Length;

    public int Count
    {
        get
        {
            lock (_lock) { return _keys.Count; }
        }
    }

    public bool Contains(string workspace, string messageId)
    {
        var key = Key(workspace, messageId);
        lock (_lock) { return _keys.Contains(key); }
    }

    /// <summary>
    /// The first event of each id in <paramref name="events"/> (a client retry spooled twice is kept once), without the
    /// ids held here: what a store still has to write. Both stores write through it.
    /// </summary>
    public List<TrackedEvent> NewOfEachId(IReadOnlyList<TrackedEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var seen = new HashSet<(string, string)>(events.Count);
        var fresh = new List<TrackedEvent>(events.Count);
        foreach (var e in events)
        {
            if (seen.Add((e.Workspace, e.MessageId)) && !Contains(e.Workspace, e.MessageId)) { fresh.Add(e); }
        }

        return fresh;
    }

    /// <summary>Holds the pair; when full, the oldest key held is forgotten to make room. A key held already stays where it is.</summary>
    public void Add(string workspace, string messageId)
    {
        if (_ring.Length == 0) { return; }
        var key = Key(workspace, messageId);
        lock (_lock)
        {
            if (!_keys.Add(key)) { return; }
            if (_keys.Count > _ring.Length)
            {
                _keys.Remove(_ring[_oldest]);
                _ring[_oldest] = key;
                _oldest = (_oldest + 1) % _ring.Length;
            }
            else
            {
                _ring[(_oldest + _keys.Count - 1) % _ring.Length] = key;
            }
        }
    }

    /// <summary>
    /// The pair's hash: the workspace's length first, so that ("ab", "c") and ("a", "bc") differ, then both as UTF-16.
    /// </summary>
    internal static UInt128 Key(string workspace, string messageId)
    {
        var length = sizeof(int) + (workspace.Length + messageId.Length) * sizeof(char);
        byte[]? rented = null;
        var bytes = length <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            MemoryMarshal.Write(bytes, workspace.Length);
            var rest = bytes[sizeof(int)..];
            MemoryMarshal.AsBytes(workspace.AsSpan()).CopyTo(rest);
            MemoryMarshal.AsBytes(messageId.AsSpan()).CopyTo(rest[(workspace.Length * sizeof(char))..]);
            return XxHash128.HashToUInt128(bytes[..length]);
        }
        finally
        {
            if (rented is not null) { ArrayPool<byte>.Shared.Return(rented); }
        }
    }
}
