using ClickHouse.Driver;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Store.ClickHouse;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>How the ClickHouse store cuts inserts by month and which server errors it gives up on (no server needed).</summary>
public sealed class InsertPartitionsTests
{
    private static TrackedEvent At(int year, int month, int day = 1, string id = "e") =>
        new() { MessageId = id, Ts = new DateTimeOffset(year, month, day, 0, 0, 0, TimeSpan.Zero) };

    [Fact]
    public void A_batch_within_the_limit_is_one_insert_of_the_same_list()
    {
        var rows = new List<TrackedEvent> { At(2026, 11), At(2026, 11, 30), At(2026, 10), At(2026, 11) };
        Assert.Same(rows, Assert.Single(InsertPartitions.Split(rows, 2)));
    }

    [Fact]
    public void A_batch_over_the_limit_is_cut_into_whole_months_in_the_order_they_appear()
    {
        var rows = new List<TrackedEvent> { At(2026, 1, id: "a"), At(2026, 2, id: "b"), At(2026, 3, id: "c"), At(2026, 1, 31, "d"), At(2026, 4, id: "e"), At(2026, 5, id: "f") };

        var parts = InsertPartitions.Split(rows, 2);

        Assert.Equal([["a", "d", "b"], ["c", "e"], ["f"]], parts.Select(p => p.Select(e => e.MessageId).ToArray()).ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void A_limit_below_one_is_one_month_an_insert(int limit) => Assert.Equal(3, InsertPartitions.Split([At(2026, 1), At(2026, 2), At(2026, 3)], limit).Count);

    [Fact]
    public void Months_are_the_tables_UTC_months_and_times_beyond_a_date_time_fall_in_its_first_or_last_month()
    {
        Assert.Equal(202611, InsertPartitions.Month(new DateTimeOffset(2026, 11, 30, 23, 59, 59, TimeSpan.Zero)));
        Assert.Equal(202612, InsertPartitions.Month(new DateTimeOffset(2026, 12, 1, 0, 30, 0, TimeSpan.FromHours(-1)))); // 01:30 UTC
        Assert.Equal(202611, InsertPartitions.Month(new DateTimeOffset(2026, 12, 1, 0, 30, 0, TimeSpan.FromHours(1)))); // 23:30 UTC
        Assert.Equal(197001, InsertPartitions.Month(DateTimeOffset.MinValue));
        Assert.Equal(210602, InsertPartitions.Month(DateTimeOffset.MaxValue));
    }

    [Theory]
    [InlineData("Code: 252, e.displayText() = DB::Exception: Too many partitions for single INSERT block (more than 100).", 252)]
    [InlineData("Code: 252. DB::Exception: Too many partitions for single INSERT block (more than 100). (TOO_MANY_PARTS) (version 24.8.4.13)", 252)]
    [InlineData("Code: 53, e.displayText() = DB::Exception: Type mismatch", 53)]
    [InlineData("Code: 62. DB::Exception: Syntax error: failed at position 1 (SYNTAX_ERROR)", 62)]
    [InlineData("Code: 49. DB::Exception: Logical error (LOGICAL_ERROR)", 49)]
    public void An_error_the_server_will_answer_again_is_a_rejection(string body, int code)
    {
        var rejection = InsertErrors.AsRejection(ClickHouseServerException.FromServerResponse(body, "INSERT"));
        Assert.NotNull(rejection);
        Assert.Equal(code, rejection.ServerErrorCode);
    }

    [Theory]
    [InlineData("Code: 252. DB::Exception: Too many parts (300). Merges are processing significantly slower than inserts. (TOO_MANY_PARTS)")]
    [InlineData("Code: 60, e.displayText() = DB::Exception: Table otq.events doesn't exist.")]
    [InlineData("Code: 81. DB::Exception: Database otq doesn't exist. (UNKNOWN_DATABASE)")]
    [InlineData("Code: 16. DB::Exception: No such column flags in table otq.events (NO_SUCH_COLUMN_IN_TABLE)")]
    [InlineData("Code: 241. DB::Exception: Memory limit (total) exceeded (MEMORY_LIMIT_EXCEEDED)")]
    [InlineData("Code: 243. DB::Exception: Cannot reserve 1.00 MiB, not enough space. (NOT_ENOUGH_SPACE)")]
    [InlineData("Code: 242. DB::Exception: Table is in readonly mode (TABLE_IS_READ_ONLY)")]
    [InlineData("Code: 516. DB::Exception: default: Authentication failed (AUTHENTICATION_FAILED)")]
    [InlineData("Code: 159. DB::Exception: Timeout exceeded (TIMEOUT_EXCEEDED)")]
    [InlineData("<html><body><h1>502 Bad Gateway</h1></body></html>")]
    [InlineData("")]
    public void An_error_time_or_an_operator_cures_is_retried_not_rejected(string body) =>
        Assert.Null(InsertErrors.AsRejection(ClickHouseServerException.FromServerResponse(body, "INSERT")));

    [Fact]
    public void The_network_is_never_a_rejection()
    {
        Assert.Null(InsertErrors.AsRejection(new HttpRequestException("Connection refused")));
        Assert.Null(InsertErrors.AsRejection(new TaskCanceledException("timeout", new TimeoutException())));
        Assert.IsType<StoreRejectedDataException>(InsertErrors.AsRejection(new InvalidOperationException("wrapped", ClickHouseServerException.FromServerResponse("Code: 252, Too many partitions for single INSERT block", "q"))));
    }
}
