using System.Security.Cryptography;
using System.Text;

namespace OmniTrackIQ.Collector.Ingest;

/// <summary>
/// The secret key of the ids the collector derives for pixel hits without <c>mid</c> (<see cref="Pipeline.Ingest.MessageIds.ForPixel"/>).
/// The id is a keyed hash of the hit, the browser and its address, so the stored id cannot be tested against guesses:
/// unkeyed, the stored /24 and 256 tries would give the address back. The key is <c>OmniTrack:Ingest:PixelIdKey</c>
/// when set (give every ingest node the same one, so a retry that reaches another node is still one event), else 32
/// random bytes made once in <c>{DataDirectory}/pixel-id.key</c> (mode 0600), so dedup holds across restarts.
/// </summary>
public sealed class PixelIdKey
{
    public const string FileName = "pixel-id.key";
    private const int KeyBytes = 32;
    private const int MinConfiguredChars = 32;

    private readonly byte[] _key;

    private PixelIdKey(byte[] key) => _key = key;

    public ReadOnlySpan<byte> Key => _key;

    public static PixelIdKey From(IngestOptions options, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.PixelIdKey is { Length: > 0 } configured)
        {
            return configured.Length >= MinConfiguredChars
                ? new PixelIdKey(Encoding.UTF8.GetBytes(configured))
                : throw new InvalidOperationException($"OmniTrack:Ingest:PixelIdKey must be at least {MinConfiguredChars} characters (e.g. the output of `openssl rand -hex 32`)");
        }

        return new PixelIdKey(LoadOrCreate(dataDirectory));
    }

    private static byte[] LoadOrCreate(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
        {
            if (OperatingSystem.IsWindows()) { Directory.CreateDirectory(dataDirectory); }
            else { Directory.CreateDirectory(dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); }

            // Written whole under another name, then renamed: a crash leaves either no key or the complete one.
            var temporary = path + "." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) + ".tmp";
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) { options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; }
            using (var file = new FileStream(temporary, options))
            {
                file.Write(RandomNumberGenerator.GetBytes(KeyBytes));
                file.Flush(flushToDisk: true);
            }

            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temporary); // another process made it first: theirs is the key
            }
        }

        var key = File.ReadAllBytes(path);
        return key.Length == KeyBytes
            ? key
            : throw new InvalidDataException($"{path} holds {key.Length} bytes, not a {KeyBytes}-byte key. Remove it to make a new one (retries of pixel hits already stored then no longer match their ids).");
    }
}
