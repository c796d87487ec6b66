using Microsoft.Win32.SafeHandles;

namespace OmniTrackIQ.Pipeline.Files;

/// <summary>
/// Files and folders that hold events, keys or checkpoints are created for the owner only on Unix (files 0600,
/// folders 0700): spooled events carry IPs, ids and order values, and the demo key file grants write access. The
/// mode is given at creation (<see cref="FileStreamOptions.UnixCreateMode"/>, <c>Directory.CreateDirectory(path,
/// mode)</c>), so there is no moment at which another user could open the file. On Windows the folder's ACL applies.
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Creates the folder and every missing parent owner-only (<c>Directory.CreateDirectory(path, mode)</c> gives the
    /// mode to the last folder only). Folders that exist keep their mode: the data directory may be one an operator chose.
    /// </summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        var missing = new Stack<string>();
        for (var dir = Path.GetFullPath(path); dir is not null && !Directory.Exists(dir); dir = Path.GetDirectoryName(dir))
        {
            missing.Push(dir);
        }

        while (missing.TryPop(out var dir)) { Directory.CreateDirectory(dir, OwnerOnlyDirectory); }
    }

    /// <summary>
    /// A folder that is ours alone (the spool): made owner-only together with the files directly in it, so an upgrade
    /// from a version that created them world-readable closes them too. Best effort: false when a folder or file
    /// belongs to another user (a mounted volume), which must not stop a collector that can still use them.
    /// </summary>
    public static bool TryRestrict(string directory)
    {
        if (OperatingSystem.IsWindows()) { return true; }

        var all = TryChangeMode(directory, OwnerOnlyDirectory);
        foreach (var file in Directory.EnumerateFiles(directory)) { all &= TryRestrictFile(file); }
        return all;
    }

    /// <summary>Makes an existing file owner-only (a file another library created, such as DuckDB's database); false when not allowed.</summary>
    public static bool TryRestrictFile(string path)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(path)) { return true; }

        var current = File.GetUnixFileMode(path);
        return (current & ~OwnerOnlyFile) == 0 || TryChangeMode(path, current & OwnerOnlyFile);
    }

    /// <summary>A <see cref="FileStream"/> whose file, when this call creates it, is owner-only.</summary>
    public static FileStream Open(string path, FileMode mode, FileAccess access, FileShare share, int bufferSize = 4096, FileOptions options = FileOptions.None)
    {
        var settings = new FileStreamOptions { Mode = mode, Access = access, Share = share, BufferSize = bufferSize, Options = options };
        if (!OperatingSystem.IsWindows() && mode != FileMode.Open && mode != FileMode.Truncate)
        {
            settings.UnixCreateMode = OwnerOnlyFile;
        }

        return new FileStream(path, settings);
    }

    /// <summary>
    /// <see cref="File.OpenHandle"/> for a file that, when missing, is created owner-only. File.OpenHandle takes no
    /// mode, so a missing file is first created empty through a FileStream that does; a file that exists keeps its mode.
    /// </summary>
    public static SafeFileHandle OpenHandle(string path, FileMode mode, FileAccess access, FileShare share)
    {
        if (!OperatingSystem.IsWindows() && mode is FileMode.Create or FileMode.OpenOrCreate && !File.Exists(path))
        {
            try
            {
                using var created = Open(path, FileMode.CreateNew, FileAccess.Write, share, bufferSize: 0);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Created by someone else between the check and the create: open it as it is.
            }
        }

        return File.OpenHandle(path, mode, access, share);
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static bool TryChangeMode(string path, UnixFileMode mode)
    {
        try
        {
            File.SetUnixFileMode(path, mode);
            return true;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }
}
