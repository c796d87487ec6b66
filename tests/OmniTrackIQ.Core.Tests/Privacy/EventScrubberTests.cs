using System.Security.Cryptography;
using System.Text;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Privacy;

namespace OmniTrackIQ.Pipeline.Tests.Privacy;

public sealed class EventScrubberTests
{
    private static readonly string Jane = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("jane.doe@example.com")));
    private static readonly string Phone = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("+14155550100")));

    [Fact]
    public void Every_text_field_a_client_writes_is_scrubbed()
    {
        var evt = new TrackedEvent
        {
            MessageId = "jane.doe@example.com", AnonymousId = "+1 415 555 0100", UserId = "Jane.Doe@Example.com", PreviousId = "jane.doe@example.com",
            GroupId = "jane.doe@example.com", Event = "Signup jane.doe@example.com", OrderId = "jane.doe@example.com",
            PageUrl = "https://shop.example/?email=jane.doe%40example.com", PageReferrer = "https://m.example/?tel=%2B14155550100", PageTitle = "Hi jane.doe@example.com",
            UtmSource = "jane.doe@example.com", UtmMedium = "+14155550100", UtmCampaign = "jane.doe@example.com", UtmTerm = "jane.doe@example.com",
            UtmContent = "jane.doe@example.com", ClickId = "jane.doe@example.com", UserAgent = "Bot/1.0 (jane.doe@example.com)", SourceName = "jane.doe@example.com",
        };

        EventScrubber.Scrub(evt);

        Assert.Equal(
            [Jane, Phone, Jane, Jane, Jane, "Signup " + Jane, Jane, $"https://shop.example/?email={Jane}", $"https://m.example/?tel={Phone}", "Hi " + Jane,
             Jane, Phone, Jane, Jane, Jane, Jane, $"Bot/1.0 ({Jane})", Jane],
            new[] { evt.MessageId, evt.AnonymousId, evt.UserId, evt.PreviousId, evt.GroupId, evt.Event, evt.OrderId, evt.PageUrl, evt.PageReferrer, evt.PageTitle,
                evt.UtmSource, evt.UtmMedium, evt.UtmCampaign, evt.UtmTerm, evt.UtmContent, evt.ClickId, evt.UserAgent, evt.SourceName });
    }

    [Fact]
    public void An_event_without_PII_keeps_its_strings()
    {
        var url = "https://shop.example/p?utm_source=google&utm_medium=cpc";
        var evt = new TrackedEvent { MessageId = "m-1", AnonymousId = "a0001", UserId = "4155550100", OrderId = "1001", PageUrl = url, UtmSource = "google" };

        EventScrubber.Scrub(evt);

        Assert.Same(url, evt.PageUrl);
        Assert.Equal(("m-1", "a0001", "4155550100", "1001", "google"), (evt.MessageId, evt.AnonymousId, evt.UserId, evt.OrderId, evt.UtmSource));
    }
}
