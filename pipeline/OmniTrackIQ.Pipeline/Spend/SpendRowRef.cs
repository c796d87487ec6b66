namespace OmniTrackIQ.Pipeline.Spend;

/// <summary>Where a row came from, for error fields: <c>rows[3].spend</c> in JSON, <c>line 4: spend</c> in CSV.</summary>
internal readonly record struct SpendRowRef(int Number, bool IsCsvLine)
{
    /// <summary>Built only when an error is reported, so valid rows allocate no labels.</summary>
    public string Field(string name) => IsCsvLine ? $"line {Number}: {name}" : $"rows[{Number}].{name}";

    public string Row => IsCsvLine ? $"line {Number}" : $"rows[{Number}]";
}
