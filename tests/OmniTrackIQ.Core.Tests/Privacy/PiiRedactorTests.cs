using System.Security.Cryptography;
using System.Text;
using OmniTrackIQ.Pipeline.Privacy;

namespace OmniTrackIQ.Pipeline.Tests.Privacy;

public sealed class PiiRedactorTests
{
    private static string Hash(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Redact(string json) => PiiRedactor.Redact(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void JSON_without_PII_keys_is_returned_as_sent() =>
        Assert.Equal("""{"total":5, "products":[{"sku":"a"}]}""", Redact("""{"total":5, "products":[{"sku":"a"}]}"""));

    [Fact]
    public void Email_and_phone_values_at_any_depth_become_their_hashes() =>
        Assert.Equal(
            $$"""{"email":"{{Hash("jane@example.com")}}","customer":{"billing_phone":"{{Hash("+14155550100")}}","name":"J"},"n":1}""",
            Redact("""{"email":" Jane@Example.com","customer":{"billing_phone":"+1 415 555 0100","name":"J"},"n":1}"""));

    [Fact]
    public void A_numeric_phone_and_every_element_of_an_array_of_emails_are_hashed() =>
        Assert.Equal(
            $$"""{"Phone":"{{Hash("4155550100")}}","emails":["{{Hash("a@b.c")}}","{{Hash("d@e.f")}}"],"after":"x"}""",
            Redact("""{"Phone":4155550100,"emails":["a@b.c","d@e.f"],"after":"x"}"""));

    [Fact]
    public void Keys_that_already_name_a_hash_are_left_alone() =>
        Assert.Equal("""{"emailSha256":"abc","phone_hash":"def"}""", Redact("""{"emailSha256":"abc","phone_hash":"def"}"""));

    [Fact]
    public void Escapes_in_other_strings_survive_even_invalid_ones() =>
        Assert.Equal($$"""{"title":"a\"b\ud800","email":"{{Hash("x@y.z")}}"}""", Redact("""{"title":"a\"b\ud800","email":"x@y.z"}"""));

    [Fact]
    public void Text_that_is_not_JSON_but_may_hold_an_address_is_hashed_whole() =>
        Assert.Equal(Hash("email=jane@example.com&x"), Redact("email=jane@example.com&x"));

    [Fact]
    public void Addresses_and_phones_are_found_by_shape_under_any_key_at_any_depth() =>
        Assert.Equal(
            $$"""{"a":{"b":[{"c":"{{Hash("jane.doe@example.com")}}"},"{{Hash("+14155550100")}}"]},"note":"write to {{Hash("jane.doe@example.com")}} today","url":"https://shop.example/?e={{Hash("jane.doe@example.com")}}&tel={{Hash("0415 555 0100")}}","order":"4155550100","total":59.9}""",
            Redact("""{"a":{"b":[{"c":"Jane.Doe@Example.com"},"+1 (415) 555-0100"]},"note":"write to jane.doe@example.com today","url":"https://shop.example/?e=jane.doe%40example.com&tel=0415%20555%200100","order":"4155550100","total":59.9}"""));

    [Fact]
    public void An_address_as_a_property_name_is_hashed_too() =>
        Assert.Equal($$"""{"{{Hash("jane.doe@example.com")}}":3}""", Redact("""{"jane.doe@example.com":3}"""));

    [Fact]
    public void An_escaped_address_is_found_after_unescaping() =>
        Assert.Equal($$"""{"id":"{{Hash("jane.doe@example.com")}}"}""", Redact("""{"id":"jane.doe\u0040example.com"}"""));

    [Fact]
    public void An_invalid_escape_that_may_spell_an_address_keeps_only_the_hash_of_the_string()
    {
        var redacted = Redact("""{"id":"jane@example.com\ud800"}""");
        Assert.DoesNotContain("jane", redacted, StringComparison.Ordinal);
        Assert.StartsWith("""{"id":"sha256:""", redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_already_hashed_under_a_personal_key_is_kept() =>
        Assert.Equal($$"""{"email":"{{Hash("x@y.z")}}","n":"+1"}""", Redact($$"""{"email":"{{Hash("x@y.z")}}","n":"+1"}"""));

    [Fact]
    public void JSON_that_only_looks_suspicious_is_returned_as_sent_spaces_and_all() =>
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
    public void The_cheap_pre_check_catches_every_trigger(string json) =>
        Assert.True(PiiRedactor.MayContainPii(Encoding.UTF8.GetBytes(json)));
}
