namespace OmniTrackIQ.Pipeline.Ingest;

/// <summary>
/// A field's JSON path (<c>batch[3].context.page.url</c>), made into text only when a refusal or a flag names it:
/// the hot path reads hundreds of fields a batch and names almost none, so it must not build their paths.
/// </summary>
/// <param name="Index">The event's position in its batch; -1 for a single-event body or the batch envelope.</param>
/// <param name="Name">The path inside the event (a constant), empty for the event itself.</param>
public readonly record struct FieldPath(int Index, string Name)
{
    public override string ToString() => (Index, Name) switch
    {
        ( < 0, "") => "$",
        ( < 0, _) => Name,
        (_, "") => $"batch[{Index}]",
        _ => $"batch[{Index}].{Name}",
    };

    public static implicit operator FieldPath(string name) => new(-1, name);
}
