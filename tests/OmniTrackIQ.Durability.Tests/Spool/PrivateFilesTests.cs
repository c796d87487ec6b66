using System.Runtime.Versioning;
using Microsoft.Extensions.Logging.Abstractions;
using OmniTrackIQ.Pipeline.Files;
using OmniTrackIQ.Pipeline.Spool;
using OmniTrackIQ.Store.DuckDb;

namespace OmniTrackIQ.Pipeline.Tests.Spool;

/// <summary>Issue 15: spooled events, checkpoints, quarantined bytes and the DuckDB file are readable by their owner only.</summary>
[SupportedOSPlatform("linux")]
public sealed class PrivateFilesTests : IDisposable
{
    private const UnixFileMode Rw = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Rwx = Rw | UnixFileMode.UserExecute;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "otq-perm-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void The_spool_creates_its_folders_0700_and_its_segments_checkpoint_lock_and_quarantine_0600()
    {
        var data = Path.Combine(_root, "data");
        var dir = Path.Combine(data, "spool");
        using (var spool = SegmentedSpool.Open(dir, 64, NullLogger.Instance))
        {
            spool.Append(new byte[40]);
            spool.Append(new byte[40]); // rolls: a second segment file
            spool.Flush();
            spool.Commit(spool.DurableEnd);
            SpoolQuarantine.Keep(dir, spool.DurableEnd with { Offset = 0 }, 8);
        }

        Assert.Equal(Rwx, File.GetUnixFileMode(data)); // the data directory, created on the way
        Assert.Equal(Rwx, File.GetUnixFileMode(dir));
        Assert.Equal(Rwx, File.GetUnixFileMode(Path.Combine(dir, "quarantine")));
        var files = Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir, f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["000000000002.seg", "checkpoint", "lock", Path.Combine("quarantine", "000000000002-0.bin")], files);
        Assert.All(files, f => Assert.Equal(Rw, File.GetUnixFileMode(Path.Combine(dir, f))));
    }

    [Fact]
    public void Opening_a_spool_an_older_version_left_world_readable_closes_it_to_others()
    {
        var dir = Path.Combine(_root, "spool");
        Directory.CreateDirectory(dir, Rwx | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var segment = Path.Combine(dir, "000000000001.seg");
        File.WriteAllBytes(segment, []);
        File.SetUnixFileMode(segment, Rw | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        SegmentedSpool.Open(dir, 1 << 20, NullLogger.Instance).Dispose();

        Assert.Equal(Rwx, File.GetUnixFileMode(dir));
        Assert.Equal(Rw, File.GetUnixFileMode(segment));
    }

    [Fact]
    public void The_DuckDB_database_file_and_its_new_folder_are_owner_only()
    {
        var path = Path.Combine(_root, "db", "omnitrack.duckdb");
        using (new DuckDbDatabase(path))
        {
            Assert.Equal(Rwx, File.GetUnixFileMode(Path.Combine(_root, "db")));
            Assert.Equal(Rw, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void An_existing_folder_keeps_its_mode_and_only_missing_ones_are_created_owner_only()
    {
        Directory.CreateDirectory(_root);
        var before = File.GetUnixFileMode(_root);
        PrivateFiles.CreateDirectory(Path.Combine(_root, "a", "b"));

        Assert.Equal(before, File.GetUnixFileMode(_root)); // an operator's folder is theirs to set
        Assert.Equal(Rwx, File.GetUnixFileMode(Path.Combine(_root, "a")));
        Assert.Equal(Rwx, File.GetUnixFileMode(Path.Combine(_root, "a", "b")));
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}
