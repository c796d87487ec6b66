using OmniTrackIQ.Enrichment.Channels;

namespace OmniTrackIQ.Enrichment.Tests.Channels;

public sealed class UrlPartsTests
{
    [Theory]
    [InlineData("https://www.google.com/search?q=x", "www.google.com")]
    [InlineData("https://user:pw@shop.example:8443/path", "shop.example")]
    [InlineData("http://shop.example.", "shop.example")]
    [InlineData("//cdn.example/x", "cdn.example")]
    [InlineData("https://[2001:db8::1]:443/", "[2001:db8::1]")]
    [InlineData("android-app://com.google.android.gm/", "com.google.android.gm")]
    [InlineData("  https://a.example#frag", "a.example")]
    [InlineData("not a url", "")]
    [InlineData("/relative/path", "")]
    [InlineData("https://", "")]
    [InlineData("https://[broken", "")]
    [InlineData("https://exa mple.com/", "")]
    [InlineData("", "")]
    public void Host_is_cut_out_of_untrusted_urls(string url, string expected) =>
        Assert.Equal(expected, UrlParts.Host(url).ToString());

    [Fact]
    public void A_huge_host_is_ignored() =>
        Assert.Equal("", UrlParts.Host("https://" + new string('a', 100_000) + ".example/").ToString());

    [Theory]
    [InlineData("https://a.example/?x=1#y", "x=1")]
    [InlineData("https://a.example/#y?x=1", "")]
    [InlineData("https://a.example/", "")]
    public void Query_excludes_the_fragment(string url, string expected) =>
        Assert.Equal(expected, UrlParts.Query(url).ToString());
}
