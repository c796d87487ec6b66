using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using OmniTrackIQ.Pipeline.Spool;

namespace OmniTrackIQ.Benchmarks.Spool;

/// <summary>
/// The spool's append path without the disk: 64 records of a spooled 20-event batch's size, framed into the write
/// buffer and written out, then one Flush, on tmpfs (/dev/shm) so the fsync costs nothing and the framing (header,
/// magic, two CRCs) is what is measured. Stored segments are committed away now and then to keep tmpfs small.
/// Expected allocations per operation: none.
/// </summary>
[MemoryDiagnoser]
public class SpoolAppendBenchmarks
{
    private const int RecordsPerFlush = 64;
    private readonly string _directory = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), "otq-spool-bench-" + Guid.NewGuid().ToString("N"));
    private SegmentedSpool? _spool;
    private byte[] _record = [];

    [Params(400, 4096)]
    public int PayloadBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _spool = SegmentedSpool.Open(_directory, 8L * 1024 * 1024, NullLogger.Instance);
        _record = new byte[PayloadBytes];
        new Random(42).NextBytes(_record);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _spool?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark]
    public SpoolPosition AppendAndFlush()
    {
        var spool = _spool!;
        for (var i = 0; i < RecordsPerFlush; i++) { spool.Append(_record); }
        spool.Flush();
        if (spool.BytesOnDisk > 64L * 1024 * 1024) { spool.Commit(spool.DurableEnd); }
        return spool.DurableEnd;
    }
}
