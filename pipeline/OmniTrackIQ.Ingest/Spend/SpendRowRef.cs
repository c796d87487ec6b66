namespace OmniTrackIQ.Pipeline.Spend;

/// <summary>
/// Where a row came from, for error fields: <c>rows[3].spend</c> in JSON, <c>line 4: spend</c> in CSV, and in a
/// platform's export the platform's own path (<c>data[2].spend</c>, <c>[0].results[5].metrics.costMicros</c>).
/// </summary>
internal readonly record struct SpendRowRef(int Number, bool IsCsvLine)
{
    /// <summary>The JSON array the row is an element of; "rows" for our own format.</summary>
    public string Array { get; init; } = "rows";

    /// <summary>Our field name → the platform's path of it inside the row, for platform exports.</summary>
    public IReadOnlyDictionary<string, string>? Names { get; init; }

    /// <summary>Built only when an error is reported, so valid rows allocate no labels.</summary>
    public string Field(string name) => IsCsvLine ? $"line {Number}: {name}" : $"{Row}.{NameOf(name)}";

    public string Row => IsCsvLine ? $"line {Number}" : $"{Array}[{Number}]";

    private string NameOf(string name) => Names is not null && Names.TryGetValue(name, out var platformName) ? platformName : name;
}
