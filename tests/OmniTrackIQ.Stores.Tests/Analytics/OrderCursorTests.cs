using System.Buffers.Text;
using System.Text;
using OmniTrackIQ.Pipeline.Analytics;

namespace OmniTrackIQ.Pipeline.Tests.Analytics;

public sealed class OrderCursorTests
{
    [Theory]
    [InlineData(1_791_000_000_123L, "o-1")]
    [InlineData(0L, "id:with:colons and spaces/é")]
    [InlineData(-5L, "before-1970")]
    public void A_cursor_decodes_to_what_was_encoded(long ms, string id)
    {
        var text = new OrderCursor(ms, id).Encode();

        Assert.True(OrderCursor.TryDecode(text, out var cursor));
        Assert.Equal(new OrderCursor(ms, id), cursor);
        Assert.DoesNotContain('=', text);
        Assert.DoesNotContain('+', text);
        Assert.DoesNotContain('/', text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64 !")]
    [InlineData("MTIz")] // "123": no colon
    [InlineData("OngK")] // ":x\n": no time
    [InlineData("MTIzOg")] // "123:": no id
    [InlineData("YWJjOng")] // "abc:x": time not a number
    [InlineData("_w")] // one byte 0xFF: not UTF-8
    public void Anything_else_is_not_a_cursor(string text)
    {
        Assert.False(OrderCursor.TryDecode(text, out _));
    }

    [Fact]
    public void A_cursor_longer_than_any_of_ours_is_refused_unread()
    {
        var text = Base64Url.EncodeToString(Encoding.UTF8.GetBytes("1:" + new string('x', 1000)));

        Assert.False(OrderCursor.TryDecode(text, out _));
    }

    [Fact]
    public void The_cursor_after_a_row_is_its_time_in_epoch_milliseconds_and_id()
    {
        var row = new OrderListRow("o-9", new DateTime(2026, 10, 3, 0, 0, 0, 5, DateTimeKind.Utc), 1, 0, 1, "EUR", "paid", "pixel", null, null, null);

        Assert.Equal(new OrderCursor(1_790_985_600_005L, "o-9"), OrderCursor.After(row));
    }
}
