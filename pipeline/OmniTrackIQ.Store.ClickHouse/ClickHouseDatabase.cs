using System.Globalization;
using System.Text.Json;
using ClickHouse.Driver;
using ClickHouse.Driver.ADO;

namespace OmniTrackIQ.Store.ClickHouse;

/// <summary>
/// The process's one way to the ClickHouse server: one HttpClient (pooled connections, with the
/// <see cref="LegacySettingsHandler"/>), one driver client, and the server's version probed once. Every
/// statement names its table with the database (<see cref="Table"/>): the client itself stays on
/// <c>default</c>, so that it works before the store's database exists.
/// </summary>
public sealed class ClickHouseDatabase : IDisposable
{
    private readonly LegacySettingsHandler _handler;
    private readonly HttpClient _http;
    private readonly ClickHouseClient _client;
    private readonly HttpEndpoint _endpoint;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _probeLock = new(1, 1);
    private ServerVersion? _server;
    private long _lastLoadMs;

    public ClickHouseDatabase(ClickHouseStoreOptions options, TimeProvider time)
        : this(options, time, new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
    }

    /// <param name="transport">The handler that talks HTTP: the pooled sockets handler, or a test's fake server in front of it.</param>
    internal ClickHouseDatabase(ClickHouseStoreOptions options, TimeProvider time, HttpMessageHandler transport)
    {
        Options = options;
        if (options.Cluster is { } cluster) { SqlLiteral.Identifier(cluster); } // it is spliced into DDL
        _time = time;
        var parsed = new ClickHouseClientSettings(options.ConnectionString);
        Name = SqlLiteral.Identifier(string.IsNullOrEmpty(parsed.Database) ? "default" : parsed.Database);

        _handler = new LegacySettingsHandler
        {
            InnerHandler = options.Cluster is null ? transport : new ClusterSettingsHandler { InnerHandler = transport },
        };
        _http = new HttpClient(_handler) { Timeout = options.RequestTimeout };
        _endpoint = HttpEndpoint.From(options.ConnectionString);
        var settings = new ClickHouseClientSettings(parsed) { HttpClient = _http, UseCompression = false };
        settings.Database = "default";
        _client = new ClickHouseClient(settings);
    }

    public ClickHouseStoreOptions Options { get; }

    /// <summary>The store's database (from the connection string).</summary>
    public string Name { get; }

    /// <summary>A table of the store's database, qualified for SQL text.</summary>
    public string Table(string table) => Name + "." + table;

    /// <summary>
    /// The server's version, probed on first use. A failed probe is not remembered: the server may simply not
    /// be up yet, and the next call asks again.
    /// </summary>
    internal async Task<ServerVersion> ServerAsync(CancellationToken cancellationToken)
    {
        if (_server is { } known) { return known; }
        await _probeLock.WaitAsync(cancellationToken);
        try
        {
            if (_server is { } raced) { return raced; }
            var names = string.Join(", ", LegacySettingsHandler.JsonAsStringSettings.Select(SqlLiteral.String));
            var row = await ReadSingleRowAsync(
                $"SELECT version() AS v, (SELECT count() FROM system.settings WHERE name IN ({names})) AS known", cancellationToken);
            var known2 = Number(row.GetProperty("known")) == LegacySettingsHandler.JsonAsStringSettings.Length;
            var server = new ServerVersion(ServerVersion.Parse(row.GetProperty("v").GetString() ?? ""), known2);
            _handler.StripSettings = !server.KnowsJsonAsStringSettings;
            _server = server;
            return server;
        }
        finally
        {
            _probeLock.Release();
        }
    }

    /// <summary>Runs one statement that returns no rows (DDL, INSERT … VALUES).</summary>
    /// <summary>Runs one statement; on a cluster, DDL and mutations run in their cluster form (<see cref="ClusterStatements"/>).</summary>
    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await ServerAsync(cancellationToken);
        if (Options.Cluster is not { } cluster)
        {
            await _client.ExecuteNonQueryAsync(sql, null, null, cancellationToken);
            return;
        }

