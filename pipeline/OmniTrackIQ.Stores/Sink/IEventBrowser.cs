namespace OmniTrackIQ.Pipeline.Sink;

/// <summary>
/// Reads back what a workspace's clients sent, as stored: the last events and the last rejections. For a shop
/// wiring up a client ("did my Order Completed arrive, and as what?"), not for analysis (that is SQL on the store).
/// </summary>
public interface IEventBrowser
{
    /// <summary>The workspace's last <paramref name="limit"/> stored events, oldest first (in load order).</summary>
    Task<IReadOnlyList<StoredEvent>> RecentEventsAsync(string workspace, int limit, CancellationToken cancellationToken);

    /// <summary>The workspace's last <paramref name="limit"/> <c>bad_events</c> rows, oldest first.</summary>
    Task<IReadOnlyList<StoredBadEvent>> RecentBadEventsAsync(string workspace, int limit, CancellationToken cancellationToken);
}

/// <summary>One stored event: the <c>events</c> columns a client's sender can check (README "Tables").</summary>
public sealed record StoredEvent(
    string MessageId, string Type, string? Event, string? AnonymousId, string? UserId, DateTime Ts, DateTime ReceivedAt,
    string? Properties, decimal? Revenue, string? Currency, string? OrderId, string? PageUrl, string? PageReferrer, string? PageTitle,
    string? UtmSource, string? UtmMedium, string? UtmCampaign, string? UtmTerm, string? UtmContent, string? ClickIdType, string? ClickId,
    string? EmailSha256, string? PhoneSha256, string? PreviousId, string? GroupId, string? Ip, string? UserAgent, string? Country,
    string? Browser, string? DeviceClass, bool IsBot, string? Channel, string? Flags);

/// <summary>One <c>bad_events</c> row.</summary>
public sealed record StoredBadEvent(int? Index, string? Field, string Reason, string Payload, DateTime ReceivedAt);
