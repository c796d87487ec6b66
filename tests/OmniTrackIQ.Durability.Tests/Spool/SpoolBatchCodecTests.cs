using System.Buffers;
using System.Buffers.Binary;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Spool;

namespace OmniTrackIQ.Pipeline.Tests.Spool;

/// <summary>
/// The binary spool record (issue 16): every spooled field of random enriched events comes back equal; a payload cut
/// short, with bytes left over or with impossible values is refused with a reason naming the field, never an exception.
/// </summary>
public sealed class SpoolBatchCodecTests
{
    [Fact]
    public void Random_batches_of_enriched_events_encode_and_decode_equal_on_every_spooled_field()
    {
        var random = new Random(16);
        for (var round = 0; round < 300; round++)
        {
            var batch = Enumerable.Range(0, random.Next(0, 25)).Select(_ => RandomEvents.Next(random)).ToList();

            var decoded = Decode(Encode(batch), out var error);

            Assert.Null(error);
            Assert.Equal(batch.Count, decoded.Count);
            for (var i = 0; i < batch.Count; i++)
            {
                Assert.True(RandomEvents.Differences(batch[i], decoded[i]) is [], $"round {round}, event {i}: {string.Join("; ", RandomEvents.Differences(batch[i], decoded[i]))}");
            }
        }
    }

    [Fact]
    public void An_event_with_every_field_empty_or_absent_comes_back_so()
    {
        var empty = new TrackedEvent { Type = EventType.Track };
        var blank = new TrackedEvent { Type = EventType.Page, AnonymousId = "", PropertiesJson = "", PageTitle = "", Revenue = 0m, Asn = 0, ConsentAds = false };

        var decoded = Decode(Encode([empty, blank]), out var error);

        Assert.Null(error);
        Assert.Empty(RandomEvents.Differences(empty, decoded[0]));
        Assert.Empty(RandomEvents.Differences(blank, decoded[1]));
        Assert.Null(decoded[0].AnonymousId);
        Assert.Equal("", decoded[1].AnonymousId);
    }

    [Fact]
    public void Events_of_a_record_share_one_string_for_a_field_value_the_event_before_had()
    {
        var first = new TrackedEvent { Workspace = "w", MessageId = "m1", Type = EventType.Page, UserAgent = "Mozilla/5.0 (X11)", Country = "DE", PageUrl = "https://a/" };
        var second = new TrackedEvent { Workspace = "w", MessageId = "m2", Type = EventType.Page, UserAgent = "Mozilla/5.0 (X11)", Country = "FR", PageUrl = "https://a/" };

        var decoded = Decode(Encode([first, second]), out _);

        Assert.Same(decoded[0].UserAgent, decoded[1].UserAgent);
        Assert.Same(decoded[0].PageUrl, decoded[1].PageUrl);
        Assert.Same(decoded[0].Workspace, decoded[1].Workspace);
        Assert.Equal(("m1", "m2", "DE", "FR"), (decoded[0].MessageId, decoded[1].MessageId, decoded[0].Country, decoded[1].Country));
    }

    [Fact]
    public void Decoding_appends_to_the_list_it_is_given_and_on_refusal_leaves_it_as_it_was()
    {
        var random = new Random(7);
        var payload = Encode([RandomEvents.Next(random), RandomEvents.Next(random)]);
        var already = new TrackedEvent { Workspace = "w", MessageId = "kept" };
        var into = new List<TrackedEvent> { already };

        Assert.True(SpoolBatchCodec.TryDecode(SpoolRecordKind.Binary, payload, into, out _));
        Assert.Equal(3, into.Count);

        Assert.False(SpoolBatchCodec.TryDecode(SpoolRecordKind.Binary, payload[..^1], into, out _));
        Assert.Equal(3, into.Count);
        Assert.Same(already, into[0]);
    }

