using System.Text.Json.Serialization;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Collector.Attribution;

internal sealed record AttributionSummaryResponse(string Model, string GroupBy, List<AttributionSummaryRow> Rows);

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
