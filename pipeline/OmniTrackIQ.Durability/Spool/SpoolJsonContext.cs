using System.Text.Json.Serialization;
using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.Pipeline.Spool;

/// <summary>Source-generated (reflection-free) JSON for spool payloads: one record = one accepted batch.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = false)]
[JsonSerializable(typeof(List<TrackedEvent>))]
[JsonSerializable(typeof(TrackedEvent))] // one event refused by the store, kept in bad_events as it was spooled
internal sealed partial class SpoolJsonContext : JsonSerializerContext;
