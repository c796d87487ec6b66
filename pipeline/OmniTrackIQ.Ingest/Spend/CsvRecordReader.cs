using System.Text;
using OmniTrackIQ.Pipeline.Ingest;

namespace OmniTrackIQ.Pipeline.Spend;

/// <summary>Splits CSV text into records (RFC 4180), counting physical lines so errors can name them.</summary>
internal sealed class CsvRecordReader(string text)
{
    private readonly StringBuilder _field = new();
    private int _position;
    private int _line = 1;

    /// <summary>Reads the next record into <paramref name="fields"/>; <paramref name="line"/> is its first line, 0 at the end.</summary>
    public IngestError? Next(List<string> fields, out int line)
    {
        fields.Clear();
        line = 0;
        if (_position >= text.Length) { return null; }
        line = _line;
        while (true)
        {
            var quoted = _position < text.Length && text[_position] == '"';
            var error = quoted ? Quoted(line) : Unquoted(line);
            if (error is not null) { return error; }
            fields.Add(_field.ToString());
            if (_position >= text.Length) { return null; }
            var c = text[_position++];
            if (c == ',') { continue; }
            if (c == '\r' && _position < text.Length && text[_position] == '\n') { _position++; }
            _line++;
            return null;
        }
    }

    private IngestError? Unquoted(int line)
    {
        _field.Clear();
        var start = _position;
        while (_position < text.Length)
        {
            var c = text[_position];
            if (c is ',' or '\r' or '\n') { break; }
            if (c == '"') { return IngestError.BadRequest($"line {line}", "a quote inside an unquoted field; quote the whole field and double the inner quotes", "invalid_csv"); }
            _position++;
        }

        _field.Append(text, start, _position - start);
        return null;
    }

    private IngestError? Quoted(int line)
    {
        _field.Clear();
        _position++; // opening quote
        while (_position < text.Length)
        {
            var c = text[_position++];
            if (c == '"')
            {
                if (_position < text.Length && text[_position] == '"')
                {
                    _field.Append('"');
                    _position++;
                    continue;
                }

                if (_position < text.Length && text[_position] is not (',' or '\r' or '\n'))
                {
                    return IngestError.BadRequest($"line {_line}", "unexpected character after a closing quote", "invalid_csv");
                }

                return null;
            }

            if (c == '\n') { _line++; }
            _field.Append(c);
        }

        return IngestError.BadRequest($"line {line}", "a quoted field is not closed", "invalid_csv");
    }
}
