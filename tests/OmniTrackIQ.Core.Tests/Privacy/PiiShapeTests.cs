using OmniTrackIQ.Pipeline.Privacy;

namespace OmniTrackIQ.Pipeline.Tests.Privacy;

/// <summary>The shape rules of README "Privacy", case by case: what is and what is not an address, a phone, a personal name.</summary>
public sealed class PiiShapeTests
{
    [Theory]
    [InlineData("jane.doe@example.com")]
    [InlineData("  Jane.Doe@Example.COM \t")]
    [InlineData("jane.doe+vip@example.co.uk")]
    [InlineData("j_d-1@sub.example-shop.de")]
    [InlineData("jane.doe%2Bvip%40example.com")] // encoded + and @
    [InlineData("jane%40example.com")] // URL-encoded @
    [InlineData("jane@xn--bcher-kva.example")]
    [InlineData("jürgen@bücher.de")] // internationalised
    [InlineData("a@b.io")]
    [InlineData("jane@example.museum")]
    [InlineData("JANE@EXAMPLE.COM")]
    public void TheseAreAddresses(string text) => Assert.True(EmailShape.Matches(text));

    [Theory]
    [InlineData("")]
    [InlineData("jane")]
    [InlineData("@jane")] // a handle
    [InlineData("jane@")]
    [InlineData("jane@localhost")] // no dot in the domain
    [InlineData("jane@example.c")] // one-letter TLD
    [InlineData("jane@example.123")] // numeric TLD
    [InlineData("logo@2x.png")] // retina image name
    [InlineData("icon@3x.webp")]
    [InlineData("bundle@1.2.js")]
    [InlineData("vue@3.4.21")] // package@version
    [InlineData("jane@.example.com")]
    [InlineData("jane@-example.com")]
    [InlineData("jane@example..com")]
    [InlineData("jane%20doe")]
    [InlineData("100%40")]
    [InlineData("sha256:4c9a82ce72ca2519f38d0af0abbb4cecb9fceca9b6b1d5aa8e3d80f1c6a9c12e")]
    [InlineData("write to jane@example.com")] // holds one, but is not one (PiiText replaces it inside)
    public void TheseAreNotWholeAddresses(string text) => Assert.False(EmailShape.Matches(text));

    [Theory]
    [InlineData("write to jane@example.com.", "jane@example.com")]
    [InlineData("mailto:jane@example.com?subject=hi", "jane@example.com")]
    [InlineData("/u/jane.doe%40example.com/orders", "jane.doe%40example.com")]
    [InlineData("email=jane@example.com&x=1", "jane@example.com")]
    [InlineData("<jane@example.com>", "jane@example.com")]
    [InlineData("...jane@example.com", "jane@example.com")]
    [InlineData("o'brien@example.ie", "brien@example.ie")]
    [InlineData("%3Femail%3Djane%40example.com%26x", "jane%40example.com")] // an encoded separator ends the local part
    [InlineData("to%3Ajane%2Bvip%40example.com", "jane%2Bvip%40example.com")]
    public void AnAddressInsideTextIsFoundWhereItStands(string text, string address)
    {
        Assert.True(EmailShape.Find(text, 0, out var start, out var length));
        Assert.Equal(address, text.Substring(start, length));
    }

    [Fact]
    public void The_search_is_linear_and_finds_nothing_in_a_flood_of_at_signs()
    {
        var flood = string.Concat(Enumerable.Repeat("a@b", 20_000));
        Assert.False(EmailShape.Find(flood, 0, out _, out _));
    }

    [Theory]
    [InlineData("+14155550100")]
    [InlineData("+1 (415) 555-0100")]
    [InlineData(" +44 20 7946 0958 ")]
    [InlineData("+33.1.23.45.67.89")]
    [InlineData("+49/30/1234567")]
    [InlineData("+12345678")] // 8 digits, the shortest
    [InlineData("+123456789012345")] // 15 digits, the longest
    [InlineData("+1\u00a0415\u00a0555\u00a00100")]
    public void TheseArePhones(string text) => Assert.True(PhoneShape.Matches(text));

    [Theory]
    [InlineData("4155550100")] // digits alone: an order id as much as a phone
    [InlineData("0415 555 0100")] // national
    [InlineData("0049 30 1234567")] // 00 reads as + only under a phone name
    [InlineData("1001")]
    [InlineData("59.90")]
    [InlineData("-14155550100")]
    [InlineData("+1234567")] // 7 digits
    [InlineData("+1234567890123456")] // 16 digits
    [InlineData("+0 415 555 0100")]
    [InlineData("++14155550100")]
    [InlineData("+1 415 CALL NOW")]
    [InlineData("+5")]
    [InlineData("+")]
    [InlineData("+12,345,678")] // an amount
    [InlineData("2026-11-23T12:00:00+01:00")] // a timestamp
    [InlineData("+002026-11-23")] // an expanded ISO year
    [InlineData("call +1 415 555 0100")] // inside free text: not looked for
    [InlineData("1764000000000")] // epoch milliseconds
    public void TheseAreNotPhones(string text) => Assert.False(PhoneShape.Matches(text));

    [Theory]
    [InlineData("email", PiiKind.Email)]
    [InlineData("Email", PiiKind.Email)]
    [InlineData("customer_email", PiiKind.Email)]
    [InlineData("billingEmailAddress", PiiKind.Email)]
    [InlineData("e-mail", PiiKind.Email)]
    [InlineData("E_MAIL", PiiKind.Email)]
    [InlineData("mail", PiiKind.Email)]
    [InlineData("phone", PiiKind.Phone)]
    [InlineData("billingPhone", PiiKind.Phone)]
    [InlineData("phone_number", PiiKind.Phone)]
    [InlineData("telephone", PiiKind.Phone)]
    [InlineData("tel", PiiKind.Phone)]
    [InlineData("TEL", PiiKind.Phone)]
    [InlineData("mobile", PiiKind.Phone)]
    [InlineData("msisdn", PiiKind.Phone)]
    [InlineData("fax", PiiKind.Phone)]
    [InlineData("emailSha256", PiiKind.None)]
    [InlineData("phone_hash", PiiKind.None)]
    [InlineData("email_hashed", PiiKind.None)]
    [InlineData("hotel", PiiKind.None)]
    [InlineData("telemetry", PiiKind.None)]
    [InlineData("is_mobile", PiiKind.None)]
    [InlineData("mailchimp_id", PiiKind.None)]
    [InlineData("orderId", PiiKind.None)]
    [InlineData("revenue", PiiKind.None)]
    [InlineData("em", PiiKind.None)]
    [InlineData("", PiiKind.None)]
    public void Personal_names_are_known_by_their_words(string name, PiiKind kind)
    {
        Assert.Equal(kind, PiiKeys.KindOf(name.AsSpan()));
        Assert.Equal(kind, PiiKeys.KindOf(System.Text.Encoding.UTF8.GetBytes(name).AsSpan()));
    }
}
