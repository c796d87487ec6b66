namespace OmniTrackIQ.Collector.Ingest;

/// <summary>Body of a 200 from <c>POST /v1/batch</c>: how many events are now durable.</summary>
public sealed record AcceptedResponse(int Accepted);
