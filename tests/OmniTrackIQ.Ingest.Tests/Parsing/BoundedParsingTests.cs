using System.Text;
using OmniTrackIQ.Pipeline.Ingest;

namespace OmniTrackIQ.Pipeline.Tests.Parsing;

/// <summary>
/// Issue 15, amplification: a body of 200,000 tiny elements (558 bytes gzipped) made the collector parse and answer
/// every one. The envelope pass reads the key without parsing events and keeps nothing per element past the limit;
/// the event pass parses the first 500 and one summary stands for the rest.
/// </summary>
public sealed class BoundedParsingTests
{
    private const int Elements = 200_000;

    /// <summary>What a pass may allocate for that body, far below what one object per element costs (200,000 × ≥ 24 bytes).</summary>
    private const long EnvelopeBudgetBytes = 16 * 1024;
    private const long EventsBudgetBytes = 512 * 1024;

    private static byte[] ZerosBody(string? writeKey) =>
        Encoding.UTF8.GetBytes((writeKey is null ? "{\"batch\":[" : $"{{\"writeKey\":\"{writeKey}\",\"batch\":[")
            + string.Join(',', Enumerable.Repeat("0", Elements)) + "]}");

    [Fact]
    public void The_envelope_of_a_huge_batch_finds_the_key_and_allocates_nothing_per_element()
    {
        var body = ZerosBody("wk_test");
        BatchParser.TryReadEnvelope(body, null, out _); // JIT and static setup outside the measurement

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = BatchParser.TryReadEnvelope(body, null, out var envelope);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Null(error);
        Assert.Equal("wk_test", envelope.WriteKey);
        Assert.Equal(Elements - WireLimits.MaxEventsPerBatch, envelope.Overflow);
        Assert.Equal(WireLimits.MaxEventsPerBatch + 1, envelope.Cost);
        Assert.InRange(allocated, 0, EnvelopeBudgetBytes);
    }

    [Fact]
    public void The_events_of_a_huge_batch_are_the_first_five_hundred_and_one_summary()
    {
        var body = ZerosBody(null);
        Assert.Null(BatchParser.TryReadEnvelope(body, null, out var envelope));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var batch = new ParsedBatch();
        var error = BatchParser.ParseEvents(body, envelope, null, batch);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Null(error);
        Assert.Empty(batch.Events);
        Assert.Equal(WireLimits.MaxEventsPerBatch + 1, batch.Rejected.Count);
        Assert.All(batch.Rejected.Take(WireLimits.MaxEventsPerBatch), r => Assert.Equal("invalid_type", r.Reason));
        var summary = batch.Rejected[^1];
        Assert.Equal((500, "batch[500]", "too_many_events"), (summary.Index, summary.Field, summary.Reason));
        Assert.StartsWith("199500 events from index 500 on were not read", summary.Detail, StringComparison.Ordinal);
        Assert.InRange(allocated, 0, EventsBudgetBytes);
    }

    [Fact]
    public void Exactly_five_hundred_events_have_no_overflow_and_cost_five_hundred()
    {
        var body = Encoding.UTF8.GetBytes("{\"batch\":[" + string.Join(',', Enumerable.Range(0, 500).Select(i => $"{{\"type\":\"page\",\"messageId\":\"m{i}\",\"anonymousId\":\"a\"}}")) + "]}");

        Assert.Null(BatchParser.TryParse(body, null, out var batch));

        Assert.Equal(500, batch.Events.Count);
        Assert.Empty(batch.Rejected);
        Assert.Null(BatchParser.TryReadEnvelope(body, null, out var envelope));
        Assert.Equal((0, 500), (envelope.Overflow, envelope.Cost));
    }

    [Fact]
    public void An_unreadable_body_still_costs_one()
    {
        Assert.NotNull(BatchParser.TryReadEnvelope("{\"batch\":[1,"u8, null, out var envelope));
        Assert.Equal(1, envelope.Cost);
    }
}

/// <summary>The server-to-server route is bounded the same way: 500 orders read, one summary for the rest.</summary>
public sealed class BoundedConversionParsingTests
{
    [Fact]
    public void Orders_past_five_hundred_are_answered_by_one_summary()
    {
        var orders = string.Join(',', Enumerable.Range(0, 600).Select(i => $"{{\"orderId\":\"o{i}\",\"timestamp\":\"2026-11-23T12:00:00Z\",\"total\":10,\"currency\":\"EUR\",\"anonymousId\":\"a{i}\"}}"));

        Assert.Null(OmniTrackIQ.Pipeline.Orders.ConversionApiParser.TryParse(Encoding.UTF8.GetBytes("[" + orders + "]"), out var parsed, out var rejected));

        Assert.Equal(500, parsed.Count + rejected.Count - 1);
        var summary = Assert.Single(rejected, r => r.Reason == "too_many_events");
        Assert.Equal((500, "orders[500]"), (summary.Index, summary.Field));
        Assert.StartsWith("100 orders from index 500 on were not read", summary.Detail, StringComparison.Ordinal);
    }
}
