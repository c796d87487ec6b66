using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OmniTrackIQ.Pipeline.Sink;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>
/// Issue 15: <c>bad_events</c> grew forever. What every store's <see cref="IBadEventRetention"/> must do, driven by the
/// <see cref="BadEventRetentionWorker"/> on a <see cref="FakeTimeProvider"/>: rows received before now − RetentionDays
/// go, in every workspace; the row at the cutoff and newer ones stay.
/// </summary>
public abstract class BadEventRetentionContract
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    protected string Workspace { get; } = "ws-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The store (initialised), its browser and its retention.</summary>
    protected abstract Task<(StoreUnderTest Store, IBadEventRetention Retention)> OpenAsync();

    /// <summary>Returns once deletes the store finishes in the background are finished (nothing to wait for by default).</summary>
    protected virtual Task SettleAsync() => Task.CompletedTask;

    [SkippableFact]
    public async Task Rows_older_than_the_retention_go_in_every_workspace_and_the_cutoff_row_stays()
    {
        var (s, retention) = await OpenAsync();
        var other = Workspace + "-other";
        var cutoff = Now.AddDays(-30); // 2026-10-24T12:00Z
        await s.Store.WriteBadEventsAsync(
        [
            new BadEvent(Workspace, "august", "r", new DateTimeOffset(2026, 8, 10, 0, 0, 0, TimeSpan.Zero)), // a month wholly before the cutoff
            new BadEvent(Workspace, "september", "r", new DateTimeOffset(2026, 9, 30, 23, 59, 59, 999, TimeSpan.Zero)),
            new BadEvent(Workspace, "just-before", "r", cutoff.AddMilliseconds(-1)), // the cutoff's own month
            new BadEvent(Workspace, "at-cutoff", "r", cutoff),
            new BadEvent(Workspace, "today", "r", Now.AddHours(-1)),
            new BadEvent(other, "other-old", "r", new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero)),
            new BadEvent(other, "other-new", "r", Now),
        ], CancellationToken.None);

        var time = new FakeTimeProvider(Now);
        var worker = new BadEventRetentionWorker(new BadEventRetentionOptions(), retention, time, NullLogger<BadEventRetentionWorker>.Instance);
        Assert.Equal(cutoff, worker.Cutoff);

        Assert.Equal(4, await worker.PruneOnceAsync(CancellationToken.None));
        await SettleAsync();
        Assert.Equal(["at-cutoff", "today"], await PayloadsAsync(s, Workspace));
        Assert.Equal(["other-new"], await PayloadsAsync(s, other));

        // Nothing more is old yet: a second pass removes nothing.
        Assert.Equal(0, await worker.PruneOnceAsync(CancellationToken.None));

        // A day later the row at the old cutoff has aged out.
        time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, await worker.PruneOnceAsync(CancellationToken.None));
        await SettleAsync();
        Assert.Equal(["today"], await PayloadsAsync(s, Workspace));
    }

    [SkippableFact]
    public async Task A_retention_of_zero_keeps_everything()
    {
        var (s, retention) = await OpenAsync();
        await s.Store.WriteBadEventsAsync([new BadEvent(Workspace, "ancient", "r", new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero))], CancellationToken.None);
        var worker = new BadEventRetentionWorker(new BadEventRetentionOptions { RetentionDays = 0 }, retention, new FakeTimeProvider(Now),
            NullLogger<BadEventRetentionWorker>.Instance);

        Assert.Equal(0, await worker.PruneOnceAsync(CancellationToken.None));
        await SettleAsync();
        Assert.Equal(["ancient"], await PayloadsAsync(s, Workspace));
    }

    private static async Task<List<string>> PayloadsAsync(StoreUnderTest s, string workspace) =>
        [.. (await s.Browser.RecentBadEventsAsync(workspace, 100, CancellationToken.None)).Select(b => b.Payload).Order(StringComparer.Ordinal)];
}
