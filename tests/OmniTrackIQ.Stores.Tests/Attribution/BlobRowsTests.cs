using DuckDB.NET.Data;
using OmniTrackIQ.Store.DuckDb.Attribution;

namespace OmniTrackIQ.Pipeline.Tests.Attribution;

/// <summary>
/// <see cref="BlobRows"/> reads a BLOB column from DuckDB's result chunks in place: every row's bytes as stored, across
/// chunks (DuckDB's vectors hold 2,048 rows), short values kept inline in the string header (up to 12 bytes) and longer ones
/// by pointer, with bound parameters; a null or a failing query is an error, not a wrong row.
/// </summary>
public sealed class BlobRowsTests : IDisposable
{
    private readonly DuckDBConnection _connection = new("DataSource=:memory:");

    public BlobRowsTests()
    {
        _connection.Open();
        using var command = _connection.CreateCommand();
        command.CommandText = "CREATE TABLE b (k VARCHAR, i INTEGER, v BLOB)";
        command.ExecuteNonQuery();
        using var appender = _connection.CreateAppender("b");
        for (var i = 0; i < 5000; i++)
        {
            appender.CreateRow().AppendValue(i % 2 == 0 ? "even" : "odd").AppendValue(i).AppendValue(Bytes(i)).EndRow();
        }
    }

    [Fact]
    public void Every_row_is_read_in_order_across_chunks_with_its_bytes_inline_or_not()
    {
        var read = new List<byte[]>();
        using (var rows = new BlobRows(_connection, "SELECT v FROM b WHERE k = $k ORDER BY i", [("k", "even")]))
        {
            while (rows.Read()) { read.Add(rows.Current.ToArray()); }
            Assert.False(rows.Read());
        }

        var expected = Enumerable.Range(0, 5000).Where(i => i % 2 == 0).Select(Bytes).ToList();
        Assert.Equal(expected, read);
        Assert.Contains(read, v => v.Length == 0);
        Assert.Contains(read, v => v.Length is > 0 and <= 12);
        Assert.Contains(read, v => v.Length > 12);
    }

    [Fact]
    public void A_null_value_and_a_failing_query_are_errors()
    {
        using (var rows = new BlobRows(_connection, "SELECT NULL::BLOB", []))
        {
            Assert.True(rows.Read());
            Assert.Throws<InvalidDataException>(() => rows.Current.Length);
        }

        Assert.Throws<InvalidOperationException>(() => new BlobRows(_connection, "SELECT v FROM no_such_table", []));
        Assert.Throws<InvalidOperationException>(() => new BlobRows(_connection, "SELECT v FROM b WHERE k = $k", [("other", "x")]));
        // An error while the result is produced (when it surfaces is DuckDB's choice: at the start or at a later chunk).
        Assert.Throws<InvalidOperationException>(() =>
        {
            using var failing = new BlobRows(_connection, "SELECT CASE WHEN i < 4000 THEN v ELSE error('boom')::BLOB END FROM b ORDER BY i", []);
            while (failing.Read()) { }
        });
    }

    public void Dispose() => _connection.Dispose();

    /// <summary>Row i's value: i % 40 bytes (0 to 39: empty, inline and by pointer), each from i.</summary>
    private static byte[] Bytes(int i) => [.. Enumerable.Range(0, i % 40).Select(j => (byte)(i + j))];
}
