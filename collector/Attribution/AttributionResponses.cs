using System.Text.Json.Serialization;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Collector.Attribution;

/// <summary><c>GET /v1/attribution/summary</c>; <paramref name="Channel"/> is the channel filter (null: every channel).</summary>
internal sealed record AttributionSummaryResponse(string Model, string GroupBy, string? Channel, List<AttributionSummaryRow> Rows);

internal sealed record AttributionCompareResponse(string GroupBy, Dictionary<string, List<AttributionSummaryRow>> Models);

internal sealed record AttributionPathsResponse(List<TopPathRow> Paths);

internal sealed record AttributionRunResponse(int Conversions, int People);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(AttributionSummaryResponse))]
[JsonSerializable(typeof(AttributionCompareResponse))]
[JsonSerializable(typeof(AttributionRunResponse))]
[JsonSerializable(typeof(AttributionPathsResponse))]
[JsonSerializable(typeof(CoverageReport))]
internal sealed partial class AttributionJsonContext : JsonSerializerContext;
