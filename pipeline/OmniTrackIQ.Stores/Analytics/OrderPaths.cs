namespace OmniTrackIQ.Pipeline.Analytics;

/// <summary>First- and last-touch channel of an order, read from its attributed path (the channels of its kept touches).</summary>
public static class OrderPaths
{
    /// <summary>What attribution writes for a conversion without any creditable touch.</summary>
    public const string NoTouch = "(none)";

    private const string Separator = " > ";

    public static string? FirstChannel(string? path)
    {
        if (IsEmpty(path)) { return null; }
        var at = path!.IndexOf(Separator, StringComparison.Ordinal);
        return at < 0 ? path : path[..at];
    }

    public static string? LastChannel(string? path)
    {
        if (IsEmpty(path)) { return null; }
        var at = path!.LastIndexOf(Separator, StringComparison.Ordinal);
        return at < 0 ? path : path[(at + Separator.Length)..];
    }

    private static bool IsEmpty(string? path) => string.IsNullOrEmpty(path) || path == NoTouch;
}
