using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Attribution.Storage;

/// <summary>
/// The distinct kept paths of an on-the-fly answer, numbered in the order first seen: a path is its touches' channels and
/// the part of each the answer is grouped by (source or campaign), in order: what a data-driven credit is split by and
/// summed under, and nothing else (times, flags, the other parts would only make paths that sum alike distinct). A million
/// conversions share some tens of thousands of such paths, so each path's split is computed once (<see cref="AdHocCredits"/>).
/// Looked up from a span of touches without allocating; a new path is copied once.
/// </summary>
internal sealed class DistinctTouchPaths
{
    private readonly Dictionary<Touchpoint[], int> _numbers;
    private readonly List<Touchpoint[]> _paths = [];

    public DistinctTouchPaths(AttributionGroupBy groupBy) => _numbers = new Dictionary<Touchpoint[], int>(new PathComparer(groupBy));

    public int Count => _paths.Count;

    /// <summary>The path numbered <paramref name="number"/>: its touches' channel and grouped part, with time 0 and no flags.</summary>
    public Touchpoint[] this[int number] => _paths[number];

    /// <summary>The number of the path of these touches, a new one when it was not seen before.</summary>
    public int Intern(ReadOnlySpan<Touchpoint> touches)
    {
        var lookup = _numbers.GetAlternateLookup<ReadOnlySpan<Touchpoint>>();
        if (lookup.TryGetValue(touches, out var number)) { return number; }
        number = _paths.Count;
        var path = ((PathComparer)_numbers.Comparer).Create(touches);
        _numbers[path] = number;
        _paths.Add(path);
        return number;
    }

    /// <summary>Compares paths by their touches' channel and grouped part (ordinal), as arrays or spans.</summary>
    private sealed class PathComparer(AttributionGroupBy groupBy) : IEqualityComparer<Touchpoint[]>, IAlternateEqualityComparer<ReadOnlySpan<Touchpoint>, Touchpoint[]>
    {
        public Touchpoint[] Create(ReadOnlySpan<Touchpoint> alternate)
        {
            var copy = new Touchpoint[alternate.Length];
            for (var i = 0; i < copy.Length; i++)
            {
                var t = alternate[i];
                copy[i] = groupBy switch
                {
                    AttributionGroupBy.Source => new Touchpoint(t.Channel, 0, TouchFlags.None, source: t.Source),
                    AttributionGroupBy.Campaign => new Touchpoint(t.Channel, 0, TouchFlags.None, campaign: t.Campaign),
                    _ => new Touchpoint(t.Channel, 0),
                };
            }

            return copy;
        }

        public bool Equals(Touchpoint[]? x, Touchpoint[]? y) => x is null ? y is null : y is not null && Equals(x.AsSpan(), y);

        public int GetHashCode(Touchpoint[] obj) => GetHashCode(obj.AsSpan());

        public bool Equals(ReadOnlySpan<Touchpoint> alternate, Touchpoint[] other)
        {
            if (alternate.Length != other.Length) { return false; }
            for (var i = 0; i < alternate.Length; i++)
            {
                if (!string.Equals(alternate[i].Channel, other[i].Channel, StringComparison.Ordinal)
                    || !string.Equals(Grouped(alternate[i]), Grouped(other[i]), StringComparison.Ordinal))
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
                hash.Add(Grouped(t), StringComparer.Ordinal);
            }

            return hash.ToHashCode();
        }

        private string? Grouped(in Touchpoint touch) => groupBy switch
        {
            AttributionGroupBy.Source => touch.Source,
            AttributionGroupBy.Campaign => touch.Campaign,
            _ => null,
        };
    }
}
