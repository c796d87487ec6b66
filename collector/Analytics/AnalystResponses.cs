using System.Text.Json.Serialization;
using OmniTrackIQ.Pipeline.Analytics;

namespace OmniTrackIQ.Collector.Analytics;

/// <summary><c>GET /v1/metrics/daily</c>: every day's totals (the chart) and each day's groups (the table).</summary>
internal sealed record DailyResponse(string Model, string GroupBy, string? Key, string? Channel, DateTime From, DateTime To, IReadOnlyList<DailyTotal> Days, IReadOnlyList<DailyGroupRow> Rows);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(MetricsComparison))]
[JsonSerializable(typeof(DailyResponse))]
[JsonSerializable(typeof(OrderPage))]
internal sealed partial class AnalystJsonContext : JsonSerializerContext;
