using System.Diagnostics;

namespace OmniTrackIQ.Collector.Tests;

/// <summary>
/// Runs one of the repository's server scripts (tests/clickhouse, tests/cluster, tests/redis) as the test's own child,
/// with extra environment, and gives its exit code and output. The scripts start servers in the background with their
/// output in files, so reading the script's own output to its end returns when the script ends.
/// </summary>
internal static class RepositoryScript
{
    public static async Task<(int Code, string Output)> RunAsync(string path, IReadOnlyDictionary<string, string>? environment = null, params string[] args)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(Root(), path));
        foreach (var arg in args) { info.ArgumentList.Add(arg); }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) { info.Environment[name] = value; }
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not run bash");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Runs the script and fails the test, with its output, when it does not exit 0.</summary>
    public static async Task RunOrFailAsync(string path, IReadOnlyDictionary<string, string>? environment = null, params string[] args)
    {
        var (code, output) = await RunAsync(path, environment, args);
        Assert.True(code == 0, $"{path} {string.Join(' ', args)} exited {code}: {output}");
    }

    /// <summary>
    /// Starts again any node of the test cluster (and its ZooKeeper) whose process died (tests/cluster/revive.sh): 18.16
    /// nodes have crashed under the cluster tests, and without this every test class after the crash failed too. What
    /// the script started again is written to the test output's error stream, so a crash is never hidden.
    /// </summary>
    public static async Task ReviveClusterAsync()
    {
        var (code, output) = await RunAsync(Path.Combine("tests", "cluster", "revive.sh"));
        Assert.True(code == 0, $"tests/cluster/revive.sh exited {code}: {output}");
        if (output.Length > 0) { await Console.Error.WriteLineAsync(output.TrimEnd()); }
    }

    /// <summary>The repository's root: the nearest folder above the test binaries that holds test.sh.</summary>
    public static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "test.sh"))) { dir = dir.Parent; }
        return dir?.FullName ?? throw new InvalidOperationException("test.sh not found above " + AppContext.BaseDirectory);
    }
}
