using System.Globalization;
using System.Text;

namespace OmniTrackIQ.MemoryProbe;

/// <summary>
/// The process's resident memory by mapping (/proc/self/smaps): mapped files by name, glibc's main heap, the JIT's
/// double-mapped code, and anonymous mappings by size (glibc's thread arenas are 64 MB reservations, the GC's regions
/// sit in one huge reservation, thread stacks are 1.5-8 MB with a guard page).
/// </summary>
internal static class Mappings
{
    public static string Summary()
    {
        var byName = new Dictionary<string, (long Rss, long Anon, int Count)>(StringComparer.Ordinal);
        var anonymous = new List<(string Range, long SizeKb, long RssKb, string Perms)>();
        string current = "", range = "", perms = "";
        long size = 0;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            if (IsHeader(line))
            {
                var parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                range = parts[0];
                perms = parts[1];
                var path = parts.Length > 5 ? parts[5].Trim() : "";
                current = path.Length == 0 ? "" : path.StartsWith('/') ? "file " + Path.GetFileName(path) : path;
                continue;
            }

            if (line.StartsWith("Size:", StringComparison.Ordinal)) { size = Kb(line); }
            else if (line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                var rss = Kb(line);
                if (current.Length == 0) { anonymous.Add((range, size, rss, perms)); }
                var key = current.Length == 0 ? Bucket(range, size) : current;
                byName.TryGetValue(key, out var sum);
                byName[key] = (sum.Rss + rss, sum.Anon, sum.Count + 1);
            }
            else if (line.StartsWith("Anonymous:", StringComparison.Ordinal) && current.Length > 0)
            {
                var key = current;
                var sum = byName[key];
                byName[key] = (sum.Rss, sum.Anon + Kb(line), sum.Count);
            }
        }

        var text = new StringBuilder();
        var files = byName.Where(p => p.Key.StartsWith("file ", StringComparison.Ordinal)).ToList();
        Append(text, $"mapped files: {files.Sum(p => p.Value.Rss) / 1024} MB resident ({files.Sum(p => p.Value.Anon) / 1024} MB of it private copies), {files.Count} files");
        foreach (var (name, value) in byName.OrderByDescending(p => p.Value.Rss).Where(p => p.Value.Rss >= 512))
        {
            Append(text, $"  {name,-48} {value.Rss / 1024.0,8:F1} MB  (anon {value.Anon / 1024.0:F1}, {value.Count} mappings)");
        }

        Append(text, "largest anonymous mappings (range, size, resident, perms):");
        foreach (var (r, s, rss, p) in anonymous.OrderByDescending(a => a.RssKb).Take(25))
        {
            Append(text, $"  {r} {s / 1024.0,9:F1} MB {rss / 1024.0,8:F1} MB {p}");
        }

        return text.ToString();
    }

    private static bool IsHeader(string line)
    {
        var dash = line.IndexOf('-', StringComparison.Ordinal);
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        return dash > 0 && space > dash && line.AsSpan(0, dash).ContainsAnyExcept("0123456789abcdef") == false;
    }

    private static string Bucket(string range, long sizeKb) =>
        ulong.Parse(range.AsSpan(0, range.IndexOf('-', StringComparison.Ordinal)), NumberStyles.HexNumber, CultureInfo.InvariantCulture) % (64UL << 20) == 0 && sizeKb <= 65536
            ? "anon, 64 MB-aligned starts (glibc thread arenas)"
            : sizeKb switch
    {
        > 1024 * 1024 => "anon, in reservations > 1 GB (the GC's regions)",
        > 65536 => "anon, 64 MB-1 GB mappings",
        > 8192 => "anon, 8-64 MB mappings",
        > 1024 => "anon, 1-8 MB mappings (thread stacks, jemalloc extents)",
        _ => "anon, mappings under 1 MB",
    };

    private static long Kb(string line) =>
        long.Parse(line.AsSpan(line.IndexOf(':', StringComparison.Ordinal) + 1).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);

    private static void Append(StringBuilder text, string line) => text.Append(line).Append('\n');
}
