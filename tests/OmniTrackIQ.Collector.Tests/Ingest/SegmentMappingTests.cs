using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;

namespace OmniTrackIQ.Collector.Tests.Ingest;

/// <summary>How Segment's spec lands in our columns: the README's "Sending from Segment-spec clients" table, checked row by row.</summary>
public sealed class SegmentMappingTests
{
    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public async Task A_page_whose_campaign_url_is_in_properties_gets_its_channel()
    {
        await using var factory = new CollectorFactory();
        using var client = Browser(factory);
        using var response = await client.SendAsync(SegmentRequests.Post("/v1/page",
            """{"messageId":"pg1","anonymousId":"a1","name":"Home","properties":{"url":"https://shop.example/?utm_source=google&utm_medium=cpc&utm_campaign=spring","referrer":"https://www.google.com/","title":"Shop","path":"/","search":"?utm_source=google"}}"""));

        var row = Assert.Single(await CollectorClient.WaitForEventsAsync(client, 1));
        Assert.Equal("https://shop.example/?utm_source=google&utm_medium=cpc&utm_campaign=spring", row.GetProperty("pageUrl").GetString());
        Assert.Equal(("https://www.google.com/", "Shop", "Home"), (row.GetProperty("pageReferrer").GetString(), row.GetProperty("pageTitle").GetString(), row.GetProperty("event").GetString()));
        Assert.Equal(("google", "cpc", "spring"), (row.GetProperty("utmSource").GetString(), row.GetProperty("utmMedium").GetString(), row.GetProperty("utmCampaign").GetString()));
        Assert.Equal("Paid Search", row.GetProperty("channel").GetString());
    }

    [Fact]
    public async Task Context_page_wins_over_properties_and_path_plus_search_is_a_url_when_nothing_else_is()
    {
        await using var factory = new CollectorFactory();
        using var client = Browser(factory);
        await client.SendAsync(SegmentRequests.Post("/v1/batch", """
            {"batch":[
              {"type":"page","messageId":"c1","anonymousId":"a","context":{"page":{"url":"https://shop.example/from-context"}},"properties":{"url":"https://shop.example/from-properties"}},
              {"type":"page","messageId":"c2","anonymousId":"a","context":{"page":{"path":"/landing","search":"?utm_source=newsletter&utm_medium=email"}}}]}
            """));

        var rows = await CollectorClient.WaitForEventsAsync(client, 2);
        Assert.Equal("https://shop.example/from-context", rows[0].GetProperty("pageUrl").GetString());
        Assert.Equal("/landing?utm_source=newsletter&utm_medium=email", rows[1].GetProperty("pageUrl").GetString());
        Assert.Equal("Email", rows[1].GetProperty("channel").GetString());
    }

    [Fact]
    public async Task Context_campaign_name_is_utm_campaign_and_batch_level_context_reaches_every_event()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        await client.SendAsync(SegmentRequests.Post("/v1/batch", """
            {"context":{"userAgent":"Mozilla/5.0 (iPhone; CPU iPhone OS 17_2_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1","campaign":{"source":"batch-source"}},
             "batch":[
              {"type":"page","messageId":"k1","anonymousId":"a","context":{"campaign":{"name":"spring","source":"newsletter","medium":"email","term":"shoes","content":"hero"}}},
              {"type":"page","messageId":"k2","anonymousId":"a"}]}
            """));

