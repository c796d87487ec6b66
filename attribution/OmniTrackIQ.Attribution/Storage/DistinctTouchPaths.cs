using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Attribution.Storage;

/// <summary>
/// The distinct kept paths of an on-the-fly answer, numbered in the order first seen: a path is its touches' channel,
/// source, medium and campaign in order (what a data-driven credit is split by and an answer groups by), not their times
/// or flags. A million conversions share some tens of thousands of such paths, so each path's split is computed once
/// (<see cref="AdHocCredits"/>). Looked up from a span of touches without allocating; a new path is copied once.
/// </summary>
internal sealed class DistinctTouchPaths
{
    private readonly Dictionary<Touchpoint[], int> _numbers = new(new PathComparer());
    private readonly List<Touchpoint[]> _paths = [];

    public int Count => _paths.Count;

    /// <summary>The path numbered <paramref name="number"/>: its touches with time 0 and no flags.</summary>
    public Touchpoint[] this[int number] => _paths[number];

    /// <summary>The number of the path of these touches, a new one when it was not seen before.</summary>
    public int Intern(ReadOnlySpan<Touchpoint> touches)
    {
        var lookup = _numbers.GetAlternateLookup<ReadOnlySpan<Touchpoint>>();
        if (lookup.TryGetValue(touches, out var number)) { return number; }
        number = _paths.Count;
        lookup[touches] = number;
        _paths.Add(PathComparer.Copy(touches));
        return number;
    }

    /// <summary>Compares paths by their touches' channel, source, medium and campaign (ordinal), as arrays or spans.</summary>
    private sealed class PathComparer : IEqualityComparer<Touchpoint[]>, IAlternateEqualityComparer<ReadOnlySpan<Touchpoint>, Touchpoint[]>
    {
        public static Touchpoint[] Copy(ReadOnlySpan<Touchpoint> touches)
        {
            var copy = new Touchpoint[touches.Length];
            for (var i = 0; i < copy.Length; i++)
            {
                var t = touches[i];
                copy[i] = new Touchpoint(t.Channel, 0, TouchFlags.None, t.Source, t.Medium, t.Campaign);
            }

            return copy;
        }

        public Touchpoint[] Create(ReadOnlySpan<Touchpoint> alternate) => Copy(alternate);

        public bool Equals(Touchpoint[]? x, Touchpoint[]? y) => x is null ? y is null : y is not null && Equals(x.AsSpan(), y);

        public int GetHashCode(Touchpoint[] obj) => GetHashCode(obj.AsSpan());

        public bool Equals(ReadOnlySpan<Touchpoint> alternate, Touchpoint[] other)
        {
            if (alternate.Length != other.Length) { return false; }
            for (var i = 0; i < alternate.Length; i++)
            {
                var (a, b) = (alternate[i], other[i]);
                if (!string.Equals(a.Channel, b.Channel, StringComparison.Ordinal) || !string.Equals(a.Source, b.Source, StringComparison.Ordinal)
                    || !string.Equals(a.Medium, b.Medium, StringComparison.Ordinal) || !string.Equals(a.Campaign, b.Campaign, StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }

        public int GetHashCode(ReadOnlySpan<Touchpoint> alternate)
        {
            var hash = new HashCode();
            foreach (var t in alternate)
            {
                hash.Add(t.Channel, StringComparer.Ordinal);
                hash.Add(t.Source, StringComparer.Ordinal);
                hash.Add(t.Medium, StringComparer.Ordinal);
                hash.Add(t.Campaign, StringComparer.Ordinal);
            }

            return hash.ToHashCode();
        }
    }
}
