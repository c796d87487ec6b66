namespace OmniTrackIQ.Pipeline.Spool;

/// <summary>A byte position in the spool: segment number and offset inside that segment file.</summary>
public readonly record struct SpoolPosition(long Segment, long Offset) : IComparable<SpoolPosition>
{
    public int CompareTo(SpoolPosition other) =>
        Segment != other.Segment ? Segment.CompareTo(other.Segment) : Offset.CompareTo(other.Offset);

    public static bool operator <(SpoolPosition a, SpoolPosition b) => a.CompareTo(b) < 0;
    public static bool operator >(SpoolPosition a, SpoolPosition b) => a.CompareTo(b) > 0;
    public static bool operator <=(SpoolPosition a, SpoolPosition b) => a.CompareTo(b) <= 0;
    public static bool operator >=(SpoolPosition a, SpoolPosition b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"{Segment}:{Offset}";
}
