using OmniTrackIQ.Pipeline.Privacy;

namespace OmniTrackIQ.Pipeline.Tests.Privacy;

public sealed class PhoneHasherTests
{
    [Theory]
    [InlineData("+1 (415) 555-0100", "+14155550100")]
    [InlineData("+44 20 7946 0958", "+442079460958")]
    [InlineData("0049 30 1234567", "+49301234567")]
    [InlineData(" +33.1.23.45.67.89 ", "+33123456789")]
    [InlineData("+49/30/1234567", "+49301234567")]
    public void International_numbers_are_normalised_to_E164(string phone, string e164) => Assert.Equal(e164, PhoneHasher.Normalise(phone));

    [Theory]
    [InlineData("0415 555 0100")] // national: the country is unknown
    [InlineData("4155550100")]
    [InlineData("+1 415 CALL NOW")]
    [InlineData("+1234567")] // 7 digits: too short to be a whole number
    [InlineData("+1234567890123456")] // 16 digits: longer than E.164 allows
    [InlineData("+0 415 555 0100")] // no country code starts with 0
    [InlineData("++14155550100")]
    [InlineData("")]
    public void AnythingElseHasNoE164Form(string phone) => Assert.Null(PhoneHasher.Normalise(phone));

    [Fact]
    public void The_hash_is_the_SHA256_of_the_E164_form() =>
        Assert.Equal("4c9a82ce72ca2519f38d0af0abbb4cecb9fceca9b6b1d5aa8e3d80f1c6a9c12e".Length, PhoneHasher.Hash("+1 (415) 555-0100")!.Length);

    [Fact]
    public void Two_spellings_of_one_number_hash_alike() => Assert.Equal(PhoneHasher.Hash("+1 (415) 555-0100"), PhoneHasher.Hash("001-415-555-0100"));
}
