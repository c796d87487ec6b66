using System.Text.Json;
using OmniTrackIQ.Pipeline.Erasure;

namespace OmniTrackIQ.Collector.Privacy;

/// <summary>
/// The operator's body naming a person: <c>{"emails": [], "emailSha256": [], "phones": [], "userIds": [], "anonymousIds": [],
/// "orderIds": [], "requestId": "…"}</c>, every list optional (a single string is taken as a list of one), at least one
/// identifier. Unknown fields are refused by name, so a typo cannot erase nothing and answer 200.
/// </summary>
internal static class ErasureRequestJson
{
    private const int MaxValues = 100;
    private const int MaxValueLength = 256;

    public static ErasureRequest? Parse(ReadOnlySpan<byte> body, out string? requestId, out string? field, out string? error)
    {
        requestId = null;
        field = null;
        error = null;
        JsonDocument document;
        try { document = JsonDocument.Parse(body.ToArray()); }
        catch (JsonException) { (field, error) = ("body", "not JSON"); return null; }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) { (field, error) = ("body", "not a JSON object"); return null; }
            var lists = new Dictionary<string, List<string>>(StringComparer.Ordinal)
            {
                ["emails"] = [], ["emailSha256"] = [], ["phones"] = [], ["userIds"] = [], ["anonymousIds"] = [], ["orderIds"] = [],
            };
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "requestId")
                {
                    requestId = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                    if (requestId is null || !PrivacyExports.IsValidId(requestId))
                    {
                        (field, error) = ("requestId", "1–64 letters, digits, '-' or '_'");
                        return null;
                    }

                    continue;
                }

                if (!lists.TryGetValue(property.Name, out var values))
                {
                    (field, error) = (property.Name, "unknown field (emails, emailSha256, phones, userIds, anonymousIds, orderIds, requestId)");
                    return null;
                }

                if (!Read(property.Value, values)) { (field, error) = (property.Name, $"a string or an array of up to {MaxValues} strings of up to {MaxValueLength} characters"); return null; }
            }

            var request = new ErasureRequest
            {
                Emails = lists["emails"], EmailSha256 = lists["emailSha256"], Phones = lists["phones"], UserIds = lists["userIds"],
                AnonymousIds = lists["anonymousIds"], OrderIds = lists["orderIds"],
            };
            if (request.IsEmpty) { (field, error) = ("body", "names no one: give at least one of emails, emailSha256, phones, userIds, anonymousIds, orderIds"); return null; }
            return request;
        }
    }

    private static bool Read(JsonElement value, List<string> values)
    {
        if (value.ValueKind == JsonValueKind.String) { return Add(value, values); }
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > MaxValues) { return false; }
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || !Add(item, values)) { return false; }
        }

        return true;
    }

    private static bool Add(JsonElement value, List<string> values)
    {
        var text = value.GetString();
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxValueLength) { return false; }
        values.Add(text);
        return true;
    }
}
