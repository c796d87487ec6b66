namespace OmniTrackIQ.UserAgents;

/// <summary>Browser (ua-parser "user agent") family and version parts; parts are null when absent.</summary>
public sealed record BrowserInfo(string Family, string? Major, string? Minor, string? Patch, string? PatchMinor)
{
    /// <summary>"major.minor.patch" cut at the first missing part; null without a major. Precomputed so readers never build strings.</summary>
    public string? Version { get; } = VersionText.Join(Major, Minor, Patch, null);
}

/// <summary>Operating system family and version parts; parts are null when absent.</summary>
public sealed record OsInfo(string Family, string? Major, string? Minor, string? Patch, string? PatchMinor)
{
    /// <summary>"major.minor.patch.patchMinor" cut at the first missing part; null without a major.</summary>
    public string? Version { get; } = VersionText.Join(Major, Minor, Patch, PatchMinor);
}

/// <summary>Device family, brand and model as ua-parser reports them (brand and model may be null).</summary>
public sealed record DeviceInfo(string Family, string? Brand, string? Model);

/// <summary>Shared default values, so unmatched parses reuse instances instead of allocating.</summary>
internal static class ParsedDefaults
{
    /// <summary>The ua-parser spec's family for "no rule matched".</summary>
    public const string Other = "Other";

    public static readonly BrowserInfo Browser = new(Other, null, null, null, null);
    public static readonly OsInfo Os = new(Other, null, null, null, null);
    public static readonly DeviceInfo Device = new(Other, null, null);
}

internal static class VersionText
{
    public static string? Join(string? major, string? minor, string? patch, string? patchMinor)
    {
        if (major is null)
        {
            return null;
        }

        if (minor is null)
        {
            return major;
        }

        if (patch is null)
        {
            return string.Concat(major, ".", minor);
        }

        return patchMinor is null
            ? string.Concat(major, ".", minor, ".", patch)
            : string.Concat(major, ".", minor, ".", patch, ".", patchMinor);
    }
}
