using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using OmniTrackIQ.Collector.Tests.Orders;

namespace OmniTrackIQ.Collector.Tests.Ingest;

/// <summary>
/// Issue 15 "Time is bounded": a time outside [2000-01-01, receivedAt + 1 day] after skew correction is replaced by the
/// received time and flagged on every route, never refused and never a 500 (year 9999 plus an hour of skew used to overflow).
/// On both stores: the replaced time and its flag must be what each stores.
/// </summary>
public abstract class TimeBounds : ClickHouse.StoreChoice
{
    private const string Year9999 = "9999-12-31T23:59:59Z";
    private const string Year1 = "0001-01-01T00:00:00Z";

    /// <summary>The batch's sentAt an hour behind the server: the skew the 9999 event overflowed with.</summary>
    private static readonly string s_hourBehind = TestClock.Now.AddHours(-1).ToString("O", CultureInfo.InvariantCulture);

    [SkippableFact]
    public async Task A_year_9999_event_in_a_batch_an_hour_behind_is_accepted_at_the_received_time_and_flagged_and_its_neighbour_is_corrected()
    {
        await using var factory = await NewFactoryAsync();
        using var client = factory.CreateClient();
        var neighbourTime = TestClock.Now.AddHours(-1).AddSeconds(-2);
        var body = $$"""
            {"writeKey":"{{CollectorFactory.WriteKey}}","sentAt":"{{s_hourBehind}}","batch":[
              {"type":"track","event":"far","messageId":"far","anonymousId":"a","timestamp":"{{Year9999}}"},
              {"type":"track","event":"near","messageId":"near","anonymousId":"a","timestamp":"{{neighbourTime:O}}"}]}
            """;
        using var response = await client.PostAsync("/v1/batch", Payloads.Json(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"accepted":2,"rejected":[]}""", await response.Content.ReadAsStringAsync());
        var rows = await CollectorClient.WaitForEventsAsync(client, 2);
        var far = rows.Single(r => r.GetProperty("messageId").GetString() == "far");
        var near = rows.Single(r => r.GetProperty("messageId").GetString() == "near");
        Assert.Equal("implausible_timestamp:batch[0].timestamp", far.GetProperty("flags").GetString());
        Assert.Equal(Time(far, "receivedAt"), Time(far, "ts"));
        Assert.Equal(JsonValueKind.Null, near.GetProperty("flags").ValueKind);
        // The neighbour's clock is an hour behind too: corrected to two seconds before it was received.
        Assert.Equal(Time(near, "receivedAt").AddSeconds(-2), Time(near, "ts"));
    }

    [SkippableTheory]
    [InlineData("/v1/track", "originalTimestamp", Year1, "implausible_timestamp:originalTimestamp")]
    [InlineData("/v1/page", "timestamp", Year9999, "implausible_timestamp:timestamp")]
    // Judged after skew correction: an hour (and the seconds the test's collector has run) later is still 1999.
    [InlineData("/v1/track", "timestamp", "1999-12-31T22:00:00Z", "implausible_timestamp:timestamp")]
    public async Task A_single_event_route_stores_an_absurd_time_as_the_received_time_and_flags_its_field(string path, string field, string time, string flag)
    {
        await using var factory = await NewFactoryAsync();
        using var client = factory.CreateClient();
        var body = $$"""{"messageId":"m-1","anonymousId":"a","event":"Clicked","{{field}}":"{{time}}","sentAt":"{{s_hourBehind}}"}""";
        using var response = await client.SendAsync(SegmentRequests.Post(path, body));

        Assert.Equal("""{"accepted":1,"rejected":[]}""", await response.Content.ReadAsStringAsync());
        var row = Assert.Single(await CollectorClient.WaitForEventsAsync(client, 1));
        Assert.Equal(flag, row.GetProperty("flags").GetString());
        Assert.Equal(Time(row, "receivedAt"), Time(row, "ts"));
    }

    [SkippableTheory]
    [InlineData(Year9999)]
    [InlineData("99999999999999")] // epoch ms: the year 5138
    [InlineData(Year1)]
    public async Task A_pixel_with_an_absurd_time_always_answers_the_gif_and_stores_the_event_flagged(string ts)
    {
        await using var factory = await NewFactoryAsync();
        using var client = factory.CreateClient();
        var sentAt = Uri.EscapeDataString(s_hourBehind);
        using var gif = await client.GetAsync($"/p.gif?wk={CollectorFactory.WriteKey}&mid=p1&aid=a&ts={Uri.EscapeDataString(ts)}&sa={sentAt}");

        Assert.Equal((HttpStatusCode.OK, "image/gif"), (gif.StatusCode, gif.Content.Headers.ContentType?.MediaType));
        Assert.Equal((byte)'G', (await gif.Content.ReadAsByteArrayAsync())[0]);
        var row = Assert.Single(await CollectorClient.WaitForEventsAsync(client, 1));
        Assert.Equal("implausible_timestamp:ts", row.GetProperty("flags").GetString());
        Assert.Equal(Time(row, "receivedAt"), Time(row, "ts"));
    }

    [SkippableFact]
    public async Task S2s_orders_of_year_9999_and_year_1_are_stored_at_the_received_time_and_flagged()
    {
        await using var factory = await NewFactoryAsync();
        using var client = factory.CreateClient();
        var body = $$"""
            {"orders":[
              {"orderId":"far","timestamp":"{{Year9999}}","revenue":10,"currency":"EUR","userId":"c1"},
              {"orderId":"old","timestamp":"{{Year1}}","revenue":20,"currency":"EUR","userId":"c2","landingUrl":"https://shop.example/?utm_source=news"}]}
            """;
        using var response = await client.SendAsync(OrderRequests.Conversions(body));

        Assert.Equal("""{"accepted":2,"rejected":[]}""", await response.Content.ReadAsStringAsync());
        var rows = await CollectorClient.WaitForEventsAsync(client, 3); // two orders, and the landing view of the second
        var far = rows.Single(r => r.GetProperty("orderId").GetString() == "far");
        var old = rows.Single(r => r.GetProperty("type").GetString() == "conversion" && r.GetProperty("orderId").GetString() == "old");
        var landing = rows.Single(r => r.GetProperty("type").GetString() == "page");
        Assert.Equal("implausible_timestamp:orders[0].timestamp", far.GetProperty("flags").GetString());
        Assert.Equal("implausible_timestamp:orders[1].timestamp", old.GetProperty("flags").GetString());
        Assert.Equal("implausible_timestamp:orders[1].timestamp", landing.GetProperty("flags").GetString());
        Assert.Equal(Time(far, "receivedAt"), Time(far, "ts"));
        Assert.Equal(Time(old, "receivedAt"), Time(old, "ts"));
        Assert.Equal(Time(old, "ts").AddMilliseconds(-1), Time(landing, "ts")); // the landing view still comes first
    }

    [SkippableFact]
    public async Task A_shopify_order_created_in_year_1_is_stored_at_the_received_time_and_flagged()
    {
        await using var factory = await NewFactoryAsync();
        using var client = factory.CreateClient();
        var body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(OrderRequests.Fixture("orders-create.json"))
            .Replace("\"created_at\": \"2022-04-06T08:09:03-04:00\"", "\"created_at\": \"0001-01-01T00:00:00+00:00\"", StringComparison.Ordinal));
        using var response = await client.SendAsync(OrderRequests.Webhook("orders/create", body, "evt-year-1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var conversion = Assert.Single(await CollectorClient.WaitForEventsAsync(client, 1), e => e.GetProperty("type").GetString() == "conversion");
        // The fixture's phone is not an international number: its own flag follows ours.
        var flags = conversion.GetProperty("flags").GetString()!;
        Assert.Equal("implausible_timestamp:orders[0].created_at", flags[..flags.IndexOf(',', StringComparison.Ordinal)]);
        Assert.StartsWith("dropped:traits.phone", flags[(flags.IndexOf(',', StringComparison.Ordinal) + 1)..], StringComparison.Ordinal);
        Assert.Equal(Time(conversion, "receivedAt"), Time(conversion, "ts"));
    }

    [SkippableFact]
    public async Task A_spend_row_of_year_9999_is_a_400_naming_its_date_not_a_500()
    {
        await using var factory = await NewFactoryAsync();
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/spend")
        {
            Content = new StringContent("""{"rows":[{"date":"9999-12-31","platform":"google","campaign":"b","spend":1,"currency":"EUR"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", CollectorFactory.SecretKey);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await CollectorClient.ProblemAsync(response);
        Assert.Equal(("rows[0].date", "invalid_date"), (problem.GetProperty("field").GetString(), problem.GetProperty("reason").GetString()));
    }

    private static DateTimeOffset Time(JsonElement row, string name) =>
        DateTimeOffset.Parse(row.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);
}

/// <summary>On the embedded store.</summary>
public sealed class TimeBoundsTests : TimeBounds
{
    protected override Task<CollectorFactory> NewFactoryAsync(Action<CollectorFactory>? configure = null) => DuckDbFactoryAsync(configure);
}

/// <summary>On ClickHouse.</summary>
public sealed class ClickHouseTimeBoundsTests : TimeBounds
{
    protected override Task<CollectorFactory> NewFactoryAsync(Action<CollectorFactory>? configure = null) => ClickHouseFactoryAsync(configure);
}
