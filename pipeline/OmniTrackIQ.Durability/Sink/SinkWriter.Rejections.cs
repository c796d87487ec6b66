using System.Text.Json;
using Microsoft.Extensions.Logging;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Spool;

namespace OmniTrackIQ.Pipeline.Sink;

/// <summary>
/// What the sink does when the store refuses rows for what they hold (<see cref="StoreRejectedDataException"/>):
/// retrying the same batch would fail forever and hold every later event behind it. The batch is halved and each
/// half written on its own, down to single events; an event still refused alone is kept in <c>bad_events</c>
/// and passed, like a stored one. A batch with one poison event costs about 2·log2(n) extra inserts.
/// </summary>
public sealed partial class SinkWriter
{
    private const string StoreRejectedPrefix = "store_rejected: ";

    private async Task<bool> SplitRejectedAsync(List<TrackedEvent> batch, int start, int count, StoreRejectedDataException rejection, bool giveUpAfterFirstFailure, CancellationToken cancellationToken)
    {
        if (count == 1)
        {
            KeepRejected(batch[start], rejection);
            return true;
        }

        var half = count / 2;
        return await WriteRangeAsync(batch, start, half, giveUpAfterFirstFailure, cancellationToken)
            && await WriteRangeAsync(batch, start + half, count - half, giveUpAfterFirstFailure, cancellationToken);
    }

    private void KeepRejected(TrackedEvent evt, StoreRejectedDataException rejection)
    {
        LogStoreRejected(evt.Workspace, evt.MessageId, rejection.Message);
        _metrics.EventsRejected("store_rejected");
        // The event as it was spooled: e-mails and phones are already hashed (the clear text is never serialised).
        var payload = JsonSerializer.Serialize(evt, SpoolJsonContext.Default.TrackedEvent);
        _badEvents.AddUnbudgeted(new BadEvent(evt.Workspace, payload, StoreRejectedPrefix + rejection.Message, evt.ReceivedAt));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The store refused event {MessageId} of workspace {Workspace}; kept in bad_events: {Reason}")]
    private partial void LogStoreRejected(string workspace, string messageId, string reason);
}
