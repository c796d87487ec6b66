using System.Net;
using OmniTrackIQ.Enrichment.Channels;
using OmniTrackIQ.Pipeline.Enrichment;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Workspaces;

namespace OmniTrackIQ.Enrichment.Tests.Channels;

public sealed class ChannelEnricherTests
{
    private static readonly ChannelEnricher Enricher = new();

    private static TrackedEvent Run(TrackedEvent evt, WorkspaceSettings? workspace = null)
    {
        var verdict = Enricher.Enrich(evt, new IngestRequest(IPAddress.Loopback, null, false, workspace ?? new WorkspaceSettings()));
        Assert.False(verdict.IsRejected);
        return evt;
    }

    [Fact]
    public void Utms_and_click_id_are_read_from_the_landing_url_when_the_context_has_none()
    {
        var evt = Run(new TrackedEvent
        {
            PageUrl = "https://shop.example/p?utm_source=Newsletter&utm_medium=email&utm_campaign=Black+Friday%20%E2%82%AC&utm_term=shoes&utm_content=hero&gclid=abc123&fbclid=zzz#top",
        });

        Assert.Equal(("Newsletter", "email", "Black Friday €", "shoes", "hero"), (evt.UtmSource, evt.UtmMedium, evt.UtmCampaign, evt.UtmTerm, evt.UtmContent));
        Assert.Equal(("gclid", "abc123"), (evt.ClickIdType, evt.ClickId));
        Assert.Equal((ChannelGroups.Email, AdPlatforms.GoogleAds), (evt.Channel, evt.AdPlatform));
    }

    [Fact]
    public void Context_fields_win_over_the_url()
    {
        var evt = Run(new TrackedEvent
        {
            UtmSource = "facebook",
            UtmMedium = "paid",
            ClickIdType = "fbclid",
            ClickId = "from-context",
            PageUrl = "https://shop.example/?utm_source=google&utm_medium=cpc&gclid=from-url",
        });

        Assert.Equal(("facebook", "paid", (string?)null), (evt.UtmSource, evt.UtmMedium, evt.UtmCampaign));
        Assert.Equal(("fbclid", "from-context"), (evt.ClickIdType, evt.ClickId));
        Assert.Equal((ChannelGroups.PaidSocial, AdPlatforms.Meta), (evt.Channel, evt.AdPlatform));
    }

    [Fact]
    public void A_url_click_id_is_stored_under_its_canonical_name()
    {
        var evt = Run(new TrackedEvent { PageUrl = "https://shop.example/?SCCID=s1&ttclid=t1" });
        Assert.Equal(("ScCid", "s1", ChannelGroups.PaidSocial, AdPlatforms.Snapchat), (evt.ClickIdType, evt.ClickId, evt.Channel, evt.AdPlatform));
    }

    [Fact]
    public void Self_referral_through_own_domains_is_direct()
    {
        var evt = Run(new TrackedEvent
        {
            PageUrl = "https://shop.example/thanks",
            PageReferrer = "https://checkout.payments.example/pay",
        }, new WorkspaceSettings { OwnDomains = ["payments.example"] });
        Assert.Equal(ChannelGroups.Direct, evt.Channel);
        Assert.Null(evt.AdPlatform);
    }

    [Fact]
    public void An_external_referrer_is_a_referral()
    {
        var evt = Run(new TrackedEvent { PageUrl = "https://shop.example/", PageReferrer = "https://blog.example/review" });
        Assert.Equal(ChannelGroups.Referral, evt.Channel);
        Assert.Null(evt.UtmSource);
    }

    [Theory]
    [InlineData("https://shop.example/?utm_source=%ZZ%&utm_medium=%E2%82")]
    [InlineData("https://shop.example/?=x&&utm_source&utm_medium=&gclid=")]
    [InlineData("::::??##&&==")]
    [InlineData("https://shop.example/?utm_source=\u0000\uFFFF\uD800")]
    public void Malformed_urls_never_throw_and_still_classify(string url)
    {
        var evt = Run(new TrackedEvent { PageUrl = url, PageReferrer = url });
        Assert.NotNull(evt.Channel);
    }

    [Fact]
    public void Oversized_query_values_are_ignored()
    {
        var evt = Run(new TrackedEvent { PageUrl = "https://shop.example/?utm_source=" + new string('a', 100_000) + "&utm_medium=email" });
        Assert.Null(evt.UtmSource);
        Assert.Equal(("email", ChannelGroups.Email), (evt.UtmMedium, evt.Channel));
    }

    [Fact]
    public void Malformed_escapes_are_kept_literally()
    {
        var evt = Run(new TrackedEvent { PageUrl = "https://shop.example/?utm_source=100%25+pure%ZZ" });
        Assert.Equal("100% pure%ZZ", evt.UtmSource);
    }
}
