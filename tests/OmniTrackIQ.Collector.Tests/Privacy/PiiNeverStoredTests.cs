using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using Microsoft.Extensions.DependencyInjection;
using OmniTrackIQ.Collector.Tests.ClickHouse;
using OmniTrackIQ.Collector.Tests.Ingest;
using OmniTrackIQ.Collector.Tests.Orders;
using OmniTrackIQ.Pipeline.Metrics;

namespace OmniTrackIQ.Collector.Tests.Privacy;

/// <summary>
/// Issue 15: one clear-text e-mail address and one phone number, sent in every place a client can put them (ids,
/// traits, nested properties, URL parameters, referrer, campaign, event name, rejected events and the refusal's quote
/// of them, a refused pixel, an order), reach no table of the store and no byte of the data directory (the spool included): only their hashes do.
/// </summary>
public abstract partial class PiiNeverStored : StoreChoice
{
    // What must never be found, in any case or spelling: the address's local part, the phone's digits with or without
    // separators (the national form "0415 555 0100" included).
    protected const string ClearText = "jane[.]doe|415[^0-9]{0,2}555[^0-9]?0100";

    /// <summary>Sent in a title, a property and a pixel: proves each scan reads real stored text.</summary>
    protected const string Marker = "pii-marker-7f3c";

    private static readonly string Jane = "sha256:" + Sha256("jane.doe@example.com");
    private static readonly string Phone = "sha256:" + Sha256("+14155550100");

    private const string Batch = """
        {"batch":[
          {"type":"page","messageId":"p1","userId":"Jane.Doe@Example.com","anonymousId":"+1 (415) 555-0100","timestamp":"2026-11-23T11:00:00.000Z",
           "context":{"page":{"url":"https://shop.example/landing?email=jane.doe%40example.com&phone=%2B14155550100&utm_source=newsletter&utm_medium=email",
                              "referrer":"https://mail.example/read?to=jane.doe@example.com&tel=0415%20555%200100","title":"Welcome jane.doe@example.com pii-marker-7f3c"},
                      "campaign":{"source":"jane.doe@example.com","medium":"email","name":"spring","term":"+1 415 555 0100","content":"for jane.doe%40example.com"},
                      "traits":{"email":"Jane.Doe@Example.com","phone":"+1 (415) 555-0100"}},
           "properties":{"marker":"pii-marker-7f3c","customer":{"contact":{"primary":"jane.doe@example.com","numbers":["+1 415 555 0100"]}},
                         "note":"reply to Jane.Doe@Example.com","phone":14155550100,"tel":"0415 555 0100","jane.doe@example.com":true}},
          {"type":"track","messageId":"t1","userId":" jane.doe@example.com ","event":"Signed up as jane.doe@example.com","timestamp":"2026-11-23T11:01:00.000Z",
           "properties":{"search":"?email=jane.doe%40example.com"},
           "context":{"page":{"path":"/account/jane.doe@example.com","search":"?phone=%2B1%20415%20555%200100"}}},
          {"type":"identify","messageId":"i1","userId":"+14155550100","traits":{"email":"jane.doe@example.com","phone":"+14155550100"}},
          {"type":"alias","messageId":"a1","previousId":"jane.doe@example.com","userId":"u-42"},
          {"type":"group","messageId":"g1","userId":"u-42","groupId":"jane.doe@example.com","traits":{"name":"Acme","billing_email":"jane.doe@example.com","contact":"+1 415 555 0100"}},
          {"type":"page","messageId":"p2","anonymousId":"anon-9","properties":{"url":"https://shop.example/?e=jane.doe%40example.com","referrer":"https://l.example/?tel=%2B14155550100"}},
          {"type":"track","messageId":"bad1","userId":"jane.doe@example.com","anonymousId":"+1 415 555 0100","properties":{"phone":"+1 415 555 0100"},
           "context":{"page":{"url":"https://shop.example/?email=jane.doe%40example.com"}}},
          {"type":"jane.doe@example.com","messageId":"bad2","anonymousId":"anon-9"}]}
        """;

    private const string Conversion = """
        {"orderId":"7001","timestamp":"2026-11-23T11:30:00Z","revenue":20,"currency":"EUR","userId":"jane.doe@example.com","email":"Jane.Doe@Example.com",
         "phone":"+1 415 555 0100","landingUrl":"https://shop.example/?email=jane.doe%40example.com","referrer":"https://mail.example/?tel=0415%20555%200100",
         "lineItems":[{"sku":"S1","note":"gift for jane.doe@example.com"}]}
        """;

