using OmniTrackIQ.Pipeline.Files;

namespace OmniTrackIQ.Pipeline.Tests.Files;

/// <summary>The one CSV reader (Sep underneath): fields, physical line numbers, and the quoting it refuses.</summary>
public sealed class CsvRecordReaderTests
{
    [Fact]
    public void Records_carry_their_first_physical_line_across_quoted_line_breaks_and_every_line_end()
    {
        var records = ReadAll("a,\"two\r\nlines\",c\r\n\nd,\"say \"\"hi\"\"\"\re, \"f, g\" \n");

        Assert.Equal(
        [
            (1, new[] { "a", "two\r\nlines", "c" }),
            (3, new[] { "" }),
            (4, new[] { "d", "say \"hi\"" }),
            (5, new[] { "e", "f, g" }),
        ], records.Select(r => (r.Line, r.Fields)).ToArray());
    }

    [Fact]
    public void No_text_is_no_record()
    {
        using var reader = new CsvRecordReader(string.Empty);

        Assert.Null(reader.Next([], out var line));
        Assert.Equal(0, line);
    }

    [Theory]
    [InlineData("x\nok,\"open\n", 2, "a quoted field is not closed")]
    [InlineData("x\nok,\"closed\"then\n", 2, "unexpected character after a closing quote")]
    [InlineData("x\n\nok,in\"side,z\n", 3, "a quote inside an unquoted field; quote the whole field and double the inner quotes")]
    public void Malformed_quoting_is_refused_with_the_records_line(string text, int expectedLine, string expectedError)
    {
        using var reader = new CsvRecordReader(text);
        var fields = new List<string>();
        string? error;
        int line;
        do
        {
            error = reader.Next(fields, out line);
        }
        while (error is null && line != 0);

        Assert.Equal((expectedLine, expectedError), (line, error));
    }

    private static List<(int Line, string[] Fields)> ReadAll(string text)
    {
        using var reader = new CsvRecordReader(text);
        var records = new List<(int, string[])>();
        var fields = new List<string>();
        while (true)
        {
            Assert.Null(reader.Next(fields, out var line));
            if (line == 0) { return records; }
            records.Add((line, fields.ToArray()));
        }
    }
}
