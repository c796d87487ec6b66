using System.Text.Json.Serialization;
using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.Pipeline.Spool;

/// <summary>
/// Source-generated (reflection-free) JSON of events: an event the store refused, kept in bad_events as it was spooled;
/// and the spool records written up to session 7 (one record = one accepted batch), read for the upgrade only
/// (<see cref="SpoolJsonRecords"/>). Records are binary now (<see cref="SpoolBatchCodec"/>).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = false)]
[JsonSerializable(typeof(List<TrackedEvent>))]
[JsonSerializable(typeof(TrackedEvent))] // one event refused by the store, kept in bad_events as it was spooled
internal sealed partial class SpoolJsonContext : JsonSerializerContext;
