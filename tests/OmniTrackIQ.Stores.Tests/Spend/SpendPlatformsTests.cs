using OmniTrackIQ.Pipeline.Spend;

namespace OmniTrackIQ.Pipeline.Tests.Spend;

public sealed class SpendPlatformsTests
{
    [Theory]
    [InlineData("google", "Paid Search", "google")]
    [InlineData("Google_Ads", "Paid Search", "google")]
    [InlineData("adwords", "Paid Search", "google")]
    [InlineData("bing", "Paid Search", "bing")]
    [InlineData("microsoft", "Paid Search", "bing")]
    [InlineData("microsoft_ads", "Paid Search", "bing")]
    [InlineData("meta", "Paid Social", "facebook")]
    [InlineData("facebook", "Paid Social", "facebook")]
    [InlineData("instagram", "Paid Social", "instagram")]
    [InlineData("tiktok", "Paid Social", "tiktok")]
    [InlineData("snapchat", "Paid Social", "snapchat")]
    [InlineData("pinterest", "Paid Social", "pinterest")]
    [InlineData("linkedin", "Paid Social", "linkedin")]
    [InlineData("twitter", "Paid Social", "twitter")]
    [InlineData("x", "Paid Social", "x")]
    [InlineData("reddit", "Paid Social", "reddit")]
    [InlineData("youtube", "Paid Video", "youtube")]
    [InlineData("Criteo", "Paid Other", "criteo")]
    public void Platforms_map_to_the_classifier_channel_and_their_utm_source(string platform, string channel, string source)
    {
        Assert.Equal((channel, source), (SpendPlatforms.ChannelOf(platform), SpendPlatforms.SourceOf(platform)));
    }
}
