using System.Text.Json.Serialization;

namespace OmniTrackIQ.Pipeline.Ingest;

/// <summary>
/// Body of a 200 from the event routes: how many events are now durable, and each event refused on its own
/// (DESIGN "Acceptance"), also kept in <c>bad_events</c>. The list is bounded (<see cref="IngestPipeline"/>): past a few
/// KiB, refusals are only counted in <see cref="RejectedOmitted"/>, so no body can buy a larger answer than it sent.
/// </summary>
public sealed record AcceptedResponse(
    int Accepted,
    IReadOnlyList<Rejection> Rejected,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int RejectedOmitted = 0);

/// <summary>One refused event: its position in the batch, the field (JSON path), a machine reason and what to fix.</summary>
public sealed record Rejection(int Index, string Field, string Reason, string Detail);