    [Fact]
    public void Every_payload_cut_short_is_refused_with_the_reason()
    {
        var random = new Random(3);
        var payload = Encode([RandomEvents.Next(random), RandomEvents.Next(random), RandomEvents.Next(random)]);

        for (var length = 0; length < payload.Length; length++)
        {
            var decoded = Decode(payload[..length], out var error);

            Assert.Empty(decoded);
            Assert.NotNull(error);
            // Too short for three events at their smallest (3 + 20 + 42 bytes each) is known from the count alone.
            var expected = length > 0 && (length - 1) / 65 < 3 ? $"3 events cannot fit in {length - 1} bytes" : "cut short";
            Assert.Contains(expected, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Bytes_after_the_last_event_are_refused()
    {
        var payload = Encode([new TrackedEvent { Workspace = "w", MessageId = "m", Type = EventType.Page }]);

        Decode([.. payload, 0], out var error);

        Assert.Equal($"payload at byte {payload.Length}: 1 bytes after the last event", error);
    }

    [Theory]
    [InlineData(1, (byte)0x40, "switches at byte 2: unknown bits 0x40")]
    [InlineData(1, (byte)0x0C, "consentAnalytics at byte 2: 3 is not a consent")]
    [InlineData(2, (byte)0x80, "present at byte 3: unknown bits 0x80")]
    public void A_byte_no_writer_makes_is_refused_with_its_field(int offset, byte value, string expected)
    {
        var payload = Encode([new TrackedEvent { Workspace = "w", MessageId = "m", Type = EventType.Page }]);
        payload[1 + offset] = value; // after the one-byte count

        Decode(payload, out var error);

        Assert.Equal(expected, error);
    }

    [Fact]
    public void A_time_or_decimal_out_of_range_is_refused_not_thrown()
    {
        var evt = new TrackedEvent { Workspace = "w", MessageId = "m", Type = EventType.Conversion, Revenue = 1m };
        var badOffset = Encode([evt]);
        BinaryPrimitives.WriteInt16LittleEndian(badOffset.AsSpan(4 + 8), 15 * 60); // receivedAt's offset minutes
        var badTicks = Encode([evt]);
        BinaryPrimitives.WriteInt64LittleEndian(badTicks.AsSpan(4 + 10), long.MaxValue); // ts's ticks
        var badScale = Encode([evt]);
        BinaryPrimitives.WriteUInt32LittleEndian(badScale.AsSpan(4 + 20 + 12), 29u << 16); // revenue's flags

        Decode(badOffset, out var offsetError);
        Decode(badTicks, out var ticksError);
        Decode(badScale, out var scaleError);

        Assert.Equal("receivedAt at byte 4: no time has 0 ticks at offset 900 min", offsetError);
        Assert.Equal($"ts at byte 14: no time has {long.MaxValue} ticks at offset 0 min", ticksError);
        Assert.Equal("revenue at byte 24: 0x001D0000 is not a decimal's flags", scaleError);
    }

    [Fact]
    public void A_count_the_payload_cannot_hold_is_refused_before_anything_is_allocated()
    {
        Decode([0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0, 0], out var error);

        Assert.Equal("4294967295 events cannot fit in 2 bytes", error);
    }

    [Fact]
    public void Random_damage_never_throws_and_a_refusal_always_says_why()
    {
        var random = new Random(15);
        var payload = Encode([.. Enumerable.Range(0, 5).Select(_ => RandomEvents.Next(random))]);
        for (var round = 0; round < 5000; round++)
        {
            var damaged = (byte[])payload.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--) { damaged[random.Next(damaged.Length)] ^= (byte)random.Next(1, 256); }
            var into = new List<TrackedEvent>();

            var ok = SpoolBatchCodec.TryDecode(SpoolRecordKind.Binary, damaged, into, out var error);

            Assert.True(ok ? error is null && into.Count == 5 : !string.IsNullOrEmpty(error) && into.Count == 0, $"round {round}: {ok} {error} {into.Count}");
        }
    }

    [Fact]
    public void Random_damage_to_a_json_record_never_throws_either()
    {
        var payload = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(JsonSpoolFixture.Batches()[0], SpoolJsonContext.Default.ListTrackedEvent);
        var random = new Random(8);
        for (var round = 0; round < 3000; round++)
        {
            var damaged = (byte[])payload.Clone();
            damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
            var into = new List<TrackedEvent>();

            var ok = SpoolBatchCodec.TryDecode(SpoolRecordKind.Json, damaged, into, out var error);

            Assert.True(ok ? error is null && into.Count == 2 : !string.IsNullOrEmpty(error) && into.Count == 0, $"round {round}: {ok} {error} {into.Count}");
        }
    }

    [Fact]
    public void A_json_record_that_is_not_a_batch_of_events_is_refused_with_a_reason()
    {
        Decode(SpoolRecordKind.Json, "[{\"workspace\":"u8.ToArray(), out var cut);
        Decode(SpoolRecordKind.Json, "[null]"u8.ToArray(), out var nullEvent);
        Decode(SpoolRecordKind.Json, "null"u8.ToArray(), out var nullBatch);

        Assert.StartsWith("not a JSON batch: ", cut, StringComparison.Ordinal);
        Assert.Equal("a JSON batch with a null event, workspace or message id", nullEvent);
        Assert.Equal("a JSON batch with a null event, workspace or message id", nullBatch);
    }

    [Fact]
    public void A_binary_record_is_several_times_smaller_than_the_json_one_it_replaces()
    {
        var batch = JsonSpoolFixture.Batches()[0];
        var json = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(batch, SpoolJsonContext.Default.ListTrackedEvent);

        var binary = Encode(batch);

        Assert.True(binary.Length * 2 < json.Length, $"binary {binary.Length} bytes, JSON {json.Length}");
    }

    internal static byte[] Encode(List<TrackedEvent> batch)
    {
        var output = new ArrayBufferWriter<byte>();
        SpoolBatchCodec.Encode(batch, output);
        return output.WrittenSpan.ToArray();
    }

    private static List<TrackedEvent> Decode(byte[] payload, out string? error) => Decode(SpoolRecordKind.Binary, payload, out error);

    private static List<TrackedEvent> Decode(SpoolRecordKind kind, byte[] payload, out string? error)
    {
        var into = new List<TrackedEvent>();
        SpoolBatchCodec.TryDecode(kind, payload, into, out error);
        return into;
    }
}
