using System.Diagnostics;

namespace OmniTrackIQ.Collector.Tests;

/// <summary>A small tmpfs mounted over a directory, to give a test a disk that really fills up (ENOSPC). Needs root.</summary>
internal sealed class TmpfsMount : IDisposable
{
    private TmpfsMount(string directory) => Directory = directory;

    public string Directory { get; }

    /// <summary>The mount, or null with the reason when this machine does not allow it (not root, no mount(8)).</summary>
    public static TmpfsMount? TryMount(string directory, string size, out string? unavailable)
    {
        System.IO.Directory.CreateDirectory(directory);
        var (exitCode, output) = Run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", directory);
        unavailable = exitCode == 0 ? null : $"cannot mount a tmpfs at {directory} (mount exited {exitCode}: {output.Trim()})";
        return exitCode == 0 ? new TmpfsMount(directory) : null;
    }

    /// <summary>Writes zeros to <paramref name="path"/> until the disk refuses (ENOSPC); returns the bytes written.</summary>
    public long Fill(string path)
    {
        var chunk = new byte[16 * 1024];
        using var handle = File.OpenHandle(path, FileMode.Create, FileAccess.Write);
        long written = 0;
        try
        {
            while (true)
            {
                RandomAccess.Write(handle, chunk, written);
                written += chunk.Length;
            }
        }
        catch (IOException)
        {
            // full: what is left is less than a chunk (the pages the spool's files already hold may have a little slack)
        }

        return written;
    }

    public void Dispose()
    {
        // A lazy unmount still detaches it when something (a process not yet reaped) holds a file open.
        if (Run("umount", Directory).ExitCode != 0) { Run("umount", "-l", Directory); }
    }

    private static (int ExitCode, string Output) Run(string file, params string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false })!;
            var output = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, ex.Message);
        }
    }
}
