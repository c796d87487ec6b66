using System.Net;
using MaxMind.Db;
using MaxMind.GeoIP2;
using MaxMind.GeoIP2.Responses;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OmniTrackIQ.Enrichment.GeoIp;

/// <summary>
/// The shared, hot-reloadable MaxMind databases. Readers are memory-mapped; when a configured file is
/// replaced (seen by a <see cref="FileSystemWatcher"/> or by the periodic stamp check) new readers are
/// opened and swapped in atomically; the old ones are disposed after <see cref="RetireGracePeriod"/>
/// so lookups still running on them finish safely.
/// Replace database files atomically (write a temp file, then rename, as geoipupdate does): rewriting
/// a memory-mapped file in place can pull pages from under a running reader.
/// </summary>
public sealed class GeoIpDatabase : IDisposable
{
    internal static readonly TimeSpan RetireGracePeriod = TimeSpan.FromSeconds(30);

    private static readonly string[] Locales = ["en"];

    private readonly string? _cityPath;
    private readonly string? _asnPath;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _reloadLock = new();
    private readonly List<(GeoIpSnapshot Snapshot, DateTimeOffset RetiredAt)> _retired = [];
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly ITimer? _pollTimer;
    private GeoIpSnapshot _current = GeoIpSnapshot.Disabled;
    private bool _disposed;

    public GeoIpDatabase(IOptions<GeoIpOptions> options, ILogger<GeoIpDatabase> logger, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        _cityPath = FullPathOrNull(settings.CityDatabase);
        _asnPath = FullPathOrNull(settings.AsnDatabase);
        _logger = logger;
        _timeProvider = timeProvider ?? TimeProvider.System;

        if (_cityPath is null && _asnPath is null)
        {
            _logger.LogInformation("GeoIP is off: no {Section}:CityDatabase configured; geo fields stay empty.", GeoIpOptions.SectionName);
            return;
        }

        WarnIfMissing(_cityPath);
        WarnIfMissing(_asnPath);
        CheckForChanges();
        Watch(_cityPath);
        Watch(_asnPath);
        if (settings.ReloadCheckSeconds > 0)
        {
            var period = TimeSpan.FromSeconds(settings.ReloadCheckSeconds);
            _pollTimer = _timeProvider.CreateTimer(static state => ((GeoIpDatabase)state!).CheckInBackground(), this, period, period);
        }
    }

    /// <summary>Replaced snapshots still waiting for their grace period to end.</summary>
    internal int RetiredCount
    {
        get
        {
            lock (_reloadLock)
            {
                return _retired.Count;
            }
        }
    }

    /// <summary>True while at least one database is open.</summary>
    public bool IsEnabled => !Volatile.Read(ref _current).IsEmpty;

    /// <summary>
    /// Compares the configured files with the open ones and swaps in new readers when a file changed.
    /// Called by the watcher and the poll timer; public so operators (and tests) can force a check.
    /// Returns true when new readers were swapped in. Never throws: a file that cannot be opened (for
    /// example half-copied) is logged and the current readers stay.
    /// </summary>
    public bool CheckForChanges()
    {
        lock (_reloadLock)
        {
            if (_disposed)
            {
                return false;
            }

            DisposeRetired(force: false);
            var current = _current;
            var cityStamp = FileStamp.Of(_cityPath);
            var asnStamp = FileStamp.Of(_asnPath);
            // A missing file keeps whatever is open: an unlinked, mapped file stays readable.
            var cityChanged = cityStamp.Exists && cityStamp != current.CityStamp;
            var asnChanged = asnStamp.Exists && asnStamp != current.AsnStamp;
            if (!cityChanged && !asnChanged)
            {
                return false;
            }

            if (!TryOpen(_cityPath, cityChanged, current.City, out var city))
            {
                return false;
            }

            if (!TryOpen(_asnPath, asnChanged, current.Asn, out var asn))
            {
                city?.Dispose();
                return false;
            }

            var next = new GeoIpSnapshot(
                city, cityChanged ? cityStamp : current.CityStamp,
                asn, asnChanged ? asnStamp : current.AsnStamp);
            Interlocked.Exchange(ref _current, next);
            if (!ReferenceEquals(current, GeoIpSnapshot.Disabled))
            {
                _retired.Add((current, _timeProvider.GetUtcNow()));
            }

            _logger.LogInformation("GeoIP databases loaded: city {City} ({CityType}), asn {Asn} ({AsnType}).",
                _cityPath, next.City?.Metadata.DatabaseType ?? "none", _asnPath, next.Asn?.Metadata.DatabaseType ?? "none");
            return true;
        }
    }

    /// <summary>
    /// Geo facts for a client address; <see cref="GeoLocation.Empty"/> for private addresses, misses
    /// and when no database is open. Allocation-free on a cache hit.
    /// </summary>
    internal GeoLocation Lookup(IPAddress address)
    {
        var snapshot = Volatile.Read(ref _current);
        if (snapshot.IsEmpty)
        {
            return GeoLocation.Empty;
        }

        Span<byte> bytes = stackalloc byte[16];
        var length = IpBytes.Write(address, bytes);
        if (length == 0 || !IpBytes.IsPublic(bytes[..length]))
        {
            return GeoLocation.Empty;
        }

        var key = CacheKey(bytes, length, out var keyPrefix);
        if (snapshot.Cache.TryGet(key, out var cached))
        {
            return cached;
        }

        var lookupAddress = length == 4 && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? address.MapToIPv4()
            : address;
        var location = Resolve(snapshot, lookupAddress, keyPrefix, out var cacheable);
        if (cacheable)
        {
            snapshot.Cache.Set(key, location);
        }

        return location;
    }

