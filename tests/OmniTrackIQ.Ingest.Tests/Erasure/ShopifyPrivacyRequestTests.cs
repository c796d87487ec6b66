using System.Text;
using OmniTrackIQ.Pipeline.Erasure;
using OmniTrackIQ.Pipeline.Privacy;

namespace OmniTrackIQ.Pipeline.Tests.Erasure;

/// <summary>Issue 20: Shopify's compliance payloads (Orders/Fixtures, from the documented examples) read into who is to be found.</summary>
public sealed class ShopifyPrivacyRequestTests
{
    private static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Orders", "Fixtures", name));

    [Fact]
    public void Customers_redact_names_the_customer_id_email_phone_and_orders_with_their_exact_digits()
    {
        var request = ShopifyPrivacyRequest.Parse("customers/redact", Fixture("customers-redact.json"), out var field, out var error);

        Assert.Null(field);
        Assert.Null(error);
        Assert.NotNull(request);
        Assert.Equal("shop-example.myshopify.com", request.ShopDomain);
        Assert.Equal(["115310627314723954"], request.Person.UserIds);
        Assert.Equal(["john@example.com"], request.Person.Emails);
        Assert.Equal(["555-625-1199"], request.Person.Phones);
        Assert.Equal(["820982911946154508", "280263", "220458"], request.Person.OrderIds);
        Assert.Null(request.DataRequestId);
    }

    [Fact]
    public void A_data_request_carries_its_id_and_the_orders_requested_and_shop_redact_names_no_one()
    {
        var data = ShopifyPrivacyRequest.Parse("customers/data_request", Fixture("customers-data-request.json"), out _, out _);
        var shop = ShopifyPrivacyRequest.Parse("shop/redact", Fixture("shop-redact.json"), out _, out _);

        Assert.Equal(("9999", 3), (data!.DataRequestId, data.Person.OrderIds.Count));
        Assert.True(shop!.Person.IsEmpty);
        Assert.Equal("shop-example.myshopify.com", shop.ShopDomain);
    }

    [Theory]
    [InlineData("orders/create", """{"shop_domain":"s"}""", "X-Shopify-Topic")]
    [InlineData("customers/redact", "not json", "body")]
    [InlineData("customers/redact", "[1]", "body")]
    [InlineData("customers/redact", """{"customer":{"id":1.5}}""", "customer.id")]
    [InlineData("customers/redact", """{"customer":{"id":1},"orders_to_redact":[1,"x"]}""", "orders_to_redact[1]")]
    [InlineData("customers/redact", """{"customer":{"id":1},"orders_to_redact":7}""", "orders_to_redact")]
    [InlineData("customers/redact", """{"customer":{"email":""}}""", "customer")]
    [InlineData("customers/data_request", """{"customer":{"id":1},"data_request":{"id":"abc"}}""", "data_request.id")]
    public void A_payload_that_cannot_name_the_customer_names_its_field(string topic, string body, string expectedField)
    {
        var request = ShopifyPrivacyRequest.Parse(topic, Encoding.UTF8.GetBytes(body), out var field, out var error);

        Assert.Null(request);
        Assert.Equal(expectedField, field);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Named_hashes_clear_emails_and_phones_and_reads_an_email_user_id_in_its_hashed_form()
    {
        var keys = PersonErasure.Named(new ErasureRequest
        {
            Emails = [" Jane@Example.com "], Phones = ["+49 151 1234 5678", "555-625-1199"], UserIds = ["42", " "], EmailSha256 = ["NOT-A-HASH"],
        });
        var hash = EmailHasher.Hash("jane@example.com")!;

        Assert.Equal(
            new HashSet<PersonKey> { PersonKey.Email(hash), PersonKey.User("sha256:" + hash), PersonKey.Phone(PhoneHasher.Hash("+4915112345678")!), PersonKey.User("42") },
            keys);
    }
}
