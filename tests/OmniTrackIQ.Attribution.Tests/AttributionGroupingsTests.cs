using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Attribution.Tests;

/// <summary>The one place a groupBy text is read: what it accepts, its default and the names it answers with.</summary>
public sealed class AttributionGroupingsTests
{
    [Theory]
    [InlineData("channel", AttributionGroupBy.Channel)]
    [InlineData("source", AttributionGroupBy.Source)]
    [InlineData("campaign", AttributionGroupBy.Campaign)]
    [InlineData("", AttributionGroupBy.Channel)]
    [InlineData(null, AttributionGroupBy.Channel)]
    public void A_known_or_missing_group_is_read_and_named_back(string? text, AttributionGroupBy expected)
    {
        Assert.True(AttributionGroupings.TryParse(text, out var groupBy));
        Assert.Equal(expected, groupBy);
        Assert.Equal(string.IsNullOrEmpty(text) ? "channel" : text, groupBy.Name());
    }

    [Theory]
    [InlineData("medium")]
    [InlineData("Channel")]
    [InlineData(" channel")]
    [InlineData("1")]
    public void Any_other_text_is_refused(string text)
    {
        Assert.False(AttributionGroupings.TryParse(text, out _));
    }
}
