using System.Globalization;

namespace OmniTrackIQ.Collector.Demo;

/// <summary>
/// The demo's progress over its requests: redrawn in place on a terminal, one line per 10 % when the output is a
/// file or pipe (the same rule as the backfill's bar, counting requests instead of people).
/// </summary>
internal sealed class DemoProgressBar(TextWriter writer, bool interactive) : IProgress<(int Done, int Total)>
{
    private const int Width = 30;
    private int _lastDecile = -1;
    private bool _drawn;

    public void Report((int Done, int Total) value)
    {
        var fraction = value.Total == 0 ? 1 : (double)value.Done / value.Total;
        var filled = (int)(fraction * Width);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"[{new string('#', filled)}{new string('-', Width - filled)}] {fraction * 100,5:F1}% {value.Done}/{value.Total} requests");
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
