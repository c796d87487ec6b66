using ClickHouse.Driver;
using ClickHouse.Driver.Copy;
using OmniTrackIQ.Pipeline.Sink;

namespace OmniTrackIQ.Store.ClickHouse;

/// <summary>
/// Tells an insert the server refused for good from a store that is down, busy or not yet migrated. The first becomes
/// <see cref="StoreRejectedDataException"/>, which the sink splits down to the rows that cause it (the rest is stored,
/// those go to <c>bad_events</c>): any error ClickHouse itself answered (<c>Code: N</c>) that waiting or an operator
/// cannot cure, such as a value its column cannot hold or an insert over <c>max_partitions_per_insert_block</c>.
/// Everything else stays as it is, for the sink's retry with back-off: the network (connection refused, timeouts, a
/// proxy's error page), a server that is overloaded, out of memory or disk, read-only, or refuses our credentials, and a
/// table or column that is missing (migrations or a deploy bring it). No data is given up for a fault time can cure,
/// and no insert is retried forever for a fault it cannot.
/// </summary>
internal static class InsertErrors
{
    /// <summary>TOO_MANY_PARTS: both "too many parts" (merges behind: wait) and "too many partitions for single INSERT block" (never passes).</summary>
    private const int TooManyParts = 252;

    /// <summary>
    /// Codes that time or an operator cures. The network and the body cut short: UNEXPECTED_END_OF_FILE 3,
    /// ATTEMPT_TO_READ_AFTER_EOF 32, CANNOT_READ_ALL_DATA 33, SOCKET_TIMEOUT 209, NETWORK_ERROR 210, ALL_CONNECTION_TRIES_FAILED 279,
    /// POCO_EXCEPTION 1000. Schema not (yet) there: THERE_IS_NO_COLUMN 8, NOT_FOUND_COLUMN_IN_BLOCK 10, NO_SUCH_COLUMN_IN_TABLE 16,
    /// UNKNOWN_IDENTIFIER 47, UNKNOWN_TABLE 60, UNKNOWN_DATABASE 81, TABLE_IS_DROPPED 218. Files and disks: CANNOT_READ_FROM_FILE_DESCRIPTOR 74,
    /// CANNOT_WRITE_TO_FILE_DESCRIPTOR 75, CANNOT_OPEN_FILE 76, CANNOT_FSYNC 95, NOT_ENOUGH_SPACE 243. Load and limits:
    /// TIMEOUT_EXCEEDED 159, TOO_SLOW 160, CANNOT_ALLOCATE_MEMORY 173, QUOTA_EXPIRED 201, TOO_MANY_SIMULTANEOUS_QUERIES 202,
    /// NO_FREE_CONNECTION 203, MEMORY_LIMIT_EXCEEDED 241, LIMIT_EXCEEDED 290, CANNOT_SCHEDULE_TASK 439. Replication and
    /// keeper: READONLY 164, NO_ZOOKEEPER 225, TABLE_IS_READ_ONLY 242, TOO_FEW_LIVE_REPLICAS 285, UNSATISFIED_QUORUM_FOR_PREVIOUS_WRITE 286,
    /// UNKNOWN_STATUS_OF_INSERT 319, ALL_REPLICAS_LOST 415, KEEPER_EXCEPTION 999. Cancelled: ABORTED 236, QUERY_WAS_CANCELLED 394.
    /// Credentials: UNKNOWN_USER 192, WRONG_PASSWORD 193, REQUIRED_PASSWORD 194, IP_ADDRESS_NOT_ALLOWED 195, ACCESS_DENIED 497,
    /// AUTHENTICATION_FAILED 516.
    /// </summary>
    private static readonly HashSet<int> TransientCodes =
    [
        3, 32, 33, 209, 210, 279, 1000,
        8, 10, 16, 47, 60, 81, 218,
        74, 75, 76, 95, 243,
        159, 160, 173, 201, 202, 203, 241, 290, 439,
        164, 225, 242, 285, 286, 319, 415, 999,
        236, 394,
        192, 193, 194, 195, 497, 516,
    ];

    /// <summary>The exception to throw for <paramref name="error"/>, or null to let it pass as it is (transient).</summary>
    public static StoreRejectedDataException? AsRejection(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case ClickHouseServerException server when IsRefusal(server):
                    return new StoreRejectedDataException("ClickHouse refused the rows: " + FirstLine(server.Message.TrimStart()), server.ErrorCode, error);
                case ClickHouseBulkCopySerializationException serialization:
                    // The driver could not encode a value as its column's type (a revenue beyond Decimal(18,4)).
                    return new StoreRejectedDataException("A value does not fit its column: " + FirstLine(serialization.InnerException?.Message ?? serialization.Message), null, error);
            }
        }

        return null;
    }

    private static bool IsRefusal(ClickHouseServerException server)
    {
        // Only ClickHouse's own answer starts "Code: N": the driver takes the first number of any error body as the code,
        // so a balancer's "502 Bad Gateway" page would otherwise read as code 502.
        var message = server.Message.AsSpan().TrimStart();
        if (!message.StartsWith("Code:", StringComparison.Ordinal)) { return false; }
        if (server.ErrorCode == TooManyParts) { return !message.Contains("Too many parts", StringComparison.OrdinalIgnoreCase); }
        return !TransientCodes.Contains(server.ErrorCode);
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }
}
