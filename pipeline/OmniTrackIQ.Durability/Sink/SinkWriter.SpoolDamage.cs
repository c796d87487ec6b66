using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OmniTrackIQ.Pipeline.Spool;

namespace OmniTrackIQ.Pipeline.Sink;

/// <summary>
/// What the sink does with a spool it cannot fully read. A damaged stretch (bit rot, a zeroed page, a cut file) is
/// skipped with the records after it kept: its bytes are copied to quarantine, counted in
/// <c>otq_spool_corrupt_bytes_total</c> / <c>otq_spool_corrupt_records_total</c> and reported as one
/// <c>bad_events</c> row (<c>spool_corrupt</c>), since an acknowledged event may be in it. An I/O error is no
/// damage: the read is tried again with back-off, the cursor where it was.
/// </summary>
public sealed partial class SinkWriter
{
    /// <summary>
    /// The workspace of a <c>spool_corrupt</c> row: the damaged bytes cannot say whose events they held (a stretch may
    /// span several workspaces' records), so the row is the operator's, under an id no configured workspace has.
    /// </summary>
    public const string DamagedSpoolWorkspace = "(spool)";
    private const string SpoolCorruptReason = "spool_corrupt";

    private RetryBackoff? _readBackoff;

    private RetryBackoff ReadBackoff => _readBackoff ??= new RetryBackoff(_options.RetryDelay, _options.MaxRetryDelay);

    /// <summary>Quarantines and reports a damaged stretch. A failed copy throws its IOException: the read is retried, nothing is skipped unseen.</summary>
    private void KeepDamaged(SpoolRecord damaged)
    {
        var (path, head) = SpoolQuarantine.Keep(_spool.DirectoryPath, damaged.Start, damaged.Length);
        _metrics.SpoolCorrupt(damaged.Length);
        LogDamaged(damaged.Length, damaged.Start, path);
        var detail = string.Create(CultureInfo.InvariantCulture, $"{damaged.Length} unreadable bytes at spool position {damaged.Start}, kept in {path}");
        _badEvents.AddUnbudgeted(new BadEvent(DamagedSpoolWorkspace, DescribeDamage(damaged, path, head), SpoolCorruptReason + ": " + detail, _time.GetUtcNow()));
    }

    /// <summary>The row's payload: where the stretch was and its first bytes (base64: they are not text any more).</summary>
    private static string DescribeDamage(SpoolRecord damaged, string path, byte[] head)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteNumber("segment", damaged.Start.Segment);
            json.WriteNumber("offset", damaged.Start.Offset);
            json.WriteNumber("bytes", damaged.Length);
            json.WriteString("quarantine", path);
            json.WriteBase64String("head", head);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Spool: {Bytes} damaged bytes at {Start} skipped (the records after them are kept); copied to {Quarantine}, reported in bad_events as spool_corrupt")]
    private partial void LogDamaged(long bytes, SpoolPosition start, string quarantine);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading the spool at {Cursor} failed; trying again after a back-off")]
    private partial void LogReadFailed(Exception exception, SpoolPosition cursor);
}
