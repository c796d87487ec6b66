namespace OmniTrackIQ.Pipeline.Ingest;

/// <summary>Why input was refused: the HTTP status, the field at fault (JSON path), a human detail and a metric label.</summary>
public sealed record IngestError(int Status, string Field, string Detail, string Reason)
{
    public static IngestError BadRequest(string field, string detail, string reason = "invalid_field") => new(400, field, detail, reason);
}
