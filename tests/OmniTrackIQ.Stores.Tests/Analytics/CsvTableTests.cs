using OmniTrackIQ.Pipeline.Analytics;

namespace OmniTrackIQ.Pipeline.Tests.Analytics;

public sealed class CsvTableTests
{
    [Fact]
    public void Fields_with_commas_quotes_and_line_breaks_are_quoted_and_lines_end_in_crlf()
    {
        var csv = new CsvTable("key", "value")
            .Text("brand, exact").Number(1.5)
            .Text("say \"hi\"").Number(2m)
            .Text("two\nlines").Number(-3L)
            .Text("plain").Number((double?)null);

        Assert.Equal("key,value\r\n\"brand, exact\",1.5\r\n\"say \"\"hi\"\"\",2\r\n\"two\nlines\",-3\r\nplain,\r\n", csv.ToString());
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+1", "'+1")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("\rcmd", "\"'\rcmd\"")]
    [InlineData("a=b", "a=b")]
    [InlineData("", "")]
    public void Text_starting_like_a_formula_gets_a_leading_apostrophe(string value, string cell)
    {
        Assert.Equal("v\r\n" + cell + "\r\n", new CsvTable("v").Text(value).ToString());
    }

    [Fact]
    public void Numbers_are_invariant_and_never_guarded()
    {
        Assert.Equal("n,m\r\n-12.25,0.1\r\n", new CsvTable("n", "m").Number(-12.25).Number(0.1m).ToString());
    }

    [Fact]
    public void An_incomplete_last_row_is_a_programming_error()
    {
        Assert.Throws<InvalidOperationException>(() => new CsvTable("a", "b").Text("only one").ToString());
    }
}
