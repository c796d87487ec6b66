using System.Globalization;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Collector.Attribution;

/// <summary>
/// A text progress bar for the CLI verbs (the backfill's people, the demo's requests): redrawn in place (carriage
/// return) on a terminal, one line per 10 % when the output is a file or pipe so logs stay readable.
/// </summary>
/// <param name="unit">What is counted, as printed after the counts.</param>
internal sealed class ProgressBar(TextWriter writer, bool interactive, string unit = "people") : IProgress<AttributionProgress>
{
    private const int Width = 30;
    private int _lastDecile = -1;
    private bool _drawn;

    public void Report(AttributionProgress value)
    {
        var fraction = value.Total == 0 ? 1 : (double)value.Done / value.Total;
        var filled = (int)(fraction * Width);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"[{new string('#', filled)}{new string('-', Width - filled)}] {fraction * 100,5:F1}% {value.Done}/{value.Total} {unit}");
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
