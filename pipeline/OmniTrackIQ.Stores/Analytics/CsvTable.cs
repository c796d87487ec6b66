using System.Globalization;
using System.Text;

namespace OmniTrackIQ.Pipeline.Analytics;

/// <summary>
/// Writes the analyst API's tables as CSV (RFC 4180): CRLF line ends, a header, a field quoted when it holds a comma,
/// quote, CR or LF, inner quotes doubled. Text cells are guarded against formula injection (a spreadsheet runs
/// <c>=HYPERLINK(…)</c> from a campaign name): one starting with <c>= + - @</c>, tab or CR gets a leading <c>'</c>.
/// Number cells are ours, written invariant, and never guarded (a negative profit stays a number).
/// </summary>
public sealed class CsvTable
{
    private readonly StringBuilder _text = new();
    private readonly int _columns;
    private int _cell;

    public CsvTable(params ReadOnlySpan<string> header)
    {
        _columns = header.Length;
        foreach (var name in header) { Text(name); }
    }

    public const string ContentType = "text/csv; charset=utf-8; header=present";

    public CsvTable Text(string? value)
    {
        Begin();
        if (value is not null)
        {
            var guarded = value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
            if (guarded.AsSpan().IndexOfAny(",\"\r\n") < 0) { _text.Append(guarded); }
            else { _text.Append('"').Append(guarded.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"'); }
        }

        return End();
    }

    public CsvTable Number(double? value)
    {
        Begin();
        if (value is { } v) { _text.Append(v.ToString("R", CultureInfo.InvariantCulture)); }
        return End();
    }

    public CsvTable Number(decimal? value)
    {
        Begin();
        if (value is { } v) { _text.Append(v.ToString(CultureInfo.InvariantCulture)); }
        return End();
    }

    public CsvTable Number(long value)
    {
        Begin();
        _text.Append(value.ToString(CultureInfo.InvariantCulture));
        return End();
    }

    /// <summary>The table; every row must be complete.</summary>
    public override string ToString()
    {
        if (_cell != 0) { throw new InvalidOperationException($"the last row has {_cell} of {_columns} cells"); }
        return _text.ToString();
    }

    private void Begin()
    {
        if (_cell > 0) { _text.Append(','); }
    }

    /// <summary>CRLF after a row's last cell.</summary>
    private CsvTable End()
    {
        if (++_cell == _columns)
        {
            _text.Append("\r\n");
            _cell = 0;
        }

        return this;
    }
}