    // Encoded once for the query string; the url parameter carries an encoded URL whose e-mail is encoded again.
    private const string PixelQuery = "uid=jane.doe%40example.com&aid=%2B1%20415%20555%200100&title=pii-marker-7f3c&utm_source=jane.doe%40example.com"
        + "&url=https%3A%2F%2Fshop.example%2F%3Femail%3Djane.doe%2540example.com&ref=https%3A%2F%2Fm.example%2F%3Ftel%3D0415%2520555%25200100";

    protected static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Rows of each table whose text (every column, lower-cased) matches <paramref name="pattern"/>, the collector stopped.</summary>
    protected abstract Task<Dictionary<string, long>> ScanStoreAsync(CollectorFactory factory, string dataDirectory, string pattern);

    [SkippableFact]
    public async Task No_clear_text_address_or_phone_reaches_any_table_or_any_file_of_the_data_directory()
    {
        var data = Path.Combine(Path.GetTempPath(), "otq-pii-" + Guid.NewGuid().ToString("N"));
        try
        {
            var factory = await NewFactoryAsync(f =>
            {
                f.Settings["OmniTrack:DataDirectory"] = data;
                Spend.SpendClient.OnlyExplicitRuns(f);
            });
            try
            {
                await SendEverywhereAsync(factory);
            }
            finally
            {
                await factory.DisposeAsync(); // stopped: the DuckDB file can be opened, the spool is what it will stay
            }

            var leaks = await ScanStoreAsync(factory, data, ClearText);
            Assert.Superset(new HashSet<string> { "events", "bad_events", "identity_links", "attribution_touches" }, leaks.Keys.ToHashSet());
            Assert.All(leaks, table => Assert.True(table.Value == 0, $"clear-text PII in table {table.Key}: {table.Value} rows"));
            Assert.True((await ScanStoreAsync(factory, data, Marker))["events"] >= 2, "the scan sees stored text");
            Assert.Equal(3, (await ScanStoreAsync(factory, data, "."))["bad_events"]); // two rejected events and the refused pixel, not the unknown key

            var files = Directory.GetFiles(data, "*", SearchOption.AllDirectories);
            Assert.Contains(files, f => f.Contains(Path.DirectorySeparatorChar + "spool" + Path.DirectorySeparatorChar, StringComparison.Ordinal));
            Assert.Contains(files, f => ReadLowerLatin1(f).Contains(Marker, StringComparison.Ordinal) && f.Contains("spool", StringComparison.Ordinal));
            Assert.All(files, f => Assert.False(Regex.IsMatch(ReadLowerLatin1(f), ClearText), $"clear-text PII in {f}"));
        }
        finally
        {
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task SendEverywhereAsync(CollectorFactory factory)
    {
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd(SegmentRequests.BrowserUserAgent);
        using var batch = await client.SendAsync(SegmentRequests.Post("/v1/batch", Batch));
        using (var answer = JsonDocument.Parse(await batch.Content.ReadAsStringAsync()))
        {
            Assert.Equal(6, answer.RootElement.GetProperty("accepted").GetInt32());
            Assert.Equal(["batch[6].event", "batch[7].type"], answer.RootElement.GetProperty("rejected").EnumerateArray().Select(r => r.GetProperty("field").GetString()));
        }

        using (var conversion = await client.SendAsync(OrderRequests.Conversions(Conversion))) { Assert.Equal(HttpStatusCode.OK, conversion.StatusCode); }
        using (var accepted = await client.GetAsync($"/p.gif?wk={CollectorFactory.WriteKey}&" + PixelQuery)) { Assert.Equal(HttpStatusCode.OK, accepted.StatusCode); }
        using (var refused = await client.GetAsync($"/p.gif?wk={CollectorFactory.WriteKey}&t=bogus&" + PixelQuery)) { Assert.Equal(HttpStatusCode.OK, refused.StatusCode); }
        using (var unknown = await client.GetAsync("/p.gif?wk=wk_nobody&" + PixelQuery)) { Assert.Equal(HttpStatusCode.OK, unknown.StatusCode); }

        // Page, track, identify, alias, group, page; the order and its landing view; the pixel.
        var rows = await CollectorClient.WaitForEventsAsync(client, 9);
        Assert.Equal(9, rows.Length);
        Assert.Equal(3, (await CollectorClient.WaitForBadEventsAsync(client, 3)).Length);
        Assert.Equal(1, await MetricsScrape.ValueAsync(client, "otq_events_rejected_total{reason=\"unknown_write_key\"}")); // counted, not stored

        // Deterministic: the three spellings of one address are one hashed user, so identity stitching still works.
        var byId = rows.ToDictionary(r => r.GetProperty("messageId").GetString()!);
        Assert.Equal([Jane, Jane], new[] { byId["p1"], byId["t1"] }.Select(r => r.GetProperty("userId").GetString()));
        Assert.Equal((Phone, Phone), (byId["p1"].GetProperty("anonymousId").GetString(), byId["i1"].GetProperty("userId").GetString()));
        Assert.Equal(Jane, byId["a1"].GetProperty("previousId").GetString());
        Assert.Equal(Jane, Assert.Single(rows, r => r.GetProperty("type").GetString() == "page" && r.GetProperty("pageTitle").GetString() == Marker).GetProperty("userId").GetString());
        Assert.Equal(Sha256("jane.doe@example.com"), byId["p1"].GetProperty("emailSha256").GetString());
        await OrderRequests.RunAttributionAsync(client); // identity links and the attribution tables get scanned too
    }

    private static string ReadLowerLatin1(string path) => Encoding.Latin1.GetString(File.ReadAllBytes(path)).ToLowerInvariant();
}

public sealed class PiiNeverStoredTests : PiiNeverStored
{
    protected override Task<CollectorFactory> NewFactoryAsync(Action<CollectorFactory>? configure = null) => DuckDbFactoryAsync(configure);

    protected override Task<Dictionary<string, long>> ScanStoreAsync(CollectorFactory factory, string dataDirectory, string pattern)
    {
        using var connection = new DuckDBConnection($"Data Source={Path.Combine(dataDirectory, "omnitrack.duckdb")}");
        connection.Open();
        return Task.FromResult(TableScan.Tables(connection).ToDictionary(t => t, t => TableScan.RowsMatching(connection, t, pattern)));
    }
}

public sealed class ClickHousePiiNeverStoredTests : PiiNeverStored
{
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(30) };

    protected override Task<CollectorFactory> NewFactoryAsync(Action<CollectorFactory>? configure = null) => ClickHouseFactoryAsync(configure);

    /// <summary>Every String column of every table of the test's database, lower-cased, through ClickHouse's own regex.</summary>
    protected override async Task<Dictionary<string, long>> ScanStoreAsync(CollectorFactory factory, string dataDirectory, string pattern)
    {
        var database = factory.Settings["OmniTrack:ClickHouse:ConnectionString"]!.Split(';').Single(p => p.StartsWith("Database=", StringComparison.Ordinal))["Database=".Length..];
        var columns = await QueryAsync($"SELECT table, name, type FROM system.columns WHERE database = '{database}' AND type LIKE '%String%' FORMAT TabSeparated");
        var tables = await QueryAsync($"SELECT name FROM system.tables WHERE database = '{database}' AND engine NOT LIKE '%View' FORMAT TabSeparated");
        var result = new Dictionary<string, long>();
        foreach (var table in tables.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var conditions = columns.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t')).Where(c => c[0] == table)
                .Select(c => c[2].StartsWith("Array(", StringComparison.Ordinal) ? $"match(lower(arrayStringConcat(`{c[1]}`, ' ')), '{pattern}')" : $"match(lower(ifNull(`{c[1]}`, '')), '{pattern}')")
                .ToList();
            result[table] = conditions.Count == 0 ? 0 : long.Parse((await QueryAsync($"SELECT count() FROM {database}.`{table}` WHERE {string.Join(" OR ", conditions)}")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }

        return result;
    }

    private static async Task<string> QueryAsync(string sql)
    {
        var url = Environment.GetEnvironmentVariable("OTQ_CLICKHOUSE_URL") is { Length: > 0 } configured ? configured : "http://127.0.0.1:8123";
        using var response = await s_http.PostAsync(new Uri(url), new StringContent(sql));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return body;
    }
}
