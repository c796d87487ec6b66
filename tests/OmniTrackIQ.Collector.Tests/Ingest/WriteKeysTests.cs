using System.Text;
using Microsoft.AspNetCore.Http;
using OmniTrackIQ.Collector.Ingest;

namespace OmniTrackIQ.Collector.Tests.Ingest;

public sealed class WriteKeysTests
{
    private static DefaultHttpContext Request(string? authorization = null, string? otq = null, string? writeKeyHeader = null, string? query = null)
    {
        var context = new DefaultHttpContext();
        if (authorization is not null) { context.Request.Headers.Authorization = authorization; }
        if (otq is not null) { context.Request.Headers["X-OTQ-Key"] = otq; }
        if (writeKeyHeader is not null) { context.Request.Headers["X-Write-Key"] = writeKeyHeader; }
        if (query is not null) { context.Request.QueryString = new QueryString("?writeKey=" + query); }
        return context;
    }

    private static string Basic(string text) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Basic_comes_first() =>
        Assert.Equal(("wk_basic", "Authorization"), WriteKeys.Find(Request(Basic("wk_basic:"), "wk_h", "wk_w", "wk_q").Request, "wk_body"));

    [Fact]
    public void Then_the_body() => Assert.Equal(("wk_body", "writeKey"), WriteKeys.Find(Request(null, "wk_h", "wk_w", "wk_q").Request, "wk_body"));

    [Fact]
    public void Then_the_headers_then_the_query()
    {
        Assert.Equal(("wk_h", "X-OTQ-Key"), WriteKeys.Find(Request(null, "wk_h", "wk_w", "wk_q").Request, null));
        Assert.Equal(("wk_w", "X-Write-Key"), WriteKeys.Find(Request(null, null, "wk_w", "wk_q").Request, null));
        Assert.Equal(("wk_q", "writeKey"), WriteKeys.Find(Request(query: "wk_q").Request, null));
        Assert.Equal(((string?)null, "writeKey"), WriteKeys.Find(Request().Request, null));
    }

    [Theory]
    [InlineData("wk_1:", "wk_1")]
    [InlineData("wk_1", "wk_1")]
    [InlineData("wk_1:ignored-password", "wk_1")]
    public void The_basic_user_is_the_key(string credential, string key) => Assert.Equal(key, WriteKeys.Find(Request(Basic(credential)).Request, null).Key);

    [Fact]
    public void Basic_that_is_not_Base64_matches_no_key() => Assert.Equal("", WriteKeys.Find(Request("Basic %%%").Request, "wk_body").Key);

    [Fact]
    public void A_bearer_token_is_not_a_write_key() => Assert.Equal("wk_body", WriteKeys.Find(Request("Bearer sk_1").Request, "wk_body").Key);
}
