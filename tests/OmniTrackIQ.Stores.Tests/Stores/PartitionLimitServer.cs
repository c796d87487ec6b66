using System.Buffers.Binary;
using System.Net;
using System.Text;
using System.Web;
using OmniTrackIQ.Store.ClickHouse;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>
/// An in-process stand-in for a current ClickHouse in front of the real (18.16) one, which has no
/// <c>max_partitions_per_insert_block</c>: it reads each RowBinary insert into <c>events</c> and answers, as a current
/// server does, <c>Code: 252 … Too many partitions for single INSERT block</c> when the rows span more months than
/// <see cref="MaxPartitions"/>; it also refuses, with <c>Code: 49</c> (LOGICAL_ERROR, not transient), any insert holding a
/// message id in <see cref="Poison"/>; and the first <see cref="MemoryLimitFailures"/> inserts fail as an overloaded server's
/// do (<c>Code: 241</c>, transient). Every other request goes to the real server unchanged.
/// </summary>
internal sealed class PartitionLimitServer(int maxPartitions) : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly Lock _lock = new();
    private readonly List<int> _accepted = [];
    private int _refused;

    public int MaxPartitions { get; } = maxPartitions;

    public HashSet<string> Poison { get; } = new(StringComparer.Ordinal);

    public int MemoryLimitFailures { get; set; }

    /// <summary>The months of each insert into events that was let through, in order.</summary>
    public List<int> AcceptedPartitions { get { lock (_lock) { return [.. _accepted]; } } }

    /// <summary>Inserts answered with an error.</summary>
    public int Refused { get { lock (_lock) { return _refused; } } }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var urlQuery = HttpUtility.ParseQueryString(request.RequestUri?.Query ?? "")["query"] ?? "";
        if (request.Content is null || !(urlQuery.Contains("INSERT", StringComparison.OrdinalIgnoreCase) || urlQuery.Length == 0))
        {
            return await base.SendAsync(request, cancellationToken);
        }

        var body = await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var rows = body.AsMemory();
        var statement = urlQuery;
        if (body.AsSpan().StartsWith("INSERT"u8))
        {
            // The driver may send the statement as the body's first line, ahead of the rows.
            var end = body.AsSpan().IndexOf((byte)'\n');
            if (end < 0) { end = body.Length; } // a whole statement (INSERT … VALUES), no rows after it
            statement = Encoding.UTF8.GetString(body, 0, end);
            rows = rows[Math.Min(body.Length, end + 1)..];
        }

        if (statement.Contains(".events", StringComparison.Ordinal) && statement.Contains("RowBinary", StringComparison.Ordinal))
        {
            var (months, ids) = Read(rows.Span);
            var error = TakeMemoryLimitFailure();
            if (error is null && months.Count > MaxPartitions)
            {
                error = $"Code: 252, e.displayText() = DB::Exception: Too many partitions for single INSERT block (more than {MaxPartitions}). " +
                    "The limit is controlled by 'max_partitions_per_insert_block' setting.";
            }
            else if (error is null && ids.FirstOrDefault(Poison.Contains) is { } poisoned)
            {
                error = $"Code: 49, e.displayText() = DB::Exception: Logical error while inserting {poisoned}";
            }

            lock (_lock)
            {
                if (error is null) { _accepted.Add(months.Count); }
                else { _refused++; }
            }

            if (error is not null)
            {
                return new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new StringContent(error + "\n"), RequestMessage = request };
            }
        }

        var forwarded = new ByteArrayContent(body);
        foreach (var header in request.Content.Headers) { forwarded.Headers.TryAddWithoutValidation(header.Key, header.Value); }
        request.Content = forwarded;
        return await base.SendAsync(request, cancellationToken);
    }

    private string? TakeMemoryLimitFailure()
    {
        lock (_lock)
        {
            if (MemoryLimitFailures == 0) { return null; }
            MemoryLimitFailures--;
            return "Code: 241, e.displayText() = DB::Exception: Memory limit (total) exceeded: would use 9.31 GiB";
        }
    }

    /// <summary>The distinct months of <c>ts</c> and the message ids of RowBinary rows in <see cref="EventsColumns"/> order.</summary>
    private static (HashSet<int> Months, List<string> Ids) Read(ReadOnlySpan<byte> data)
    {
        var months = new HashSet<int>();
        var ids = new List<string>();
        var at = 0;
        while (at < data.Length)
        {
            foreach (var (name, type) in EventsColumns.All)
            {
                var valueType = type;
                if (type.StartsWith("Nullable(", StringComparison.Ordinal))
                {
                    var isNull = data[at++] == 1;
                    if (isNull) { continue; }
                    valueType = type["Nullable(".Length..^1];
                }

                switch (valueType)
                {
                    case "String":
                        var length = (int)ReadVarUInt(data, ref at);
                        if (name == "message_id") { ids.Add(Encoding.UTF8.GetString(data.Slice(at, length))); }
                        at += length;
                        break;
                    case "Int64":
                        if (name == "ts")
                        {
                            var utc = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64LittleEndian(data[at..])).UtcDateTime;
                            months.Add(utc.Year * 100 + utc.Month);
                        }

                        at += 8;
                        break;
                    case "UInt64" or "Decimal(18,4)": at += 8; break;
                    case "UInt32": at += 4; break;
                    case "UInt8": at += 1; break;
                    default: throw new InvalidOperationException("the fake cannot read column type " + type);
                }
            }
        }

        return (months, ids);
    }

    private static ulong ReadVarUInt(ReadOnlySpan<byte> data, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) { return value; }
        }
    }
}
