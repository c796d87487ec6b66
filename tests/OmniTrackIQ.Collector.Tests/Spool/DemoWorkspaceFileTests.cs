using System.Runtime.Versioning;
using OmniTrackIQ.Collector.Workspaces;

namespace OmniTrackIQ.Collector.Tests.Spool;

/// <summary>Issue 15: the demo workspace file holds a write key in clear text, so only its owner may read it.</summary>
[SupportedOSPlatform("linux")]
public sealed class DemoWorkspaceFileTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "otq-demo-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void The_demo_key_file_is_created_0600_in_a_data_directory_created_0700_and_read_back_the_same()
    {
        var data = Path.Combine(_root, "data");
        var created = DemoWorkspace.LoadOrCreate(data, TextWriter.Null);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(data));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, "demo-workspace.json")));
        var loaded = DemoWorkspace.LoadOrCreate(data, TextWriter.Null);
        Assert.Equal(created.WriteKey, loaded.WriteKey);
        Assert.Equal("demo", loaded.Id);
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}
