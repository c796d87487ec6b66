using System.Runtime.InteropServices;

namespace OmniTrackIQ.Store.DuckDb;

/// <summary>
/// The jemalloc that DuckDB's Linux x64 library links in (its symbols prefixed <c>duckdb_je_</c>; the buffer pool and
/// DuckDB's large allocations go through it). DuckDB builds it to keep freed pages for a second (dirty, then another
/// second "muzzy": handed back with MADV_FREE, which the kernel reclaims only under pressure, so they stay in RSS), and
/// with no background thread that decay only advances while DuckDB allocates. Under the collector's load that held
/// 60-110 MB of freed pages on top of what DuckDB used, and 150 MB in a 1M full recompute (bench/RESULTS.md "Session 15").
/// DuckDB's own settings do not reach the decay (<c>allocator_background_threads</c> halved the gap but not the peak),
/// so it is set here, when configured, through jemalloc's <c>mallctl</c>, which the library exports. Process-wide, like
/// the allocator.
/// </summary>
internal static partial class DuckDbAllocator
{
    // The same library DuckDB.NET loads ("duckdb" resolves to the libduckdb.so beside the application).
    private const string Library = "duckdb";

    [LibraryImport(Library, EntryPoint = "duckdb_je_mallctl", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Write(string name, nint oldValue, nint oldLength, ref long newValue, nuint newLength);

    [LibraryImport(Library, EntryPoint = "duckdb_je_mallctl", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Read(string name, out long value, ref nuint length, nint newValue, nuint newLength);

    [LibraryImport(Library, EntryPoint = "duckdb_je_mallctl", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int ReadCount(string name, out uint value, ref nuint length, nint newValue, nuint newLength);

    /// <summary>
    /// Sets how long freed pages are kept before they go back to the kernel, for the arenas there are and those made
    /// later (milliseconds; 0 = at once, -1 = never). False when the library has no bundled jemalloc (another platform
    /// or build): DuckDB then allocates through the system's malloc and nothing is changed.
    /// </summary>
    public static bool TrySetDecay(long milliseconds)
    {
        try
        {
            var value = milliseconds;
            if (Write("arenas.dirty_decay_ms", 0, 0, ref value, sizeof(long)) != 0 ||
                Write("arenas.muzzy_decay_ms", 0, 0, ref value, sizeof(long)) != 0)
            {
                return false;
            }

            nuint length = sizeof(uint);
            var arenas = ReadCount("arenas.narenas", out var count, ref length, 0, 0) == 0 ? count : 0;
            for (var arena = 0; arena < arenas; arena++)
            {
                // An arena not made yet answers an error; it takes the defaults set above when it is made.
                _ = Write($"arena.{arena}.dirty_decay_ms", 0, 0, ref value, sizeof(long));
                _ = Write($"arena.{arena}.muzzy_decay_ms", 0, 0, ref value, sizeof(long));
            }

            return true;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>An arena's decay times as jemalloc reports them (dirty, muzzy), or null.</summary>
    public static (long Dirty, long Muzzy)? Decay(int arena)
    {
        try
        {
            nuint length = sizeof(long);
            if (Read($"arena.{arena}.dirty_decay_ms", out var dirty, ref length, 0, 0) != 0) { return null; }
            length = sizeof(long);
            return Read($"arena.{arena}.muzzy_decay_ms", out var muzzy, ref length, 0, 0) == 0 ? (dirty, muzzy) : null;
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
    }
}
