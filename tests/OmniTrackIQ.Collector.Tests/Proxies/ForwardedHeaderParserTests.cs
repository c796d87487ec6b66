using OmniTrackIQ.Collector.Proxies;

namespace OmniTrackIQ.Collector.Tests.Proxies;

public sealed class ForwardedHeaderParserTests
{
    [Theory]
    [InlineData("for=192.0.2.60", "192.0.2.60")]
    [InlineData("For=\"192.0.2.60\"", "192.0.2.60")]
    [InlineData("for=192.0.2.43:47011", "192.0.2.43")]
    [InlineData("for=\"[2001:db8::1]:4711\"", "2001:db8::1")]
    [InlineData("for=\"[2001:db8:cafe::17]\"", "2001:db8:cafe::17")]
    [InlineData("for=[2001:db8::1]", "2001:db8::1")]
    [InlineData("for=\"2001:db8::1\"", "2001:db8::1")]
    [InlineData("for=192.0.2.60;proto=http;by=203.0.113.43", "192.0.2.60")]
    [InlineData("proto=https; for=192.0.2.60", "192.0.2.60")]
    [InlineData("for=\"192.0.2.60:_port\"", "192.0.2.60")]
    public void A_single_element_gives_its_client_address(string header, string address)
    {
        var element = Assert.Single(ForwardedHeaderParser.Parse(header)!);
        Assert.Equal(address, element.For?.ToString());
    }

    [Theory]
    [InlineData("for=unknown")]
    [InlineData("for=_hidden")]
    [InlineData("for=_SEVKISEK")]
    [InlineData("for=\"_gazonk\"")]
    [InlineData("for=10.1")]
    [InlineData("for=\"[2001:db8::1\"")]
    [InlineData("for=\"[192.0.2.1]\"")]
    [InlineData("for=192.0.2.1:123456")]
    [InlineData("proto=https")]
    public void Obfuscated_unknown_invalid_or_missing_nodes_have_no_address(string header)
    {
        var element = Assert.Single(ForwardedHeaderParser.Parse(header)!);
        Assert.Null(element.For);
    }

    [Fact]
    public void Multiple_elements_keep_their_order_and_their_own_proto()
    {
        var elements = ForwardedHeaderParser.Parse("for=192.0.2.43;proto=https, for=\"[2001:db8:cafe::17]\", for=unknown, for=198.51.100.17;proto=http")!;

        Assert.Equal(["192.0.2.43", "2001:db8:cafe::17", null, "198.51.100.17"], elements.Select(e => e.For?.ToString()));
        Assert.Equal(["https", null, null, "http"], elements.Select(e => e.Proto));
    }

    [Fact]
    public void A_comma_inside_a_quoted_value_does_not_split_elements()
    {
        var elements = ForwardedHeaderParser.Parse("for=192.0.2.43;ext=\"a, b\\\"c\", for=198.51.100.17")!;

        Assert.Equal(["192.0.2.43", "198.51.100.17"], elements.Select(e => e.For?.ToString()));
    }

    [Theory]
    [InlineData("for=\"192.0.2.60")]
    [InlineData("for")]
    [InlineData("for=")]
    [InlineData("=192.0.2.60")]
    [InlineData("for=192.0.2.60 x")]
    [InlineData("for=192.0.2.60;for=198.51.100.1")]
    [InlineData("for=1.2.3.4\\")]
    public void A_malformed_header_is_refused_whole(string header)
    {
        Assert.Null(ForwardedHeaderParser.Parse(header));
    }
}
