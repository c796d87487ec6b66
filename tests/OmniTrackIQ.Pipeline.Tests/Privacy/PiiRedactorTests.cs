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
}
