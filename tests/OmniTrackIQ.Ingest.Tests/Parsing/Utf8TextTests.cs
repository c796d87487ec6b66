using System.Text;
using OmniTrackIQ.Pipeline.Ingest;

namespace OmniTrackIQ.Pipeline.Tests.Parsing;

public sealed class Utf8TextTests
{
    [Fact]
    public void Text_that_fits_is_not_cut() => Assert.Null(Utf8Text.Truncate(new string('a', 1024), 1024));

    [Fact]
    public void ASCII_is_cut_at_the_byte_limit() => Assert.Equal(new string('a', 1024), Utf8Text.Truncate(new string('a', 1025), 1024));

    [Fact]
    public void A_three_byte_character_that_does_not_fit_whole_is_left_out()
    {
        var cut = Utf8Text.Truncate("ab" + new string('€', 10), 10)!;
        Assert.Equal("ab€€", cut); // 2 + 3 + 3 = 8 bytes; a third € would make 11
        Assert.True(Encoding.UTF8.GetByteCount(cut) <= 10);
    }

    [Fact]
    public void A_surrogate_pair_is_never_split()
    {
        var cut = Utf8Text.Truncate("abc" + "😀😀", 9)!; // 3 + 4 = 7; the second emoji would make 11
        Assert.Equal("abc😀", cut);
        Assert.False(char.IsHighSurrogate(cut[^1]));
    }
}
