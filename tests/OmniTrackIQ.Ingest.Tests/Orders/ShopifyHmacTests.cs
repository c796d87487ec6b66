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
    public void TheSignatureOpenSslComputedIsValid() => Assert.True(ShopifyHmac.IsValid(_body, Signature, Secret));

    [Fact]
    public void OneChangedByteInTheBodyIsInvalid()
    {
        var tampered = (byte[])_body.Clone();
        tampered[^3] = (byte)'1';
        Assert.False(ShopifyHmac.IsValid(tampered, Signature, Secret));
    }

    [Fact]
    public void OneChangedCharacterInTheSignatureIsInvalid() =>
        Assert.False(ShopifyHmac.IsValid(_body, "DSIVGrTBPUS5ch6B8y8RXLxFlw8slDFeUV4tyREIWDE=", Secret));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void AMissingHeaderIsInvalid(string? header) => Assert.False(ShopifyHmac.IsValid(_body, header, Secret));

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("CSIVGrTBPUS5ch6B8y8RXLxFlw8slDFeUV4tyREIWDE")]
    [InlineData("CSIVGrTBPUS5ch6B8y8RXLxFlw8slDFe")]
    [InlineData("CSIVGrTBPUS5ch6B8y8RXLxFlw8slDFeUV4tyREIWDEJIhUa")]
    public void GarbageShortOrLongBase64IsInvalidWithoutThrowing(string header) => Assert.False(ShopifyHmac.IsValid(_body, header, Secret));

    [Fact]
    public void TheRightSignatureUnderAnotherSecretIsInvalid() => Assert.False(ShopifyHmac.IsValid(_body, Signature, "shpss_other_secret"));

    [Fact]
    public void ASecretLongerThanTheStackBufferStillVerifies()
    {
        // printf '%s' '{"id":820982911946154508,"total_price":"403.00"}' | openssl dgst -sha256 -hmac "$(printf 'k%.0s' $(seq 300))" -binary | base64
        Assert.True(ShopifyHmac.IsValid(_body, "B7nGCoMdJvJtcY1xldlpCYPhC9H7h2qPnRv240MogD8=", new string('k', 300)));
    }

    [Fact]
    public void AnEmptySecretIsAConfigurationErrorNotAnInvalidSignature() =>
        Assert.Throws<ArgumentException>(() => ShopifyHmac.IsValid(_body, Signature, ""));
}
