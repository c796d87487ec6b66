using System.Runtime.InteropServices;

namespace OmniTrackIQ.Attribution.Storage;

/// <summary>
/// Compares arrays of plain values by their contents, and looks them up from a span without allocating
/// (<c>GetAlternateLookup&lt;ReadOnlySpan&lt;T&gt;&gt;</c>): the key of a dictionary that interns sequences read from a buffer
/// (a path's channel numbers, a string's UTF-8 bytes) and copies one only when it is new.
/// </summary>
public sealed class SpanSequenceComparer<T> : IEqualityComparer<T[]>, IAlternateEqualityComparer<ReadOnlySpan<T>, T[]>
    where T : unmanaged, IEquatable<T>
{
    public static readonly SpanSequenceComparer<T> Instance = new();

    private SpanSequenceComparer() { }

    public T[] Create(ReadOnlySpan<T> alternate) => alternate.ToArray();

    public bool Equals(T[]? x, T[]? y) => x is null ? y is null : y is not null && x.AsSpan().SequenceEqual(y);

    public int GetHashCode(T[] obj) => GetHashCode(obj.AsSpan());

    public bool Equals(ReadOnlySpan<T> alternate, T[] other) => alternate.SequenceEqual(other);

    public int GetHashCode(ReadOnlySpan<T> alternate)
    {
        var hash = new HashCode();
        hash.AddBytes(MemoryMarshal.AsBytes(alternate));
        return hash.ToHashCode();
    }
}
