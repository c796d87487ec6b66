using System.Text.Json;
using OmniTrackIQ.Pipeline.Orders;

namespace OmniTrackIQ.Pipeline.Erasure;

/// <summary>
/// One of Shopify's mandatory compliance webhooks, read from its documented payload (shopify.dev, "Privacy law
/// compliance"): <c>customers/data_request</c> {shop_id, shop_domain, orders_requested, customer {id, email, phone},
/// data_request {id}}, <c>customers/redact</c> {shop_id, shop_domain, customer {id, email, phone}, orders_to_redact},
/// <c>shop/redact</c> {shop_id, shop_domain}. Ids keep their exact digits (never through a double).
/// </summary>
public sealed record ShopifyPrivacyRequest(string Topic, string? ShopDomain, ErasureRequest Person, string? DataRequestId)
{
    public const string DataRequestTopic = "customers/data_request";
    public const string CustomerRedactTopic = "customers/redact";
    public const string ShopRedactTopic = "shop/redact";

    public static bool IsPrivacyTopic(string topic) => topic is DataRequestTopic or CustomerRedactTopic or ShopRedactTopic;

    /// <summary>The request, or null with the field at fault (<paramref name="field"/>) and why (<paramref name="error"/>).</summary>
    public static ShopifyPrivacyRequest? Parse(string topic, ReadOnlySpan<byte> body, out string? field, out string? error)
    {
        field = null;
        error = null;
        if (!IsPrivacyTopic(topic))
        {
            (field, error) = ("X-Shopify-Topic", $"'{topic}' is not a privacy topic ({DataRequestTopic}, {CustomerRedactTopic}, {ShopRedactTopic})");
            return null;
        }

        JsonDocument document;
        try { document = JsonDocument.Parse(body.ToArray()); }
        catch (JsonException) { (field, error) = ("body", "not JSON"); return null; }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) { (field, error) = ("body", "not a JSON object"); return null; }
            var shop = ShopifyJson.String(root, "shop_domain");
            if (topic == ShopRedactTopic) { return new ShopifyPrivacyRequest(topic, shop, new ErasureRequest(), null); }

            ShopifyJson.TryGet(root, "customer", out var customer);
            if (!ShopifyJson.TryId(customer, "id", out var customerId)) { (field, error) = ("customer.id", "not an integer id"); return null; }
            var ordersField = topic == CustomerRedactTopic ? "orders_to_redact" : "orders_requested";
            var orders = new List<string>();
            if (ShopifyJson.TryGet(root, ordersField, out var list))
            {
                if (list.ValueKind != JsonValueKind.Array) { (field, error) = (ordersField, "not an array"); return null; }
                var index = 0;
                foreach (var item in list.EnumerateArray())
                {
                    using var wrapper = JsonDocument.Parse($"{{\"id\":{item.GetRawText()}}}");
                    if (!ShopifyJson.TryId(wrapper.RootElement, "id", out var orderId) || orderId is null)
                    {
                        (field, error) = ($"{ordersField}[{index}]", "not an integer id");
                        return null;
                    }

                    orders.Add(orderId);
                    index++;
                }
            }

            string? dataRequestId = null;
            if (topic == DataRequestTopic && ShopifyJson.TryGet(root, "data_request", out var dataRequest) && !ShopifyJson.TryId(dataRequest, "id", out dataRequestId))
            {
                (field, error) = ("data_request.id", "not an integer id");
                return null;
            }

            var person = new ErasureRequest
            {
                UserIds = customerId is null ? [] : [customerId],
                Emails = ShopifyJson.String(customer, "email") is { } email ? [email] : [],
                Phones = ShopifyJson.String(customer, "phone") is { } phone ? [phone] : [],
                OrderIds = orders,
            };
            if (person.IsEmpty) { (field, error) = ("customer", "names no customer id, e-mail, phone or order"); return null; }
            return new ShopifyPrivacyRequest(topic, shop, person, dataRequestId);
        }
    }
}
