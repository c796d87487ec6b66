namespace OmniTrackIQ.Architecture.Tests;

/// <summary>The repository's source tree, for the checks that read files rather than assemblies.</summary>
internal static class Repository
{
    /// <summary>The folder holding OmniTrackIQ.sln, found above the test's output directory.</summary>
    public static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OmniTrackIQ.sln"))) { dir = dir.Parent; }
        return dir?.FullName ?? throw new InvalidOperationException("OmniTrackIQ.sln not found above " + AppContext.BaseDirectory);
    }
}
