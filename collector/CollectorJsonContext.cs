using System.Text.Json.Serialization;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Pipeline.Workspaces;

namespace OmniTrackIQ.Collector;

/// <summary>Source-generated JSON for the collector's own responses and files.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = false)]
[JsonSerializable(typeof(WorkspaceSettings))]
[JsonSerializable(typeof(EventStats))]
[JsonSerializable(typeof(OmniTrackIQ.Pipeline.Ingest.AcceptedResponse))]
[JsonSerializable(typeof(Ingest.SegmentSettings))]
[JsonSerializable(typeof(Stats.RecentEvents))]
[JsonSerializable(typeof(OmniTrackIQ.Pipeline.Orders.OrderDetail))]
[JsonSerializable(typeof(Stats.RecentBadEvents))]
[JsonSerializable(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails))]
[JsonSerializable(typeof(Privacy.ErasureResponse))]
internal sealed partial class CollectorJsonContext : JsonSerializerContext;
