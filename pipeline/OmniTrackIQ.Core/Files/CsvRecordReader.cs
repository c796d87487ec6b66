using System.Text;
using nietras.SeparatedValues;

namespace OmniTrackIQ.Pipeline.Files;

/// <summary>
/// Reads comma-separated records (RFC 4180: LF, CRLF or CR line ends; fields may be double-quoted, with "" for a quote,
/// and then hold commas and line breaks) with Sep, and counts physical lines so errors can name them. Sep splits
/// records and fields but lets malformed quoting through (it reads on to the end of the text after a stray quote), so
/// each raw field is checked here: a quote inside an unquoted field, text after a closing quote and an unclosed quote
/// are refused with the record's first line. Blanks around a quoted field are allowed (<c> "a, b" ,</c>).
/// </summary>
public sealed class CsvRecordReader(string text) : IDisposable
{
    private readonly SepReader _reader = Sep.New(',').Reader(o => o with { HasHeader = false, DisableColCountCheck = true }).FromText(text);
    private readonly StringBuilder _field = new();
    private int _nextLine = 1;

    /// <summary>
    /// Reads the next record into <paramref name="fields"/>; <paramref name="line"/> is its first physical line (1-based),
    /// 0 at the end. A blank line is a record of one empty field. Returns why the record is malformed, else null.
    /// </summary>
    public string? Next(List<string> fields, out int line)
    {
        ArgumentNullException.ThrowIfNull(fields);
        fields.Clear();
        line = 0;
        if (!_reader.MoveNext()) { return null; }
        var row = _reader.Current;
        line = _nextLine;
        _nextLine += 1 + row.Span.Count('\n'); // the record's own end, and line breaks inside quoted fields
        for (var i = 0; i < row.ColCount; i++)
        {
            var error = Unquote(row[i].Span);
            if (error is not null) { return error; }
            fields.Add(_field.ToString());
        }

        return null;
    }

    public void Dispose() => _reader.Dispose();

    private string? Unquote(ReadOnlySpan<char> raw)
    {
        _field.Clear();
        var start = raw.TrimStart();
        if (start.IsEmpty || start[0] != '"')
        {
            if (raw.Contains('"')) { return "a quote inside an unquoted field; quote the whole field and double the inner quotes"; }
            _field.Append(raw);
            return null;
        }

        var at = 1;
        while (true)
        {
            var quote = start[at..].IndexOf('"');
            if (quote < 0) { return "a quoted field is not closed"; }
            _field.Append(start.Slice(at, quote));
            at += quote + 1;
            if (at < start.Length && start[at] == '"')
            {
                _field.Append('"');
                at++;
                continue;
            }

            return start[at..].IsWhiteSpace() ? null : "unexpected character after a closing quote";
        }
    }
}
