using System.Text;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Ingest;

namespace OmniTrackIQ.Pipeline.Tests.Parsing;

/// <summary>The parser alone: Segment's fields onto ours, and rejections that leave neighbours alone.</summary>
public sealed class SegmentParsingTests
{
    private static ParsedBatch Parse(string body, EventType? single = null)
    {
        Assert.Null(BatchParser.TryParse(Encoding.UTF8.GetBytes(body), single, out var batch));
        return batch;
    }

    [Fact]
    public void Original_timestamp_is_the_client_time_when_there_is_no_timestamp()
    {
        var evt = Assert.Single(Parse("""{"batch":[{"type":"page","anonymousId":"a","originalTimestamp":"2026-11-23T10:00:00Z"}]}""").Events);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), evt.Timestamp);
    }

    [Fact]
    public void A_timestamp_the_caller_set_wins_over_original_timestamp()
    {
        var evt = Assert.Single(Parse("""{"batch":[{"type":"page","anonymousId":"a","originalTimestamp":"2026-11-23T10:00:00Z","timestamp":"2026-01-01T00:00:00Z"}]}""").Events);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), evt.Timestamp);
    }

    [Fact]
    public void An_events_own_sent_at_is_its_skew_reference_else_the_batchs()
    {
        var batch = Parse("""{"sentAt":"2026-11-23T12:00:00Z","batch":[{"type":"page","anonymousId":"a","sentAt":"2026-11-23T12:00:05Z"},{"type":"page","anonymousId":"b"}]}""");
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 12, 0, 5, TimeSpan.Zero), batch.Events[0].SentAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero), batch.Events[1].SentAt);
    }

    [Fact]
    public void The_derived_message_id_depends_only_on_the_events_bytes()
    {
        const string Event = """{"type":"page","anonymousId":"a","timestamp":"2026-11-23T10:00:00Z"}""";
        var a = Parse($$"""{"sentAt":"2026-11-23T12:00:00Z","batch":[{{Event}}]}""").Events[0].MessageId;
        var b = Parse($$"""{"sentAt":"2026-11-23T12:09:00Z","batch":[{"type":"page","anonymousId":"x"},{{Event}}]}""").Events[1].MessageId;
        Assert.Equal(a, b);
        Assert.Equal(MessageIds.Derive(Encoding.UTF8.GetBytes(Event)), a);
    }

    [Fact]
    public void A_single_event_body_takes_its_envelope_fields_from_beside_the_event()
    {
        var batch = Parse("""{"writeKey":"wk_1","sentAt":"2026-11-23T12:00:00Z","messageId":"m","anonymousId":"a","event":"Signed Up"}""", EventType.Track);
        Assert.Equal(("wk_1", new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero)), (batch.WriteKey, batch.SentAt!.Value));
        Assert.Equal((EventType.Track, "Signed Up"), (batch.Events[0].Type, batch.Events[0].Event));
    }

    [Fact]
    public void An_alias_keeps_both_ids_and_a_group_its_id()
    {
        var batch = Parse("""{"batch":[{"type":"alias","previousId":"anon-1","userId":"u1"},{"type":"group","userId":"u1","groupId":42}]}""");
        Assert.Equal(("anon-1", "u1"), (batch.Events[0].PreviousId, batch.Events[0].UserId));
        Assert.Equal("42", batch.Events[1].GroupId);
    }

    [Fact]
    public void A_rejected_event_keeps_its_index_and_its_neighbours_are_parsed()
    {
        var batch = Parse("""{"batch":[{"type":"page","anonymousId":"a"},{"type":"track","anonymousId":"a"},{"type":"identify","userId":"u"}]}""");
        Assert.Equal([0, 2], batch.Events.Select(e => e.BatchIndex));
        var rejected = Assert.Single(batch.Rejected);
        Assert.Equal((1, "batch[1].event", "missing_field"), (rejected.Index, rejected.Field, rejected.Reason));
        Assert.Equal("""{"type":"track","anonymousId":"a"}""", rejected.Payload);
    }

    [Fact]
    public void Order_completed_maps_the_ecommerce_spec()
    {
        var evt = Parse("""{"batch":[{"type":"track","userId":"u","event":"Order Completed","properties":{"order_id":"5","total":"12.50","currency":"usd"}}]}""").Events[0];
        Assert.Equal((EventType.Conversion, "5", 12.50m, "USD"), (evt.Type, evt.OrderId, evt.Revenue, evt.Currency));
    }

    [Theory]
    [InlineData("""{"revenue":20,"currency":"EUR"}""", "not_a_conversion:batch[0].properties.order_id missing")]
    [InlineData("""{"order_id":"7","currency":"EUR"}""", "not_a_conversion:batch[0].properties.revenue missing")]
    public void AnOrderCompletedThatIsNoOrderStaysATrackEventAndSaysWhy(string properties, string flag)
    {
        var batch = Parse($$"""{"batch":[{"type":"track","userId":"u","event":"Order Completed","properties":{{properties}}}]}""");
        var evt = Assert.Single(batch.Events);
        Assert.Empty(batch.Rejected);
        Assert.Equal((EventType.Track, flag), (evt.Type, evt.Flags));
    }

    [Fact]
    public void Other_ecommerce_events_stay_track_events_with_their_names()
    {
        var evt = Parse("""{"batch":[{"type":"track","userId":"u","event":"Product Added","properties":{"product_id":"p","price":3}}]}""").Events[0];
        Assert.Equal((EventType.Track, "Product Added", (string?)null), (evt.Type, evt.Event, evt.OrderId));
    }
}
