using DuckDB.NET.Data;
using DuckDB.NET.Native;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// A query's first column, a non-null BLOB, read row by row from DuckDB's result chunks in place (DuckDB.NET's own bindings):
/// <see cref="Current"/> is a span over the chunk's memory, valid until the next <see cref="Read"/>. DuckDB.NET's data reader
/// makes a <see cref="Stream"/> object per BLOB value (its <c>GetStream</c>; it has no <c>GetBytes</c>): at 1.35M journeys per
/// on-the-fly answer those objects, and the collections they cause, were ~8 % of the answer's CPU (bench/RESULTS.md "Issue 21,
/// session 15: the analyst's answers"). The query runs on the connection's native handle, so inside the transaction the
/// connection has open, like any of its commands; the result is streamed (one chunk in memory at a time). Not thread-safe.
/// </summary>
internal sealed unsafe class BlobRows : IDisposable
{
    private readonly DuckDBPreparedStatement _statement;
    private DuckDBResult _result;
    private readonly bool _executed;
    private DuckDBDataChunk? _chunk;
    private DuckDBString* _values;
    private ulong* _validity;
    private ulong _rows;
    private ulong _next;
    private ulong _current;
    private bool _done;

    /// <param name="parameters">Named parameters (<c>$name</c> in the SQL), bound as VARCHAR.</param>
    public BlobRows(DuckDBConnection connection, string sql, IReadOnlyList<(string Name, string Value)> parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(parameters);
        if (NativeMethods.PreparedStatements.DuckDBPrepare(connection.NativeConnection, sql, out _statement) != DuckDBState.Success)
        {
            var error = NativeMethods.PreparedStatements.DuckDBPrepareError(_statement);
            _statement.Dispose();
            throw new InvalidOperationException($"DuckDB could not prepare the query: {error}");
        }

        try
        {
            foreach (var (name, value) in parameters)
            {
                if (NativeMethods.PreparedStatements.DuckDBBindParameterIndex(_statement, out var index, name) != DuckDBState.Success
                    || NativeMethods.PreparedStatements.DuckDBBindVarchar(_statement, index, value) != DuckDBState.Success)
                {
                    throw new InvalidOperationException($"DuckDB could not bind ${name}: {NativeMethods.PreparedStatements.DuckDBPrepareError(_statement)}");
                }
            }

            if (NativeMethods.PreparedStatements.DuckDBExecutePreparedStreaming(_statement, out _result) != DuckDBState.Success)
            {
                var error = NativeMethods.Query.DuckDBResultError(ref _result);
                _result.Close();
                throw new InvalidOperationException($"DuckDB could not run the query: {error}");
            }

            _executed = true;
        }
        catch
        {
            _statement.Dispose();
            throw;
        }
    }

    /// <summary>The current row's bytes (valid until the next <see cref="Read"/>).</summary>
    public ReadOnlySpan<byte> Current
    {
        get
        {
            if (_validity is not null && (_validity[_current / 64] & (1UL << (int)(_current % 64))) == 0)
            {
                throw new InvalidDataException("A null BLOB where none is stored.");
            }

            var value = _values + _current;
            return new ReadOnlySpan<byte>(value->Data, value->Length);
        }
    }

    /// <summary>Moves to the next row; false after the last.</summary>
    public bool Read()
    {
        // DuckDB refuses a fetch after the result's end (an error, not another end).
        if (_done) { return false; }
        while (_chunk is null || _next >= _rows)
        {
            _chunk?.Dispose();
            _chunk = null;
            var chunk = NativeMethods.Query.DuckDBFetchChunk(_result);
            if (chunk.IsInvalid)
            {
                chunk.Dispose();
                // No chunk: the end of the result, or an error while producing it.
                var error = NativeMethods.Query.DuckDBResultError(ref _result);
                if (!string.IsNullOrEmpty(error)) { throw new InvalidOperationException($"DuckDB failed while streaming the query: {error}"); }
                _done = true;
                return false;
            }

            _chunk = chunk;
            _rows = NativeMethods.DataChunks.DuckDBDataChunkGetSize(chunk);
            _next = 0;
            var vector = NativeMethods.DataChunks.DuckDBDataChunkGetVector(chunk, 0);
            _values = (DuckDBString*)NativeMethods.Vectors.DuckDBVectorGetData(vector);
            _validity = NativeMethods.Vectors.DuckDBVectorGetValidity(vector);
        }

        _current = _next++;
        return true;
    }

    public void Dispose()
    {
        _chunk?.Dispose();
        _chunk = null;
        if (_executed) { _result.Close(); }
        _statement.Dispose();
    }
}
