namespace OmniTrackIQ.Attribution.Journeys;

/// <summary>
/// Channel and UTM values repeat endlessly across a store's journey stream; one string instance each keeps a million
/// journeys small. Bounded, so a stream of distinct values (an abusive campaign parameter) cannot grow it without end.
/// </summary>
public sealed class StringPool
{
    private const int MaxEntries = 100_000;
    private readonly Dictionary<string, string> _pool = new(StringComparer.Ordinal);

    public string? Intern(string? value)
    {
        if (value is null) { return null; }
        if (_pool.TryGetValue(value, out var pooled)) { return pooled; }
        if (_pool.Count < MaxEntries) { _pool[value] = value; }
        return value;
    }
}
