using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Attribution.Tests;

/// <summary>How a path's text ("A &gt; B &gt; C", ChannelAttribution's form) becomes channels.</summary>
public sealed class PathTextTests
{
    [Fact]
    public void Channels_are_split_on_the_separator_and_trimmed()
    {
        var channels = new List<string> { "left over" };

        Assert.True(PathText.TrySplit(" Paid Search >Email>  (Direct) ", ">", channels, out var error));

        Assert.Equal(["Paid Search", "Email", "(Direct)"], channels);
        Assert.Equal(string.Empty, error);
    }

    [Theory]
    [InlineData("  ", ">", "the path is empty")]
    [InlineData("A > > B", ">", "channel 2 of path \"A > > B\" is empty")]
    [InlineData("A | B |", "|", "channel 3 of path \"A | B |\" is empty")]
    public void A_blank_path_or_channel_is_refused_with_its_position(string text, string separator, string expected)
    {
        Assert.False(PathText.TrySplit(text, separator, [], out var error));
        Assert.Equal(expected, error);
    }
}
