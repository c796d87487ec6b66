using System.Collections.Concurrent;

namespace OmniTrackIQ.UserAgents;

/// <summary>
/// Bounded, thread-safe cache of parse results keyed by the User-Agent (its first
/// <see cref="UserAgentParser.MaxUserAgentLength"/> chars, the part that is parsed).
/// </summary>
/// <remarks>
/// Eviction is by two generations rather than LRU or CLOCK: new entries go into the current
/// generation; when it holds half the capacity it becomes the previous one and a fresh, empty
/// generation starts (the old previous one is dropped whole). A hit in the previous generation is
/// copied into the current one, so UAs that keep arriving survive every rotation while one-off UAs
/// age out after at most two. This bounds the cache to about <c>capacity</c> entries, keeps reads
/// lock-free and write-free on a hit (CLOCK would set a reference bit per hit; LRU would reorder a
/// list under a lock), and costs one rotation per capacity/2 distinct new UAs.
/// A hit allocates nothing: the lookup goes through ConcurrentDictionary's span alternate lookup,
/// so even a UA longer than the cap is found without cutting a substring.
/// </remarks>
public sealed class UserAgentCache
{
    /// <summary>Default total capacity (config key <c>OmniTrack:UserAgents:CacheSize</c>).</summary>
    public const int DefaultCapacity = 10_000;

    private readonly UserAgentParser _parser;
    private readonly int _generationCapacity;
    private readonly Lock _rotateLock = new();
    private Generation _current = new();
    private Generation _previous = new();

    public UserAgentCache(UserAgentParser parser, int capacity = DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(parser);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        _parser = parser;
        _generationCapacity = capacity / 2;
    }

    /// <summary>Entries held now (both generations; a UA promoted from the previous one may count twice).</summary>
    public int Count => Volatile.Read(ref _current).Count + Volatile.Read(ref _previous).Count;

    /// <summary>The cached result for <paramref name="userAgent"/>, parsing and caching it on a miss. Never throws on input.</summary>
    public UserAgentInfo GetOrParse(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return _parser.Parse(userAgent); // a shared instance, nothing to cache
        }

        var key = userAgent.AsSpan(0, Math.Min(userAgent.Length, UserAgentParser.MaxUserAgentLength));
        var current = Volatile.Read(ref _current);
        if (current.Lookup.TryGetValue(key, out var info))
        {
            return info;
        }

        if (Volatile.Read(ref _previous).Lookup.TryGetValue(key, out info))
        {
            Add(current, info);
            return info;
        }

        info = _parser.Parse(userAgent);
        if (info.Cacheable)
        {
            Add(current, info);
        }

        return info;
    }

    private void Add(Generation generation, UserAgentInfo info)
    {
        // The key is the matched (capped) UA the result already holds, so caching stores no new string.
        if (generation.Map.TryAdd(info.UserAgent!, info)
            && Interlocked.Increment(ref generation.Added) >= _generationCapacity)
        {
            Rotate(generation);
        }
    }

    private void Rotate(Generation full)
    {
        lock (_rotateLock)
        {
            // Several writers can see the same generation fill up; only the first one rotates it.
            if (!ReferenceEquals(_current, full))
            {
                return;
            }

            Volatile.Write(ref _previous, full);
            Volatile.Write(ref _current, new Generation());
        }
    }

    private sealed class Generation
    {
        public readonly ConcurrentDictionary<string, UserAgentInfo> Map = new(StringComparer.Ordinal);
        public readonly ConcurrentDictionary<string, UserAgentInfo>.AlternateLookup<ReadOnlySpan<char>> Lookup;
        public int Added;

        public Generation() => Lookup = Map.GetAlternateLookup<ReadOnlySpan<char>>();

        public int Count => Volatile.Read(ref Added);
    }
}
