namespace OmniTrackIQ.Tests.Shared;

/// <summary>
/// The tests' one way to wait for what background work brings about (the sink storing rows, a worker's tick, a server
/// coming up): ask again every <c>interval</c> until the condition holds or the number of tries a <c>timeout</c> allows
/// is spent, then answer whether it holds; the caller asserts the exact outcome. Bounded by tries, not by reading a
/// clock. Linked into every test project that waits (as RepositoryScript is shared).
/// </summary>
internal static class Poll
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>True as soon as <paramref name="condition"/> holds; false when it still does not after the last try.</summary>
    public static Task<bool> UntilAsync(Func<bool> condition, TimeSpan? timeout = null, TimeSpan? interval = null) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, interval);

    /// <summary>The same for a condition that has to ask (a server, an HTTP route).</summary>
    public static async Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        var every = interval ?? DefaultInterval;
        var tries = Math.Max(1, (int)((timeout ?? DefaultTimeout) / every));
        for (var attempt = 1; attempt < tries; attempt++)
        {
            if (await condition()) { return true; }
            await Task.Delay(every);
        }

        return await condition();
    }

    /// <summary>Reads a value until <paramref name="done"/> accepts it, and returns the last value read (for the caller to assert).</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        var value = default(T)!;
        await UntilAsync(async () => done(value = await read()), timeout, interval);
        return value;
    }
}
