namespace OmniTrackIQ.Attribution.Storage;

/// <summary>What attribution summaries group their rows (and the ad spend) by.</summary>
public enum AttributionGroupBy
{
    Channel,
    Source,
    Campaign,
}

/// <summary>The one place a <c>groupBy</c> text becomes an <see cref="AttributionGroupBy"/> and back.</summary>
public static class AttributionGroupings
{
    /// <summary>The accepted texts, in <see cref="AttributionGroupBy"/> order (what a 400 lists).</summary>
    public static IReadOnlyList<string> Names { get; } = ["channel", "source", "campaign"];

    /// <summary>Every grouping, in <see cref="Names"/> order.</summary>
    public static IReadOnlyList<AttributionGroupBy> All { get; } = [AttributionGroupBy.Channel, AttributionGroupBy.Source, AttributionGroupBy.Campaign];

    /// <summary>Reads a <c>groupBy</c> value (exact, lower-case); empty or missing is <see cref="AttributionGroupBy.Channel"/>.</summary>
    public static bool TryParse(string? text, out AttributionGroupBy groupBy)
    {
        groupBy = AttributionGroupBy.Channel;
        if (string.IsNullOrEmpty(text)) { return true; }
        for (var i = 0; i < Names.Count; i++)
        {
            if (string.Equals(Names[i], text, StringComparison.Ordinal)) { groupBy = All[i]; return true; }
        }

        return false;
    }

    /// <summary>The wire name (<c>channel</c>, <c>source</c>, <c>campaign</c>).</summary>
    public static string Name(this AttributionGroupBy groupBy) => Names[(int)groupBy];
}