    public void Dispose()
    {
        lock (_reloadLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _pollTimer?.Dispose();
            foreach (var watcher in _watchers)
            {
                watcher.Dispose();
            }

            DisposeRetired(force: true);
            _current.Dispose();
            _current = GeoIpSnapshot.Disabled;
        }
    }

    // IPv4: the /24 with a family tag; IPv6: the /48. Tags keep the two families apart.
    private static ulong CacheKey(ReadOnlySpan<byte> bytes, int length, out int keyPrefix)
    {
        if (length == 4)
        {
            keyPrefix = 24;
            return (4UL << 56) | ((ulong)bytes[0] << 16) | ((ulong)bytes[1] << 8) | bytes[2];
        }

        keyPrefix = 48;
        return (6UL << 56) | ((ulong)bytes[0] << 40) | ((ulong)bytes[1] << 32) | ((ulong)bytes[2] << 24)
            | ((ulong)bytes[3] << 16) | ((ulong)bytes[4] << 8) | bytes[5];
    }

    private GeoLocation Resolve(GeoIpSnapshot snapshot, IPAddress address, int keyPrefix, out bool cacheable)
    {
        cacheable = true;
        CityResponse? city = null;
        AsnResponse? asn = null;
        CountryResponse? countryOnly = null;
        try
        {
            if (snapshot.CityIsCountryOnly)
            {
                cacheable &= snapshot.City!.TryCountry(address, out var country) && Covers(country?.Traits.Network, keyPrefix);
                countryOnly = country;
            }
            else if (snapshot.City is not null)
            {
                cacheable &= snapshot.City.TryCity(address, out city) && Covers(city?.Traits.Network, keyPrefix);
            }

            if (snapshot.Asn is not null)
            {
                cacheable &= snapshot.Asn.TryAsn(address, out asn) && Covers(asn?.Network, keyPrefix);
            }
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidDatabaseException or InvalidOperationException)
        {
            // An IPv6 client against an IPv4-only database, or a damaged file: no geo, no crash.
            _logger.LogDebug(ex, "GeoIP lookup failed for an address of family {Family}.", address.AddressFamily);
            cacheable = false;
            return GeoLocation.Empty;
        }

        if (city is null && countryOnly is null && asn is null)
        {
            return GeoLocation.Empty;
        }

        var subdivision = city?.Subdivisions.Count > 0 ? city.Subdivisions[0] : null;
        return new GeoLocation(
            city?.Country.IsoCode ?? countryOnly?.Country.IsoCode,
            subdivision?.IsoCode ?? subdivision?.Name,
            city?.City.Name,
            asn?.AutonomousSystemNumber is { } number and >= 0 and <= uint.MaxValue ? (uint)number : null,
            asn?.AutonomousSystemOrganization);
    }

    // The database network must contain the whole cache-key network for the answer to be shared.
    private static bool Covers(Network? network, int keyPrefix) => network is not null && network.PrefixLength <= keyPrefix;

    // Opens a changed file and reopens an unchanged open one (each snapshot owns, and disposes, its
    // readers). False when opening failed: the caller keeps the current snapshot, and since its stamps
    // stay as they were the next check retries.
    private bool TryOpen(string? path, bool changed, DatabaseReader? open, out DatabaseReader? reader)
    {
        reader = null;
        if (path is null || (!changed && open is null))
        {
            return true;
        }

        try
        {
            reader = new DatabaseReader(path, Locales, FileAccessMode.MemoryMapped);
            return true;
        }
#pragma warning disable CA1031 // the file is external input: whatever a damaged one throws, keep the old reader
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.LogWarning(ex, "GeoIP database {Path} could not be opened; keeping the previous one.", path);
            return false;
        }
    }

    private void DisposeRetired(bool force)
    {
        var now = _timeProvider.GetUtcNow();
        for (var i = _retired.Count - 1; i >= 0; i--)
        {
            if (force || now - _retired[i].RetiredAt >= RetireGracePeriod)
            {
                _retired[i].Snapshot.Dispose();
                _retired.RemoveAt(i);
            }
        }
    }

    private void Watch(string? path)
    {
        var directory = Path.GetDirectoryName(path);
        if (path is null || directory is null || !Directory.Exists(directory))
        {
            return;
        }

        try
        {
            var watcher = new FileSystemWatcher(directory, Path.GetFileName(path))
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            watcher.Changed += OnFileEvent;
            watcher.Created += OnFileEvent;
            watcher.Renamed += OnFileEvent;
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException)
        {
            // inotify limits and the like: the poll timer still picks up changes.
            _logger.LogWarning(ex, "Cannot watch {Path} for changes; relying on periodic checks.", path);
        }
    }

    private void WarnIfMissing(string? path)
    {
        if (path is not null && !File.Exists(path))
        {
            _logger.LogWarning("GeoIP database {Path} not found; its lookups are off until the file appears.", path);
        }
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e) => CheckInBackground();

    // Timer and watcher callbacks run on pool threads, where an escaping exception ends the process.
    // Expected failures are handled inside CheckForChanges; this catches the unexpected ones.
    private void CheckInBackground()
    {
        try
        {
            CheckForChanges();
        }
#pragma warning disable CA1031 // last-resort guard of a background callback
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.LogError(ex, "GeoIP reload check failed; keeping the current databases.");
        }
    }

    private static string? FullPathOrNull(string? path) => string.IsNullOrWhiteSpace(path) ? null : Path.GetFullPath(path);
}
