using System.Net;
using OmniTrackIQ.Enrichment.Channels;
using OmniTrackIQ.Enrichment.GeoIp;
using OmniTrackIQ.Enrichment.Privacy;
using OmniTrackIQ.Enrichment.Tests.GeoIp;
using OmniTrackIQ.Pipeline.Enrichment;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Workspaces;

namespace OmniTrackIQ.Enrichment.Tests;

/// <summary>Seeded random garbage through all three enrichers: every event gets a known channel and a verdict, nothing throws.</summary>
public sealed class UntrustedInputTests
{
    private static readonly string[] Groups =
    [
        ChannelGroups.Direct, ChannelGroups.CrossNetwork, ChannelGroups.PaidShopping, ChannelGroups.PaidSearch,
        ChannelGroups.PaidSocial, ChannelGroups.PaidVideo, ChannelGroups.Display, ChannelGroups.PaidOther,
        ChannelGroups.OrganicShopping, ChannelGroups.OrganicSocial, ChannelGroups.OrganicVideo, ChannelGroups.OrganicSearch,
        ChannelGroups.Referral, ChannelGroups.Email, ChannelGroups.Affiliates, ChannelGroups.Audio, ChannelGroups.Sms,
        ChannelGroups.MobilePush, ChannelGroups.Unassigned,
    ];

    private static readonly string[] Pieces =
    [
        "https://", "http://", "//", "?", "&", "=", "#", "%", "%2", "%E2%82", "%ZZ", "+", "@", ":", "[", "]", ".",
        "utm_source", "utm_medium", "utm_campaign", "gclid", "fbclid", "ScCid", "google", "cpc", "shop", "www.",
        "facebook.com", "\u0000", "\uD800", "é", " ", "/", "..", "xn--", "localhost", "email",
    ];

    [Fact]
    public void Random_urls_emails_and_addresses_never_throw()
    {
        using var geo = GeoIpTestHost.Open(TestData.GeoIp("GeoIP2-City-Test.mmdb"), TestData.GeoIp("GeoLite2-ASN-Test.mmdb"));
        IEventEnricher[] enrichers = [new GeoIpEnricher(geo), new PrivacyEnricher(), new ChannelEnricher()];
        var workspace = new WorkspaceSettings { OwnDomains = ["", ".", "shop.example"], IpV4PrefixLength = 40, IpV6PrefixLength = -3 };
        var random = new Random(42);
        var bytes = new byte[16];

        for (var i = 0; i < 3000; i++)
        {
            random.NextBytes(bytes);
            var ip = random.Next(2) == 0 ? new IPAddress(bytes.AsSpan(0, 4)) : new IPAddress(bytes);
            var evt = new TrackedEvent
            {
                PageUrl = Garbage(random),
                PageReferrer = Garbage(random),
                UtmSource = random.Next(4) == 0 ? Garbage(random) : null,
                ClickIdType = random.Next(4) == 0 ? Garbage(random) : null,
                EmailClearText = random.Next(2) == 0 ? Garbage(random) : null,
                EmailSha256 = random.Next(4) == 0 ? Garbage(random) : null,
            };

            var request = new IngestRequest(ip, null, false, workspace);
            foreach (var enricher in enrichers)
            {
                var verdict = enricher.Enrich(evt, request);
                Assert.True(!verdict.IsRejected || verdict.RejectedField == "context.traits.emailSha256");
            }

            Assert.Contains(evt.Channel, Groups);
            Assert.Null(evt.EmailClearText);
            Assert.NotNull(evt.Ip);
        }
    }

    private static string Garbage(Random random)
    {
        var parts = random.Next(0, 12);
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < parts; i++)
        {
            text.Append(random.Next(5) == 0 ? new string((char)random.Next(0, 0xFFFF), random.Next(1, 40)) : Pieces[random.Next(Pieces.Length)]);
        }

        return text.ToString();
    }
}
