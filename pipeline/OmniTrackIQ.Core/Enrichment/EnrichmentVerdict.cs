namespace OmniTrackIQ.Pipeline.Enrichment;

/// <summary>Outcome of an enrichment step: accept, or reject naming the field and the reason.</summary>
public readonly record struct EnrichmentVerdict(string? RejectedField, string? Reason)
{
    public static EnrichmentVerdict Accept => default;
    public bool IsRejected => Reason is not null;
    public static EnrichmentVerdict Reject(string field, string reason) => new(field, reason);
}
