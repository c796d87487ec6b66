using System.Security.Cryptography;
using System.Text;
using OmniTrackIQ.Pipeline.Privacy;

namespace OmniTrackIQ.Pipeline.Tests.Privacy;

public sealed class PiiRedactorTests
{
    private static string Hash(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Redact(string json) => PiiRedactor.Redact(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void JsonWithoutPiiKeysIsReturnedAsSent() =>
        Assert.Equal("""{"total":5, "products":[{"sku":"a"}]}""", Redact("""{"total":5, "products":[{"sku":"a"}]}"""));

    [Fact]
    public void EmailAndPhoneValuesAtAnyDepthBecomeTheirHashes() =>
        Assert.Equal(
            $$"""{"email":"{{Hash("jane@example.com")}}","customer":{"billing_phone":"{{Hash("+14155550100")}}","name":"J"},"n":1}""",
            Redact("""{"email":" Jane@Example.com","customer":{"billing_phone":"+1 415 555 0100","name":"J"},"n":1}"""));

    [Fact]
    public void ANumericPhoneAndEveryElementOfAnArrayOfEmailsAreHashed() =>
        Assert.Equal(
            $$"""{"Phone":"{{Hash("4155550100")}}","emails":["{{Hash("a@b.c")}}","{{Hash("d@e.f")}}"],"after":"x"}""",
            Redact("""{"Phone":4155550100,"emails":["a@b.c","d@e.f"],"after":"x"}"""));

    [Fact]
    public void KeysThatAlreadyNameAHashAreLeftAlone() =>
        Assert.Equal("""{"emailSha256":"abc","phone_hash":"def"}""", Redact("""{"emailSha256":"abc","phone_hash":"def"}"""));

    [Fact]
    public void EscapesInOtherStringsSurviveEvenInvalidOnes() =>
        Assert.Equal($$"""{"title":"a\"b\ud800","email":"{{Hash("x@y.z")}}"}""", Redact("""{"title":"a\"b\ud800","email":"x@y.z"}"""));

    [Fact]
    public void TextThatIsNotJsonButMayHoldAnAddressIsHashedWhole() =>
        Assert.Equal(Hash("email=jane@example.com&x"), Redact("email=jane@example.com&x"));

    [Fact]
    public void AddressesAndPhonesAreFoundByShapeUnderAnyKeyAtAnyDepth() =>
        Assert.Equal(
            $$"""{"a":{"b":[{"c":"{{Hash("jane.doe@example.com")}}"},"{{Hash("+14155550100")}}"]},"note":"write to {{Hash("jane.doe@example.com")}} today","url":"https://shop.example/?e={{Hash("jane.doe@example.com")}}&tel={{Hash("0415 555 0100")}}","order":"4155550100","total":59.9}""",
            Redact("""{"a":{"b":[{"c":"Jane.Doe@Example.com"},"+1 (415) 555-0100"]},"note":"write to jane.doe@example.com today","url":"https://shop.example/?e=jane.doe%40example.com&tel=0415%20555%200100","order":"4155550100","total":59.9}"""));

    [Fact]
    public void AnAddressAsAPropertyNameIsHashedToo() =>
        Assert.Equal($$"""{"{{Hash("jane.doe@example.com")}}":3}""", Redact("""{"jane.doe@example.com":3}"""));

    [Fact]
    public void AnEscapedAddressIsFoundAfterUnescaping() =>
        Assert.Equal($$"""{"id":"{{Hash("jane.doe@example.com")}}"}""", Redact("""{"id":"jane.doe\u0040example.com"}"""));

    [Fact]
    public void AnInvalidEscapeThatMaySpellAnAddressKeepsOnlyTheHashOfTheString()
    {
        var redacted = Redact("""{"id":"jane@example.com\ud800"}""");
        Assert.DoesNotContain("jane", redacted, StringComparison.Ordinal);
        Assert.StartsWith("""{"id":"sha256:""", redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void AValueAlreadyHashedUnderAPersonalKeyIsKept() =>
        Assert.Equal($$"""{"email":"{{Hash("x@y.z")}}","n":"+1"}""", Redact($$"""{"email":"{{Hash("x@y.z")}}","n":"+1"}"""));

    [Fact]
    public void JsonThatOnlyLooksSuspiciousIsReturnedAsSentSpacesAndAll() =>
        Assert.Equal("""{ "url" : "https://shop.example/?q=a+b&tel=", "hotel": "Ritz", "tz":"+01:00" }""",
            Redact("""{ "url" : "https://shop.example/?q=a+b&tel=", "hotel": "Ritz", "tz":"+01:00" }"""));

    [Theory]
    [InlineData("""{"url":"https://shop.example/p?utm_source=google&utm_medium=cpc","referrer":"https://www.google.com/","title":"Shop"}""")]
    [InlineData("""{"revenue":59.9,"orderId":"1001","ts":"2026-11-23T12:00:00+01:00","products":[{"sku":"S1","price":5}]}""")]
    public void TheCheapPreCheckPassesOrdinaryProperties(string json) =>
        Assert.False(PiiRedactor.MayContainPii(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData("""{"a":"x@y.io"}""")]
    [InlineData("""{"a":"x%40y.io"}""")]
    [InlineData("""{"a":"+14155550100"}""")]
    [InlineData("""{"a":"?p=%2B14155550100"}""")]
    [InlineData("""{"a":"?p=+14155550100"}""")]
    [InlineData("""{"Billing_PHONE":"0415"}""")]
    [InlineData("""{"a":"x\u0040y.io"}""")]
    public void TheCheapPreCheckCatchesEveryTrigger(string json) =>
        Assert.True(PiiRedactor.MayContainPii(Encoding.UTF8.GetBytes(json)));
}
