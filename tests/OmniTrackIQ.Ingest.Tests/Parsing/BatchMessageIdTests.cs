using System.Text;
using OmniTrackIQ.Pipeline.Ingest;

namespace OmniTrackIQ.Pipeline.Tests.Parsing;

/// <summary>
/// A messageId repeated within one batch is refused (<c>duplicate_message_id</c>); the set that finds it is kept per
/// thread and emptied after each batch, so the next batch on the same thread, even with the same ids (a client's
/// retry), starts from nothing.
/// </summary>
public sealed class BatchMessageIdTests
{
    private static byte[] Batch(params string[] ids) =>
        Encoding.UTF8.GetBytes("{\"writeKey\":\"wk_test\",\"batch\":["
            + string.Join(',', ids.Select(id => $"{{\"type\":\"page\",\"messageId\":\"{id}\",\"anonymousId\":\"a\"}}")) + "]}");

    [Fact]
    public void A_repeat_within_a_batch_is_refused_and_the_next_batch_with_the_same_ids_is_accepted_whole()
    {
        Assert.Null(BatchParser.TryParse(Batch("m1", "m2", "m1"), out var first));
        Assert.Equal(["m1", "m2"], first.Events.Select(e => e.MessageId));
        var rejected = Assert.Single(first.Rejected);
        Assert.Equal((2, "batch[2].messageId", "duplicate_message_id"), (rejected.Index, rejected.Field, rejected.Reason));

        Assert.Null(BatchParser.TryParse(Batch("m1", "m2"), out var retry));
        Assert.Equal(["m1", "m2"], retry.Events.Select(e => e.MessageId));
        Assert.Empty(retry.Rejected);
    }
}
