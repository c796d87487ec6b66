using System.Runtime.CompilerServices;

namespace OmniTrackIQ.Attribution.Storage;

/// <summary>
/// Numbers the strings of an answer's touches (channels, sources, campaigns) in the order first seen (null is -1), so paths
/// are keyed by numbers. A store's decoder shares each distinct string across journeys, so most look-ups are answered by a
/// small cache keyed by the string instance (no hashing of the characters); the rest by value. Equal strings get one number.
/// </summary>
internal sealed class StringNumbers
{
    private const int CacheSize = 4096;
    private readonly Dictionary<string, int> _numbers = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];
    private readonly string?[] _cachedStrings = new string?[CacheSize];
    private readonly int[] _cachedNumbers = new int[CacheSize];

    /// <summary>The string numbered <paramref name="number"/> (not -1).</summary>
    public string NameOf(int number) => _names[number];

    public int Of(string? value)
    {
        if (value is null) { return -1; }
        var slot = RuntimeHelpers.GetHashCode(value) & (CacheSize - 1);
        if (ReferenceEquals(_cachedStrings[slot], value)) { return _cachedNumbers[slot]; }
        if (!_numbers.TryGetValue(value, out var number))
        {
            number = _numbers.Count;
            _numbers[value] = number;
            _names.Add(value);
        }

        _cachedStrings[slot] = value;
        _cachedNumbers[slot] = number;
        return number;
    }
}
