namespace OmniTrackIQ.Enrichment.GeoIp;

/// <summary>
/// Cheap identity of a database file. Creation time changes when the file is replaced by a rename
/// (new inode), length and write time when it is rewritten, so any replacement shows up here.
/// </summary>
internal readonly record struct FileStamp(bool Exists, long Length, DateTime LastWriteUtc, DateTime CreationUtc)
{
    public static FileStamp Of(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return default;
        }

        var info = new FileInfo(path);
        return info.Exists
            ? new FileStamp(true, info.Length, info.LastWriteTimeUtc, info.CreationTimeUtc)
            : default;
    }
}
