namespace OmniTrackIQ.Enrichment.GeoIp;

/// <summary>
/// Bounded, lock-free, direct-mapped cache of lookups keyed by the /24 (IPv4) or /48 (IPv6) network
/// of the client. Only results whose database network covers the whole key network are stored
/// (see <see cref="GeoIpDatabase"/>), so a hit is always exactly what the database would answer.
/// A colliding insert simply overwrites its slot: no eviction bookkeeping, no locks on the hot path.
/// One cache belongs to one database snapshot and is dropped with it on reload.
/// </summary>
internal sealed class NetworkCache
{
    internal const int DefaultCapacityBits = 13; // 8192 slots, a few MB at most

    private readonly Entry?[] _slots;
    private readonly int _shift;

    public NetworkCache(int capacityBits = DefaultCapacityBits)
    {
        _slots = new Entry?[1 << capacityBits];
        _shift = 64 - capacityBits;
    }

    public bool TryGet(ulong key, out GeoLocation location)
    {
        var entry = Volatile.Read(ref _slots[SlotOf(key)]);
        if (entry is not null && entry.Key == key)
        {
            location = entry.Location;
            return true;
        }

        location = GeoLocation.Empty;
        return false;
    }

    public void Set(ulong key, GeoLocation location) =>
        Volatile.Write(ref _slots[SlotOf(key)], new Entry(key, location));

    // Fibonacci hashing spreads neighbouring networks over the table.
    private int SlotOf(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> _shift);

    private sealed record Entry(ulong Key, GeoLocation Location);
}
