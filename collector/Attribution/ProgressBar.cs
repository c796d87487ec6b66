using System.Globalization;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Collector.Attribution;

/// <summary>
/// A text progress bar for the backfill: redrawn in place (carriage return) on a terminal, one line per
/// 10 % when stderr goes to a file or pipe so logs stay readable.
/// </summary>
internal sealed class ProgressBar(TextWriter writer, bool interactive) : IProgress<AttributionProgress>
{
    private const int Width = 30;
    private int _lastDecile = -1;
    private bool _drawn;

    public void Report(AttributionProgress value)
    {
        var fraction = value.Total == 0 ? 1 : (double)value.Done / value.Total;
        var filled = (int)(fraction * Width);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"[{new string('#', filled)}{new string('-', Width - filled)}] {fraction * 100,5:F1}% {value.Done}/{value.Total} people");
        if (interactive)
        {
            writer.Write('\r' + line);
            _drawn = true;
            return;
        }

        var decile = (int)(fraction * 10);
        if (decile == _lastDecile) { return; }
        _lastDecile = decile;
        writer.WriteLine(line);
    }

    public void Finish()
    {
        if (_drawn) { writer.WriteLine(); }
    }
}
