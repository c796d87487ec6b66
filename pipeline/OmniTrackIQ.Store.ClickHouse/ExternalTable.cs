using System.Net;
using System.Text;

namespace OmniTrackIQ.Store.ClickHouse;

/// <summary>
/// Rows sent with a query as ClickHouse "external data" (an HTTP multipart part the query reads as a table), in
/// TabSeparated. For the writer's existence check: 10,000 ids as a table take ClickHouse 36–80 ms, the same ids as
/// quoted literals in an <c>IN (…)</c> list 354–496 ms to parse (bench/RESULTS.md, issue 12). For a read that needs a
/// map of its own (the ad-hoc summary's people): the table lives only as long as the query, so the read writes nothing.
/// </summary>
internal sealed class ExternalTable(string name, string structure)
{
    private readonly StringBuilder _tsv = new();
    private IEnumerable<string[]>? _streamed;

    /// <summary>The table's name in the query (a plain identifier).</summary>
    public string Name { get; } = SqlLiteral.Identifier(name);

    /// <summary>Column names and types, e.g. <c>workspace String, message_id String</c>.</summary>
    public string Structure { get; } = structure;

    public int Rows { get; private set; }

    /// <summary>
    /// A table whose rows are written straight into the request body as it is sent (enumerated once, then), so a large
    /// table is never held as text.
    /// </summary>
    public static ExternalTable Streamed(string name, string structure, IEnumerable<string[]> rows) =>
        new(name, structure) { _streamed = rows };

    public void AddRow(params string[] values)
    {
        if (_streamed is not null) { throw new InvalidOperationException("a streamed external table takes its rows from its enumerable"); }
        AppendRow(_tsv, values);
        Rows++;
    }

    public string Text => _tsv.ToString();

    /// <summary>True for <see cref="Streamed"/> tables: their request body has no length known in advance (chunked).</summary>
    public bool IsStreamed => _streamed is not null;

    /// <summary>The request part that carries the rows.</summary>
    internal HttpContent Content() => _streamed is null ? new StringContent(_tsv.ToString(), Encoding.UTF8) : new RowsContent(_streamed);

    private static void AppendRow(StringBuilder tsv, string[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0) { tsv.Append('\t'); }
            AppendEscaped(tsv, values[i]);
        }

        tsv.Append('\n');
    }

    /// <summary>TabSeparated escaping: backslash, tab, newline and carriage return (and NUL) as backslash sequences.</summary>
    private static void AppendEscaped(StringBuilder tsv, string value)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': tsv.Append(@"\\"); break;
                case '\t': tsv.Append(@"\t"); break;
                case '\n': tsv.Append(@"\n"); break;
                case '\r': tsv.Append(@"\r"); break;
                case '\0': tsv.Append(@"\0"); break;
                default: tsv.Append(c); break;
            }
        }
    }

    /// <summary>Rows escaped into a small reused buffer and flushed to the request stream every 64 KiB.</summary>
    private sealed class RowsContent(IEnumerable<string[]> rows) : HttpContent
    {
        private const int FlushChars = 64 * 1024;

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            await SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            var buffer = new StringBuilder(FlushChars + 1024);
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false), FlushChars, leaveOpen: true);
            foreach (var row in rows)
            {
                AppendRow(buffer, row);
                if (buffer.Length < FlushChars) { continue; }
                await writer.WriteAsync(buffer, cancellationToken);
                buffer.Clear();
            }

            await writer.WriteAsync(buffer, cancellationToken);
            await writer.FlushAsync(cancellationToken);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