        var rows = await CollectorClient.WaitForEventsAsync(client, 2);
        Assert.Equal(("newsletter", "email", "spring", "shoes", "hero"), (rows[0].GetProperty("utmSource").GetString(), rows[0].GetProperty("utmMedium").GetString(),
            rows[0].GetProperty("utmCampaign").GetString(), rows[0].GetProperty("utmTerm").GetString(), rows[0].GetProperty("utmContent").GetString()));
        Assert.Equal("batch-source", rows[1].GetProperty("utmSource").GetString());
        Assert.All(rows, r => Assert.Equal(("Mobile Safari", "mobile", false), (r.GetProperty("browser").GetString(), r.GetProperty("deviceClass").GetString(), r.GetProperty("isBot").GetBoolean())));
    }

    [Theory]
    [InlineData("""{"order_id":"1001","revenue":59.9,"total":64.9,"currency":"eur"}""", 59.9)]
    [InlineData("""{"order_id":1001,"total":"64.90","currency":"EUR"}""", 64.9)]
    public async Task Order_completed_is_a_conversion_with_its_order_id_and_revenue(string properties, double revenue)
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        var props = properties[..^1] + ""","products":[{"product_id":"p1","sku":"S1","price":59.9,"quantity":1}],"email":"Buyer@Example.com"}""";
        using var response = await client.SendAsync(SegmentRequests.Post("/v1/track", $$"""{"messageId":"oc1","userId":"u1","event":"Order Completed","properties":{{props}}}"""));

        Assert.Equal("""{"accepted":1,"rejected":[]}""", await response.Content.ReadAsStringAsync());
        var row = Assert.Single(await CollectorClient.WaitForEventsAsync(client, 1));
        Assert.Equal(("conversion", "Order Completed", "1001", "EUR"), (row.GetProperty("type").GetString(), row.GetProperty("event").GetString(), row.GetProperty("orderId").GetString(), row.GetProperty("currency").GetString()));
        Assert.Equal(revenue, row.GetProperty("revenue").GetDouble(), 4);
        using var stored = JsonDocument.Parse(row.GetProperty("properties").GetString()!);
        Assert.Equal("S1", stored.RootElement.GetProperty("products")[0].GetProperty("sku").GetString());
        // An e-mail inside properties is kept only as its hash.
        Assert.Equal("sha256:" + Sha256("buyer@example.com"), stored.RootElement.GetProperty("email").GetString());
    }

    [Fact]
    public async Task Identify_traits_are_hashed_and_never_stored_in_clear()
    {
        var data = Path.Combine(Path.GetTempPath(), "otq-pii-" + Guid.NewGuid().ToString("N"));
        await using (var factory = new CollectorFactory())
        {
            factory.Settings["OmniTrack:DataDirectory"] = data;
            using var client = factory.CreateClient();
            await client.SendAsync(SegmentRequests.Post("/v1/batch", """
                {"batch":[
                  {"type":"identify","messageId":"id1","userId":"u1","traits":{"email":" Jane.Doe@Example.COM ","phone":"+1 (415) 555-0100","name":"Jane Doe"}},
                  {"type":"identify","messageId":"id2","userId":"u2","context":{"traits":{"email":"jane.doe@example.com","phone":"0415 555 0100"}}},
                  {"type":"group","messageId":"gr1","userId":"u1","groupId":"acme","traits":{"name":"Acme","billing_email":"jane.doe@example.com"}},
                  {"type":"track","messageId":"bad1","userId":"u1","traits":{"email":"jane.doe@example.com"}}]}
                """));

            var rows = await CollectorClient.WaitForEventsAsync(client, 3);
            Assert.Equal(Sha256("jane.doe@example.com"), rows[0].GetProperty("emailSha256").GetString());
            Assert.Equal(Sha256("+14155550100"), rows[0].GetProperty("phoneSha256").GetString());
            Assert.Equal(Sha256("jane.doe@example.com"), rows[1].GetProperty("emailSha256").GetString());
            Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("phoneSha256").ValueKind); // a national number has no E.164 form
            Assert.Contains("dropped:traits.phone", rows[1].GetProperty("flags").GetString(), StringComparison.Ordinal);
            Assert.Equal(("group", "acme"), (rows[2].GetProperty("type").GetString(), rows[2].GetProperty("groupId").GetString()));
            Assert.Contains("\"name\":\"Acme\"", rows[2].GetProperty("properties").GetString(), StringComparison.Ordinal);
            Assert.Single(await CollectorClient.WaitForBadEventsAsync(client, 1)); // the track without event, its traits hashed
            await RunAttributionAsync(client); // identity links and the attribution tables get scanned too
        }

        // Every column of every table, read as text: no clear e-mail, no phone digits, no name from the traits.
        using var connection = new DuckDBConnection($"Data Source={Path.Combine(data, "omnitrack.duckdb")}");
        connection.Open();
        var tables = TableScan.Tables(connection);
        Assert.Superset(new HashSet<string> { "events", "bad_events", "identity_links", "conversions" }, tables.ToHashSet());
        foreach (var table in tables)
        {
            Assert.True(TableScan.RowsMatching(connection, table, "jane\\.doe@|415.?555|jane doe") == 0, $"clear-text PII in table {table}");
        }

        Assert.Equal(1, TableScan.RowsMatching(connection, "events", "acme")); // the scan does see stored text: the group's name

        connection.Close();
        try { Directory.Delete(data, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Context_ip_is_the_visitors_address_and_is_anonymised_like_the_connections()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        await client.SendAsync(SegmentRequests.Post("/v1/batch", """
            {"batch":[{"type":"page","messageId":"ip1","anonymousId":"a","context":{"ip":"203.0.113.77"}},
                      {"type":"page","messageId":"ip2","anonymousId":"a","context":{"ip":"not-an-ip"}}]}
            """));

        var rows = await CollectorClient.WaitForEventsAsync(client, 2);
        Assert.Equal("203.0.113.0", rows[0].GetProperty("ip").GetString());
        Assert.NotEqual("203.0.113.0", rows[1].GetProperty("ip").GetString());
        Assert.Equal("dropped:batch[1].context.ip", rows[1].GetProperty("flags").GetString());
    }

    [Fact]
    public async Task An_alias_joins_the_anonymous_visit_to_the_users_order()
    {
        await using var factory = new CollectorFactory();
        factory.Settings["OmniTrack:Attribution:IntervalSeconds"] = "0";
        using var client = Browser(factory);
        await client.SendAsync(SegmentRequests.Post("/v1/batch", """
            {"batch":[
              {"type":"page","messageId":"v1","anonymousId":"anon-1","timestamp":"2026-11-22T10:00:00.000Z","properties":{"url":"https://shop.example/?utm_source=google&utm_medium=cpc"}},
              {"type":"alias","messageId":"al1","previousId":"anon-1","userId":"user-1","timestamp":"2026-11-22T10:05:00.000Z"},
              {"type":"track","messageId":"o1","userId":"user-1","event":"Order Completed","timestamp":"2026-11-23T11:00:00.000Z","properties":{"order_id":"9","revenue":30,"currency":"EUR"}}]}
            """));
        await CollectorClient.WaitForEventsAsync(client, 3);

        await RunAttributionAsync(client);
        var summary = await CollectorClient.GetJsonAsync(client, "/v1/attribution/summary?model=last");
        var row = Assert.Single(summary.GetProperty("rows").EnumerateArray());
        Assert.Equal(("Paid Search", 30.0), (row.GetProperty("key").GetString(), row.GetProperty("revenue").GetDouble()));
    }

    [Fact]
    public async Task A_screen_is_stored_like_a_page_view_with_its_name()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        await client.SendAsync(SegmentRequests.Post("/v1/screen", """{"messageId":"sc1","userId":"u","name":"Checkout","properties":{"step":2}}"""));

        var row = Assert.Single(await CollectorClient.WaitForEventsAsync(client, 1));
        Assert.Equal(("screen", "Checkout", "Checkout"), (row.GetProperty("type").GetString(), row.GetProperty("event").GetString(), row.GetProperty("pageTitle").GetString()));
    }

    private static HttpClient Browser(CollectorFactory factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd(SegmentRequests.BrowserUserAgent);
        return client;
    }

    private static async Task RunAttributionAsync(HttpClient client)
    {
        using var run = new HttpRequestMessage(HttpMethod.Post, "/v1/attribution/run");
        run.Headers.Authorization = new AuthenticationHeaderValue("Bearer", CollectorFactory.ReadToken);
        (await client.SendAsync(run)).EnsureSuccessStatusCode();
    }

}
