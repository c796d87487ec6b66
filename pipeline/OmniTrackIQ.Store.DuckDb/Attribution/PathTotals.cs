namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>A path's row of <c>path_counts</c>: the conversions, conversion value and non-converting count of everyone who followed it.</summary>
internal readonly record struct PathTotals(double Conversions, double Value, double Nulls)
{
    /// <summary>
    /// The new totals of the paths in <paramref name="removed"/> or <paramref name="added"/>: <paramref name="current"/>
    /// less the people's old paths plus their new ones. A path nobody follows any more is left out (its row goes); one
    /// with no conversion left has no value left, so a rounding residue of the value cannot outlive its conversions.
    /// </summary>
    public static Dictionary<string, PathTotals> Merge(IReadOnlyDictionary<string, PathTotals> current,
        IReadOnlyDictionary<string, PathTotals> removed, IReadOnlyDictionary<string, PathTotals> added)
    {
        var merged = new Dictionary<string, PathTotals>(StringComparer.Ordinal);
        foreach (var path in removed.Keys.Concat(added.Keys))
        {
            if (merged.ContainsKey(path)) { continue; }
            var total = current.GetValueOrDefault(path);
            if (removed.TryGetValue(path, out var old)) { total = new(total.Conversions - old.Conversions, total.Value - old.Value, total.Nulls - old.Nulls); }
            if (added.TryGetValue(path, out var now)) { total = new(total.Conversions + now.Conversions, total.Value + now.Value, total.Nulls + now.Nulls); }
            if (total.Conversions == 0 && total.Nulls == 0) { continue; }
            merged[path] = total.Conversions == 0 ? total with { Value = 0 } : total;
        }

        return merged;
    }

    /// <summary>Adds one person's path to <paramref name="into"/>.</summary>
    public static void Add(Dictionary<string, PathTotals> into, string path, double conversions, double value, double nulls)
    {
        var known = into.GetValueOrDefault(path);
        into[path] = new(known.Conversions + conversions, known.Value + value, known.Nulls + nulls);
    }
}
