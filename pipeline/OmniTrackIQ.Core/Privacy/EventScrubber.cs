using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.Pipeline.Privacy;

/// <summary>
/// The last step before the spool: every text field of an event that a client wrote (ids, event name, page URL,
/// referrer and title, campaign values, click id, order id, user agent) goes through <see cref="PiiText"/>, so an
/// address or phone in any of them is stored only as its hash. Runs after the enrichers, which read the clear values
/// (the channel enricher takes campaign values from the URL), and whether or not they run. <c>properties</c> is
/// redacted where it is parsed (<see cref="PiiRedactor"/>). A field with none of <c>@ % + =</c> costs one vectorised scan.
/// </summary>
public static class EventScrubber
{
    public static void Scrub(TrackedEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        evt.MessageId = PiiText.Scrub(evt.MessageId)!;
        evt.AnonymousId = PiiText.Scrub(evt.AnonymousId);
        evt.UserId = PiiText.Scrub(evt.UserId);
        evt.PreviousId = PiiText.Scrub(evt.PreviousId);
        evt.GroupId = PiiText.Scrub(evt.GroupId);
        evt.Event = PiiText.Scrub(evt.Event);
        evt.OrderId = PiiText.Scrub(evt.OrderId);
        evt.PageUrl = PiiText.Scrub(evt.PageUrl);
        evt.PageReferrer = PiiText.Scrub(evt.PageReferrer);
        evt.PageTitle = PiiText.Scrub(evt.PageTitle);
        evt.UtmSource = PiiText.Scrub(evt.UtmSource);
        evt.UtmMedium = PiiText.Scrub(evt.UtmMedium);
        evt.UtmCampaign = PiiText.Scrub(evt.UtmCampaign);
        evt.UtmTerm = PiiText.Scrub(evt.UtmTerm);
        evt.UtmContent = PiiText.Scrub(evt.UtmContent);
        evt.ClickId = PiiText.Scrub(evt.ClickId);
        evt.UserAgent = PiiText.Scrub(evt.UserAgent);
        evt.SourceName = PiiText.Scrub(evt.SourceName);
    }
}
