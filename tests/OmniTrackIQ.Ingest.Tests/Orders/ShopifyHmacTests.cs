using System.Text;
using OmniTrackIQ.Pipeline.Orders;

namespace OmniTrackIQ.Pipeline.Tests.Orders;

public sealed class ShopifyHmacTests
{
    private const string Secret = "shpss_example_secret";

    // printf '%s' '{"id":820982911946154508,"total_price":"403.00"}' | openssl dgst -sha256 -hmac 'shpss_example_secret' -binary | base64
    private const string Signature = "CSIVGrTBPUS5ch6B8y8RXLxFlw8slDFeUV4tyREIWDE=";

    private static readonly byte[] _body = Encoding.UTF8.GetBytes("""{"id":820982911946154508,"total_price":"403.00"}""");

    [Fact]
    public void The_signature_OpenSSL_computed_is_valid() => Assert.True(ShopifyHmac.IsValid(_body, Signature, Secret));

    [Fact]
    public void One_changed_byte_in_the_body_is_invalid()
    {
        var tampered = (byte[])_body.Clone();
        tampered[^3] = (byte)'1';
        Assert.False(ShopifyHmac.IsValid(tampered, Signature, Secret));
    }

    [Fact]
    public void One_changed_character_in_the_signature_is_invalid() =>
        Assert.False(ShopifyHmac.IsValid(_body, "DSIVGrTBPUS5ch6B8y8RXLxFlw8slDFeUV4tyREIWDE=", Secret));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void A_missing_header_is_invalid(string? header) => Assert.False(ShopifyHmac.IsValid(_body, header, Secret));

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("CSIVGrTBPUS5ch6B8y8RXLxFlw8slDFeUV4tyREIWDE")]
    [InlineData("CSIVGrTBPUS5ch6B8y8RXLxFlw8slDFe")]
    [InlineData("CSIVGrTBPUS5ch6B8y8RXLxFlw8slDFeUV4tyREIWDEJIhUa")]
    public void Garbage_short_or_long_Base64_is_invalid_without_throwing(string header) => Assert.False(ShopifyHmac.IsValid(_body, header, Secret));

    [Fact]
    public void The_right_signature_under_another_secret_is_invalid() => Assert.False(ShopifyHmac.IsValid(_body, Signature, "shpss_other_secret"));

    [Fact]
    public void A_secret_longer_than_the_stack_buffer_still_verifies()
    {
        // printf '%s' '{"id":820982911946154508,"total_price":"403.00"}' | openssl dgst -sha256 -hmac "$(printf 'k%.0s' $(seq 300))" -binary | base64
        Assert.True(ShopifyHmac.IsValid(_body, "B7nGCoMdJvJtcY1xldlpCYPhC9H7h2qPnRv240MogD8=", new string('k', 300)));
    }

    [Fact]
    public void An_empty_secret_is_a_configuration_error_not_an_invalid_signature() =>
        Assert.Throws<ArgumentException>(() => ShopifyHmac.IsValid(_body, Signature, ""));
}
