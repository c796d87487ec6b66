using Microsoft.AspNetCore.WebUtilities;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Ingest;

namespace OmniTrackIQ.Pipeline.Tests.Ingest;

/// <summary>
/// Issue 16: the pixel reads its query string in one pass instead of through <c>HttpRequest.Query</c>'s dictionary. Every
/// field must be what that dictionary gave (ASP.NET Core's <see cref="QueryHelpers.ParseQuery"/> is the oracle: the first
/// value of the name, compared ignoring case, empty meaning absent), on the inputs a browser or a hostile client can send.
/// </summary>
public sealed class PixelQueryParserTests
{
    public static TheoryData<string> Queries =>
    [
        "?wk=wk_1&aid=a1",
        "wk=wk_1&aid=a1",
        "?wk=wk_1&aid=a+b%20c&title=Hello+World%21&utm_source=news+letter",
        "?WK=wk_1&Aid=a1&URL=https%3A%2F%2Fshop.example%2Fp%3Fq%3D1&Utm_Medium=cpc",
        "?%77k=wk_1&a%69d=a1&ur%6C=https%3A%2F%2Fshop.example%2F",
        "?wk=wk_1&aid=first&aid=second&title=t1&title=t2",
        "?wk=wk_1&aid=&aid=second&uid=u1",
        "?wk=wk_1&aid=%FF%FEbad&title=%E2%82&ref=%C3%28",
        "?&&wk=wk_1&&aid=a1&=orphan&novalue&aid&title",
        "?wk=wk_1&aid=a1&fbclid=f1&gclid=g1&SCCID=s1",
        "?wk=wk_1&aid=a%26b%3Dc&uid=%25",
        "?wk=wk_1&aid=a1&url=%&title=%2&ref=%zz",
        "?wk=wk_1&aid=%u0041&uid=caf%C3%A9+%F0%9F%98%80",
        "?wk=wk_1&uid=u1&t=track&ev=Signed+Up&mid=m-1&oid=o1&cur=eur&rev=59.90&em=&ca=1&cad=false",
    ];

    [Theory]
    [MemberData(nameof(Queries))]
    public void Every_field_is_what_the_request_query_dictionary_gave(string query)
    {
        var error = PixelQueryParser.TryParse(query, out var writeKey, out _, out var evt);

        Assert.Null(error);
        var expected = QueryHelpers.ParseQuery(query);
        Assert.Equal(First(expected, "wk"), writeKey);
        Assert.Equal(First(expected, "mid") ?? "", evt.MessageId);
        Assert.Equal(First(expected, "aid"), evt.AnonymousId);
        Assert.Equal(First(expected, "uid"), evt.UserId);
        Assert.Equal(First(expected, "ev"), evt.Event);
        Assert.Equal(First(expected, "url"), evt.PageUrl);
        Assert.Equal(First(expected, "ref"), evt.PageReferrer);
        Assert.Equal(First(expected, "title"), evt.PageTitle);
        Assert.Equal(First(expected, "utm_source"), evt.UtmSource);
        Assert.Equal(First(expected, "utm_medium"), evt.UtmMedium);
        Assert.Equal(First(expected, "oid"), evt.OrderId);
        Assert.Equal(First(expected, "cur")?.ToUpperInvariant(), evt.Currency);
        Assert.Equal(First(expected, "em"), evt.EmailSha256);
        // The click id is the first name in ContextParser's order that has a value, not the first in the query.
        var clickIdType = ContextParser.ClickIdNames.FirstOrDefault(name => First(expected, name) is not null);
        Assert.Equal(clickIdType, evt.ClickIdType);
        Assert.Equal(clickIdType is null ? null : First(expected, clickIdType), evt.ClickId);
        Assert.Null(evt.Flags);
    }

    [Fact]
    public void Escapes_and_plus_signs_are_decoded_in_names_and_values()
    {
        Assert.Null(PixelQueryParser.TryParse("?%77K=wk_1&aid=a+b%20c&url=https%3A%2F%2Fshop.example%2Fp%3Fq%3D1%26r%3D2", out var writeKey, out _, out var evt));

        Assert.Equal("wk_1", writeKey);
        Assert.Equal("a b c", evt.AnonymousId);
        Assert.Equal("https://shop.example/p?q=1&r=2", evt.PageUrl);
    }

