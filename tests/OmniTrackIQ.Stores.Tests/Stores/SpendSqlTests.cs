using OmniTrackIQ.Store.ClickHouse.Spend;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>The day filter of <see cref="SpendSql.SpentBy"/> at the edges a ClickHouse Date cannot hold (1970-01-01 … 2149-06-06).</summary>
public sealed class SpendSqlTests
{
    [Fact]
    public void Bounds_beyond_the_Date_range_are_open_or_empty_instead_of_wrapping()
    {
        Assert.Equal("", SpendSql.DateFilter(DateTime.MinValue, DateTime.MaxValue));
        Assert.Equal("AND 0", SpendSql.DateFilter(null, new DateTime(1969, 12, 31, 0, 0, 0, DateTimeKind.Utc)));
        Assert.Equal("AND 0", SpendSql.DateFilter(new DateTime(2200, 1, 1, 0, 0, 0, DateTimeKind.Utc), null));
        Assert.Equal(" AND date >= toDate('2026-11-02') AND date < toDate('2026-11-04')",
            SpendSql.DateFilter(new DateTime(2026, 11, 1, 0, 0, 0, 1, DateTimeKind.Utc), new DateTime(2026, 11, 3, 23, 0, 0, DateTimeKind.Utc)));
    }
}