        foreach (var statement in ClusterStatements.Rewrite(sql, cluster)) { await _client.ExecuteNonQueryAsync(statement, null, null, cancellationToken); }
    }

    /// <summary>
    /// Runs a query and hands each result row to <paramref name="onRow"/> as JSON. Rows are read as raw
    /// JSONEachRow: 18.16 cannot answer the driver's typed reader. 64-bit integers arrive as strings
    /// (output_format_json_quote_64bit_integers), see <see cref="Number"/>.
    /// </summary>
    public async Task ReadRowsAsync(string sql, Action<JsonElement> onRow, CancellationToken cancellationToken)
    {
        await ServerAsync(cancellationToken);
        await ReadRowsCoreAsync(sql, onRow, cancellationToken);
    }

    /// <summary>
    /// Runs a query that reads <paramref name="table"/> as external data (sent in the same request), handing each
    /// result row to <paramref name="onRow"/> as JSON.
    /// </summary>
    internal Task ReadRowsWithTableAsync(string sql, ExternalTable table, Action<JsonElement> onRow, CancellationToken cancellationToken) =>
        ReadRowsWithTablesAsync(sql, [table], onRow, cancellationToken);

    /// <summary>The same with several external tables.</summary>
    internal async Task ReadRowsWithTablesAsync(string sql, IReadOnlyList<ExternalTable> tables, Action<JsonElement> onRow, CancellationToken cancellationToken)
    {
        await foreach (var row in StreamRowsWithTablesAsync(sql, tables, cancellationToken))
        {
            using (row) { onRow(row.RootElement); }
        }
    }

    /// <summary>
    /// Runs a query that reads <paramref name="table"/> as external data and yields its rows one at a time as JSON (as
    /// <see cref="StreamRowsAsync"/>). Plain HTTP on the shared client: the driver has no external data. The query goes
    /// in the URL (ClickHouse reads the body as the table's part), so it must stay within the server's URI limit: keep it short;
    /// the rows go in the body. Dispose each document.
    /// </summary>
    internal IAsyncEnumerable<JsonDocument> StreamRowsWithTableAsync(string sql, ExternalTable table, CancellationToken cancellationToken) =>
        StreamRowsWithTablesAsync(sql, [table], cancellationToken);

    /// <summary>The same with several external tables, one multipart part each.</summary>
    internal async IAsyncEnumerable<JsonDocument> StreamRowsWithTablesAsync(string sql, IReadOnlyList<ExternalTable> tables,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await ServerAsync(cancellationToken);
        var query = System.Web.HttpUtility.ParseQueryString("");
        query["query"] = sql + " FORMAT JSONEachRow";
        foreach (var table in tables)
        {
            query[table.Name + "_structure"] = table.Structure;
            query[table.Name + "_format"] = "TabSeparated";
        }

        query["output_format_json_quote_64bit_integers"] = "1";
        using var request = new HttpRequestMessage(HttpMethod.Post, new UriBuilder(_endpoint.BaseUri) { Query = query.ToString() }.Uri);
        _endpoint.Authorize(request);
        // A streamed table goes chunked, and 18.16 leaves the chunked body's end unread after the multipart: the next
        // request on that connection would start with it and be refused (400, empty body). So that connection is not reused.
        request.Headers.ConnectionClose = tables.Any(t => t.IsStreamed);
        using var content = new MultipartFormDataContent();
        foreach (var table in tables) { content.Add(table.Content(), table.Name, table.Name); }
        request.Content = content;
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"ClickHouse answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}", null, response.StatusCode);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var row in JsonLinesAsync(stream, cancellationToken)) { yield return row; }
    }

    /// <summary>
    /// Runs an <c>INSERT … SELECT</c> on the server. Not through <see cref="ExecuteAsync"/>: the driver asks for its
    /// RowBinaryWithNamesAndTypes result format, which 18.16 refuses for a statement with a SELECT inside.
    /// </summary>
    public async Task InsertSelectAsync(string sql, CancellationToken cancellationToken)
    {
        await ServerAsync(cancellationToken);
        using var result = await _client.ExecuteRawResultAsync(sql, null, cancellationToken);
    }

    /// <summary>
    /// Runs a query and yields its rows one at a time as JSON (raw JSONEachRow, as <see cref="ReadRowsAsync"/>), so a
    /// caller can await other work between rows: the attribution run writes results while journeys still stream in.
    /// Dispose each document.
    /// </summary>
    public async IAsyncEnumerable<JsonDocument> StreamRowsAsync(string sql, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await ServerAsync(cancellationToken);
        using var result = await _client.ExecuteRawResultAsync(sql + " FORMAT JSONEachRow", null, cancellationToken);
        await using var stream = await result.ReadAsStreamAsync();
        await foreach (var row in JsonLinesAsync(stream, cancellationToken)) { yield return row; }
    }

    /// <summary>Streams <paramref name="rows"/> as RowBinary into one INSERT (the driver writes them straight into the request body).</summary>
    public async Task<long> InsertAsync(string table, IReadOnlyList<string> columns, IReadOnlyDictionary<string, string> columnTypes,
        IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        var server = await ServerAsync(cancellationToken);
        var options = server.AcceptsZstdRequests
            ? new InsertOptions { ColumnTypes = columnTypes }
            : new InsertOptions { ColumnTypes = columnTypes, Compressor = null };
        // The driver's row type is object[] with nulls for NULL; the cast only widens the static type.
        return await _client.InsertBinaryAsync(Table(table), columns, (IEnumerable<object[]>)rows, options, cancellationToken);
    }

    /// <summary>
    /// Sends <paramref name="body"/>, rows already in RowBinary, as one INSERT into <paramref name="table"/>'s
    /// <paramref name="columns"/>. Uncompressed: 18.16 cannot read compressed requests, and on a LAN compressing costs
    /// more CPU than it saves. The body's length is known, so the request is not chunked.
    /// </summary>
    internal async Task InsertRowBinaryAsync(string table, IReadOnlyList<string> columns, RowBinaryBuffer body, CancellationToken cancellationToken)
    {
        await ServerAsync(cancellationToken);
        using var stream = body.AsStream();
        using var response = await _client.InsertRawStreamAsync(Table(table), stream, "RowBinary", columns, useCompression: false, cancellationToken: cancellationToken);
    }

    /// <summary>Streams <paramref name="rows"/> into <paramref name="table"/>, columns and types as listed.</summary>
    internal Task<long> InsertAsync(string table, (string Name, string Type)[] columns, IEnumerable<object?[]> rows, CancellationToken cancellationToken) =>
        InsertAsync(table, [.. columns.Select(c => c.Name)], columns.ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal), rows, cancellationToken);

    /// <summary>
    /// The load mark of a write: epoch milliseconds on this node's clock, strictly increasing per node, so that
    /// two writes of one process never share a mark even within one millisecond.
    /// </summary>
    internal ulong NextLoadMs()
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        while (true)
        {
            var last = Interlocked.Read(ref _lastLoadMs);
            var next = Math.Max(now, last + 1);
            if (Interlocked.CompareExchange(ref _lastLoadMs, next, last) == last) { return (ulong)next; }
        }
    }

    /// <summary>An integer column of a JSONEachRow row (quoted when 64-bit).</summary>
    internal static long Number(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? long.Parse(value.GetString()!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)
        : value.GetInt64();

    private async Task<JsonElement> ReadSingleRowAsync(string sql, CancellationToken cancellationToken)
    {
        JsonElement? result = null;
        await ReadRowsCoreAsync(sql, row => result = row.Clone(), cancellationToken);
        return result ?? throw new InvalidOperationException("ClickHouse answered no row to: " + sql);
    }

    private async Task ReadRowsCoreAsync(string sql, Action<JsonElement> onRow, CancellationToken cancellationToken)
    {
        using var result = await _client.ExecuteRawResultAsync(sql + " FORMAT JSONEachRow", null, cancellationToken);
        await using var stream = await result.ReadAsStreamAsync();
        await ForEachRowAsync(stream, onRow, cancellationToken);
    }

    private static async Task ForEachRowAsync(Stream stream, Action<JsonElement> onRow, CancellationToken cancellationToken)
    {
        await foreach (var row in JsonLinesAsync(stream, cancellationToken))
        {
            using (row) { onRow(row.RootElement); }
        }
    }

    /// <summary>The rows of a JSONEachRow answer, one document per line (the caller disposes each).</summary>
    private static async IAsyncEnumerable<JsonDocument> JsonLinesAsync(Stream stream, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length > 0) { yield return JsonDocument.Parse(line); }
        }
    }

    public void Dispose()
    {
        _client.Dispose();
        _http.Dispose();
        _probeLock.Dispose();
    }
}
