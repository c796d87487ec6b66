using System.Security.Cryptography;
using System.Text;
using OmniTrackIQ.Pipeline.Privacy;

namespace OmniTrackIQ.Pipeline.Tests.Privacy;

public sealed class PiiTextTests
{
    private static string Hash(string normalised) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)));

    private static readonly string Jane = Hash("jane.doe@example.com");
    private static readonly string Phone = Hash("+14155550100");

    [Theory]
    [InlineData("a0001")]
    [InlineData("https://shop.example/p?utm_source=google&utm_medium=cpc")]
    [InlineData("https://www.google.com/")]
    [InlineData("Spring sale: 20% off")]
    [InlineData("C++ & C#")]
    [InlineData("1001")]
    [InlineData("https://cdn.example/img/logo@2x.png")]
    [InlineData("?q=a+b")]
    public void Text_without_address_or_phone_is_the_same_instance(string text) => Assert.Same(text, PiiText.Scrub(text));

    [Theory]
    [InlineData("Jane.Doe@Example.com")]
    [InlineData(" jane.doe@example.com ")]
    [InlineData("jane.doe%40example.com")]
    public void A_whole_address_becomes_its_hash(string text) => Assert.Equal(Jane, PiiText.Scrub(text));

    [Theory]
    [InlineData("+1 (415) 555-0100")]
    [InlineData("+14155550100")]
    public void A_whole_phone_becomes_the_hash_of_its_E164_form(string text) => Assert.Equal(Phone, PiiText.Scrub(text));

    [Theory]
    [InlineData("4155550100")]
    [InlineData("0415 555 0100")]
    [InlineData("2026-11-23T12:00:00+01:00")]
    [InlineData("59.90")]
    public void Digits_without_a_plus_are_left_alone(string text) => Assert.Same(text, PiiText.Scrub(text));

    [Fact]
    public void The_same_address_spelled_two_ways_gives_one_hash() =>
        Assert.Equal(PiiText.Scrub("Jane.Doe@Example.COM"), PiiText.Scrub("jane.doe%40example.com"));

    [Fact]
    public void Query_parameters_are_hashed_by_name_and_by_shape() =>
        Assert.Equal(
            $"https://shop.example/?email={Jane}&phone={Hash("+14155550100")}&tel={Hash("0415 555 0100")}&to={Phone}&x={Jane}&utm_source=news#mobile={Hash("+4915112345678")}",
            PiiText.Scrub("https://shop.example/?email=jane.doe%40example.com&phone=%2B1%20415%20555%200100&tel=0415%20555%200100&to=+14155550100&x=Jane.Doe@example.com&utm_source=news#mobile=0049 151 12345678"));

    [Fact]
    public void A_search_string_or_a_bare_parameter_list_is_read_the_same_way() =>
        Assert.Equal($"?email={Jane}&page=2", PiiText.Scrub("?email=jane.doe@example.com&page=2"));

    [Fact]
    public void An_address_inside_free_text_is_replaced_where_it_stands() =>
        Assert.Equal($"Order for {Jane} (VIP), cc {Hash("ops@shop.example")}", PiiText.Scrub("Order for Jane.Doe@example.com (VIP), cc ops@shop.example"));

    [Fact]
    public void An_address_in_a_path_is_replaced_and_its_URL_keeps_its_shape() =>
        Assert.Equal($"https://shop.example/u/{Jane}/orders?page=2", PiiText.Scrub("https://shop.example/u/jane.doe%40example.com/orders?page=2"));

    [Fact]
    public void A_hashed_value_is_never_hashed_again()
    {
        var once = PiiText.Scrub("https://shop.example/?email=jane.doe%40example.com&p=%2B14155550100")!;
        Assert.Same(once, PiiText.Scrub(once));
        Assert.Same(Jane, PiiText.Scrub(Jane));
    }

    [Fact]
    public void An_empty_parameter_under_a_personal_name_stays_empty() =>
        Assert.Equal("?email=&phone=", PiiText.Scrub("?email=&phone="));

    [Fact]
    public void An_undecodable_parameter_is_judged_as_written() =>
        Assert.Equal($"?e=%zz&email={Hash("%zz")}", PiiText.Scrub("?e=%zz&email=%zz"));

    [Fact]
    public void An_encoded_URL_inside_a_parameter_is_read_decoded_and_written_back_encoded() =>
        Assert.Equal(
            "?wk=k&url=" + Uri.EscapeDataString($"https://shop.example/?email={Jane}&tel={Hash("0415 555 0100")}"),
            PiiText.Scrub("?wk=k&url=https%3A%2F%2Fshop.example%2F%3Femail%3Djane.doe%2540example.com%26tel%3D0415%2520555%25200100"));

    [Fact]
    public void An_address_encoded_twice_is_found_too() =>
        Assert.Equal("?r=" + Jane + "&email=" + Jane, PiiText.Scrub("?r=jane.doe%2540example.com&email=jane.doe%2540example.com"));
}
