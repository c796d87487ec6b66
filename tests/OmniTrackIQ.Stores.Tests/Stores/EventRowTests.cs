using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Store.ClickHouse;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>The ClickHouse store's hand-written RowBinary for Decimal(18,4), as ClickHouse.Driver wrote it before.</summary>
public sealed class EventRowTests
{
    [Theory]
    [InlineData("12.5", 125_000L)]
    [InlineData("0.0001", 1L)]
    [InlineData("1.23459", 12_345L)] // digits past the fourth decimal are cut off, not rounded
    [InlineData("-1.23459", -12_345L)] // toward zero
    [InlineData("99999999999999.9999", 999_999_999_999_999_999L)]
    [InlineData("922337203685477.5807", long.MaxValue)]
    public void Money_is_scaled_by_ten_thousand_and_cut_toward_zero(string value, long expected) =>
        Assert.Equal(expected, EventRow.Scaled(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), "revenue"));

    [Fact]
    public void Money_beyond_an_int64_is_a_rejection_naming_the_column()
    {
        var rejection = Assert.Throws<StoreRejectedDataException>(() => EventRow.Scaled(922_337_203_685_477.5808m, "net_revenue"));

        Assert.Equal("A value does not fit its column: net_revenue 922337203685477.5808 is beyond Decimal(18,4)", rejection.Message);
        Assert.Throws<StoreRejectedDataException>(() => EventRow.Scaled(decimal.MinValue, "revenue"));
    }
}
