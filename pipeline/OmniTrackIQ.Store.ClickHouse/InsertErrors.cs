using ClickHouse.Driver;
using ClickHouse.Driver.Copy;
using OmniTrackIQ.Pipeline.Sink;

namespace OmniTrackIQ.Store.ClickHouse;

/// <summary>
/// Tells a refusal for the rows' sake from a store that is down or busy. Only the first becomes
/// <see cref="StoreRejectedDataException"/>; everything else (connection refused, timeouts, 5xx, TOO_MANY_PARTS,
/// memory limits, and a schema that does not match our columns, which a deploy fixes) stays as it is, for the
/// sink's retry with back-off: no data is given up for a fault that time or an operator can cure.
/// </summary>
internal static class InsertErrors
{
    /// <summary>
    /// ClickHouse codes that name a value: CANNOT_PARSE_TEXT 6, CANNOT_PARSE_QUOTED_STRING 26, CANNOT_PARSE_INPUT_ASSERTION_FAILED 27,
    /// CANNOT_PARSE_DATE 38, CANNOT_PARSE_DATETIME 41, TYPE_MISMATCH 53, ARGUMENT_OUT_OF_BOUND 69, CANNOT_CONVERT_TYPE 70,
    /// CANNOT_PARSE_NUMBER 72, INCORRECT_DATA 117, TOO_LARGE_STRING_SIZE 131, VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE 321,
    /// CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN 349, DECIMAL_OVERFLOW 407, TOO_LARGE_ARRAY_SIZE 128.
    /// </summary>
    private static readonly HashSet<int> DataCodes = [6, 26, 27, 38, 41, 53, 69, 70, 72, 117, 128, 131, 321, 349, 407];

    /// <summary>The exception to throw for <paramref name="error"/>, or null to let it pass as it is.</summary>
    public static StoreRejectedDataException? AsRejection(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case ClickHouseServerException server when DataCodes.Contains(server.ErrorCode):
                    return new StoreRejectedDataException("ClickHouse refused the rows: " + FirstLine(server.Message), server.ErrorCode, error);
                case ClickHouseBulkCopySerializationException serialization:
                    // The driver could not encode a value as its column's type (a revenue beyond Decimal(18,4)).
                    return new StoreRejectedDataException("A value does not fit its column: " + FirstLine(serialization.InnerException?.Message ?? serialization.Message), null, error);
            }
        }

        return null;
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }
}