    [Fact]
    public void A_repeated_name_counts_with_its_first_value_even_an_empty_one()
    {
        Assert.Null(PixelQueryParser.TryParse("?wk=wk_1&aid=first&AID=second&uid=&uid=u2&anonymous=x", out _, out _, out var evt));
        Assert.Equal("first", evt.AnonymousId);
        Assert.Null(evt.UserId);

        var error = PixelQueryParser.TryParse("?wk=wk_1&aid=&aid=second", out _, out _, out _);
        Assert.Equal(IngestError.BadRequest("aid", "aid or uid is required", "missing_field"), error);
    }

    [Fact]
    public void Invalid_UTF8_escapes_stay_as_they_were_sent()
    {
        Assert.Null(PixelQueryParser.TryParse("?wk=wk_1&aid=%FF%FEx&title=%E2%82&uid=caf%C3%A9", out _, out _, out var evt));

        Assert.Equal("%FF%FEx", evt.AnonymousId);
        Assert.Equal("%E2%82", evt.PageTitle);
        Assert.Equal("café", evt.UserId);
    }

    [Fact]
    public void An_id_over_its_limit_is_refused_naming_the_field_and_one_at_the_limit_is_kept()
    {
        var atLimit = new string('m', WireLimits.MaxIdLength);
        Assert.Null(PixelQueryParser.TryParse($"?wk=wk_1&aid=a1&mid={atLimit}", out _, out _, out var evt));
        Assert.Equal(atLimit, evt.MessageId);

        var error = PixelQueryParser.TryParse($"?wk=wk_1&aid=a1&mid={atLimit}m", out _, out _, out _);
        Assert.Equal(IngestError.BadRequest("mid", $"longer than the limit of {WireLimits.MaxIdLength} characters", "string_too_long"), error);
    }

    [Fact]
    public void The_first_field_at_fault_is_named_in_the_parser_s_order_not_the_query_s()
    {
        var tooLong = new string('x', WireLimits.MaxIdLength + 1);

        var error = PixelQueryParser.TryParse($"?ev={tooLong}&wk=wk_1&aid=a1&mid={tooLong}", out _, out _, out _);

        Assert.Equal("mid", error?.Field);
        Assert.Equal("string_too_long", error?.Reason);
    }

    [Fact]
    public void Free_text_over_its_limit_is_cut_at_a_whole_character_and_flagged()
    {
        // 'é' is two UTF-8 bytes: 2049 of them are 4098 bytes, so the cut keeps 2048 (4096 bytes) and never half of one.
        var url = string.Concat(Enumerable.Repeat("%C3%A9", (WireLimits.MaxUrlLength / 2) + 1));

        Assert.Null(PixelQueryParser.TryParse($"?wk=wk_1&aid=a1&url={url}", out _, out _, out var evt));

        Assert.Equal(new string('é', WireLimits.MaxUrlLength / 2), evt.PageUrl);
        Assert.Equal("truncated:url", evt.Flags);
    }

    [Fact]
    public void Without_a_query_string_the_write_key_is_missing()
    {
        foreach (var query in new[] { null, "", "?", "?&&" })
        {
            var error = PixelQueryParser.TryParse(query, out var writeKey, out _, out var evt);

            Assert.Equal(new IngestError(401, "wk", "write key is required", "missing_write_key"), error);
            Assert.Null(writeKey);
            Assert.Equal(EventType.Page, evt.Type);
        }
    }

    [Fact]
    public void Typed_parameters_are_read_from_their_decoded_text()
    {
        var error = PixelQueryParser.TryParse("?wk=wk_1&uid=u1&t=conversion&oid=o%2D1&rev=59%2E90&cur=eur&ts=1764000000000&sa=2026-11-24T16%3A00%3A00Z&ca=true&cad=0",
            out _, out var sentAt, out var evt);

        Assert.Null(error);
        Assert.Equal(EventType.Conversion, evt.Type);
        Assert.Equal("o-1", evt.OrderId);
        Assert.Equal(59.90m, evt.Revenue);
        Assert.Equal("EUR", evt.Currency);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1764000000000), evt.Timestamp);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 16, 0, 0, TimeSpan.Zero), sentAt);
        Assert.True(evt.ConsentAnalytics);
        Assert.False(evt.ConsentAds);
    }

    private static string? First(Dictionary<string, Microsoft.Extensions.Primitives.StringValues> query, string name) =>
        query.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;
}
