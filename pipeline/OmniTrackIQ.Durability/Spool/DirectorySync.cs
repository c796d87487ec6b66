using System.Runtime.InteropServices;

namespace OmniTrackIQ.Pipeline.Spool;

/// <summary>
/// fsync of a directory, so that a newly created or renamed file survives power loss (POSIX keeps
/// the directory entry in the directory's own metadata). .NET has no API for it; on other
/// platforms this is a no-op.
/// </summary>
internal static partial class DirectorySync
{
    private const int ORdOnly = 0;

    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux()) { return; }

        var fd = Open(directory, ORdOnly);
        if (fd < 0) { return; }

        try { _ = Fsync(fd); }
        finally { _ = Close(fd); }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
