namespace OmniTrackIQ.Attribution.Identity;

/// <summary>
/// The stored form of <see cref="PersonResolver"/>'s answer, for a store that keeps it between runs (DuckDB's
/// <c>identity_people</c>): one row per key whose person is another key. A key without a row is its own person, so a
/// person's keys are its name plus the keys whose row names it, and one person's rows are replaced without touching
/// anyone else's. A full recompute and a chain of ticks over the same links store the same rows, since every row is
/// the resolver's over whole components.
/// </summary>
public static class PersonMap
{
    /// <summary>The rows of <paramref name="keys"/> (each key once, in ordinal order): those whose person is not the key itself.</summary>
    public static List<(string Key, string Person)> Rows(PersonResolver people, IEnumerable<string> keys)
    {
        var rows = new List<(string Key, string Person)>();
        foreach (var key in keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var person = people.Find(key);
            if (!string.Equals(person, key, StringComparison.Ordinal)) { rows.Add((key, person)); }
        }

        return rows;
    }
}
