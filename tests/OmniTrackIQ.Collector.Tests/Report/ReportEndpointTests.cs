using System.Net;
using System.Text;

namespace OmniTrackIQ.Collector.Tests.Report;

/// <summary>
/// <c>GET /report</c> and its assets: served without auth (the page holds no data), with the chart
/// containers the script fills, a CSP that allows only same-origin script, and no caching.
/// </summary>
public sealed class ReportEndpointTests : IClassFixture<CollectorFactory>
{
    private readonly CollectorFactory _factory;

    public ReportEndpointTests(CollectorFactory factory) => _factory = factory;

    [Fact]
    public async Task Report_page_is_html_with_every_chart_container_and_no_inline_script()
    {
        using var client = _factory.CreateClient();
        using var response = await client.GetAsync("/report");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        var page = await response.Content.ReadAsStringAsync();
        foreach (var id in new[] { "kpis", "daily-chart", "channel-chart", "channel-legend", "campaign-chart", "campaign-table", "orders-table", "orders-older", "orders-newer", "presets", "channel", "paths", "error", "token", "from", "to", "model" })
        {
            Assert.Contains($"id=\"{id}\"", page, StringComparison.Ordinal);
        }

        foreach (var script in new[] { "charts.js", "tables.js", "report.js" })
        {
            Assert.Contains($"<script src=\"/report/{script}\" defer></script>", page, StringComparison.Ordinal);
        }

        Assert.Equal(3, Count(page, "<script"));
        Assert.DoesNotContain("<style", page, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", page, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/report", "text/html")]
    [InlineData("/report/report.js", "text/javascript")]
    [InlineData("/report/charts.js", "text/javascript")]
    [InlineData("/report/tables.js", "text/javascript")]
    [InlineData("/report/report.css", "text/css")]
    [InlineData("/report/favicon.svg", "image/svg+xml")]
    public async Task Every_asset_is_served_with_security_and_no_store_headers(string url, string mediaType)
    {
        using var client = _factory.CreateClient();
        using var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore, $"{url}: Cache-Control is '{response.Headers.CacheControl}'");
        Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
        var csp = Single(response, "Content-Security-Policy");
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", Single(response, "X-Frame-Options"));
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 100);
    }

    [Fact]
    public async Task Scripts_write_api_values_as_text_never_as_markup()
    {
        using var client = _factory.CreateClient();
        var main = await client.GetStringAsync("/report/report.js");

        foreach (var api in new[] { "/v1/attribution/compare", "/v1/attribution/summary", "/v1/attribution/paths", "/v1/metrics/summary", "/v1/metrics/daily", "/v1/orders" })
        {
            Assert.Contains(api, main, StringComparison.Ordinal);
        }

        foreach (var asset in new[] { "/report/report.js", "/report/charts.js", "/report/tables.js" })
        {
            var script = await client.GetStringAsync(asset);
            Assert.Contains("textContent", script, StringComparison.Ordinal);
            foreach (var sink in new[] { "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(" })
            {
                Assert.DoesNotContain(sink, script, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Report_needs_no_token_but_only_answers_get()
    {
        using var client = _factory.CreateClient();
        using var post = await client.PostAsync("/report", new StringContent("x", Encoding.UTF8, "text/plain"));
        using var unknown = await client.GetAsync("/report/other.js");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private static string Single(HttpResponseMessage response, string header) =>
        Assert.Single(response.Headers.GetValues(header));

    private static int Count(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal)) { count++; }
        return count;
    }
}
