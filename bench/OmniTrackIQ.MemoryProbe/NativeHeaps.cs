using System.Runtime.InteropServices;

namespace OmniTrackIQ.MemoryProbe;

/// <summary>
/// What the two native allocators of the process hold: glibc's (the runtime's own and DuckDB's C++ objects) through
/// <c>mallinfo2</c>, and the jemalloc DuckDB links in (its buffer pool and large allocations, symbols prefixed
/// <c>duckdb_je_</c>) through its <c>mallctl</c> statistics.
/// </summary>
internal static unsafe class NativeHeaps
{
    private static readonly delegate* unmanaged<byte*, void*, nuint*, void*, nuint, int> Mallctl = FindMallctl();

    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint Arena, Ordblks, Smblks, Hblks, Hblkhd, Usmblks, Fsmblks, Uordblks, Fordblks, Keepcost;
    }

    [DllImport("libc", EntryPoint = "mallinfo2")]
    private static extern MallInfo2 MallInfo();

    [DllImport("libc", EntryPoint = "malloc_info")]
    private static extern int MallocInfo(int options, nint stream);

    [DllImport("libc", EntryPoint = "fopen")]
    private static extern nint FOpen([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [MarshalAs(UnmanagedType.LPUTF8Str)] string mode);

    [DllImport("libc", EntryPoint = "fclose")]
    private static extern int FClose(nint stream);

    /// <summary>glibc: bytes in its arenas (sbrk and arena heaps), in chunks mmapped alone, in use, and free but kept.</summary>
    public static (long Arenas, long Mmapped, long InUse, long Free) Glibc()
    {
        var info = MallInfo();
        return ((long)info.Arena, (long)info.Hblkhd, (long)info.Uordblks, (long)info.Fordblks);
    }

    /// <summary>glibc's own per-arena report (XML), written to <paramref name="path"/>.</summary>
    public static void GlibcReport(string path)
    {
        var stream = FOpen(path, "w");
        if (stream == 0) { return; }
        _ = MallocInfo(0, stream);
        _ = FClose(stream);
    }

    /// <summary>DuckDB's jemalloc: allocated, active pages, resident, mapped, retained (unmapped but reserved); -1 when not found.</summary>
    public static (long Allocated, long Active, long Resident, long Mapped, long Retained, long Arenas) Jemalloc()
    {
        if (Mallctl == null) { return (-1, -1, -1, -1, -1, -1); }
        ulong epoch = 1;
        Set("epoch", epoch);
        return (Get("stats.allocated"), Get("stats.active"), Get("stats.resident"), Get("stats.mapped"), Get("stats.retained"), GetUInt("arenas.narenas"));
    }

    /// <summary>jemalloc's options that decide what it keeps: decay times, arenas, background threads, thread caches.</summary>
    public static string JemallocOptions()
    {
        if (Mallctl == null) { return "jemalloc: not found"; }
        return string.Join(' ',
            $"opt.dirty_decay_ms={Read("opt.dirty_decay_ms", 8)}", $"opt.muzzy_decay_ms={Read("opt.muzzy_decay_ms", 8)}",
            $"opt.narenas={Read("opt.narenas", 4)}", $"opt.background_thread={Read("opt.background_thread", 1)}",
            $"background_thread={Read("background_thread", 1)}", $"opt.tcache={Read("opt.tcache", 1)}",
            $"opt.tcache_max={Read("opt.tcache_max", 8)}", $"opt.oversize_threshold={Read("opt.oversize_threshold", 8)}",
            $"arena.0.dirty_decay_ms={Read("arena.0.dirty_decay_ms", 8)}");
    }

    /// <summary>
    /// Sets jemalloc's decay times (ms; 0 = purge at once, -1 = never) for every arena there is and every one made later.
    /// </summary>
    public static bool SetJemallocDecay(long dirtyMs, long muzzyMs)
    {
        if (Mallctl == null) { return false; }
        var ok = Write("arenas.dirty_decay_ms", dirtyMs) & Write("arenas.muzzy_decay_ms", muzzyMs);
        var arenas = Read("arenas.narenas", 4) ?? 0;
        for (var i = 0; i < arenas; i++)
        {
            // An arena not made yet answers an error: it takes the defaults above when it is.
            _ = Write($"arena.{i}.dirty_decay_ms", dirtyMs);
            _ = Write($"arena.{i}.muzzy_decay_ms", muzzyMs);
        }

        return ok;
    }

    private static bool Write(string name, long value)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(name + "\0");
        fixed (byte* n = bytes)
        {
            return Mallctl(n, null, null, &value, sizeof(long)) == 0;
        }
    }

    private static long? Read(string name, int size)
    {
        long value = 0;
        nuint length = (nuint)size;
        var bytes = System.Text.Encoding.ASCII.GetBytes(name + "\0");
        fixed (byte* n = bytes)
        {
            if (Mallctl(n, &value, &length, null, 0) != 0) { return null; }
        }

        return size switch { 1 => value & 0xFF, 4 => value & 0xFFFFFFFF, _ => value };
    }

    private static long Get(string name)
    {
        nuint value = 0;
        nuint length = (nuint)sizeof(nuint);
        var bytes = System.Text.Encoding.ASCII.GetBytes(name + "\0");
        fixed (byte* n = bytes)
        {
            return Mallctl(n, &value, &length, null, 0) == 0 ? (long)value : -1;
        }
    }

    private static long GetUInt(string name)
    {
        uint value = 0;
        nuint length = sizeof(uint);
        var bytes = System.Text.Encoding.ASCII.GetBytes(name + "\0");
        fixed (byte* n = bytes)
        {
            return Mallctl(n, &value, &length, null, 0) == 0 ? value : -1;
        }
    }

    private static void Set(string name, ulong value)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(name + "\0");
        fixed (byte* n = bytes)
        {
            _ = Mallctl(n, null, null, &value, (nuint)sizeof(ulong));
        }
    }

    private static delegate* unmanaged<byte*, void*, nuint*, void*, nuint, int> FindMallctl()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "libduckdb.so");
        if (!File.Exists(path) || !NativeLibrary.TryLoad(path, out var library)) { return null; }
        return NativeLibrary.TryGetExport(library, "duckdb_je_mallctl", out var export)
            ? (delegate* unmanaged<byte*, void*, nuint*, void*, nuint, int>)export
            : null;
    }
}
