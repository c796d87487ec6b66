namespace OmniTrackIQ.Pipeline.Spend;

/// <summary>Where ad spend is kept (<c>ad_spend</c>), for the spend API and the <c>import-spend</c> command; the summary queries read it.</summary>
public interface ISpendStore
{
    /// <summary>
    /// Replaces the rows of <paramref name="workspace"/> with the keys (date, platform, campaign) that
    /// <paramref name="rows"/> carry — importing the same file twice never doubles spend; rows sharing a key are
    /// summed. Returns the keys written.
    /// </summary>
    Task<int> UpsertAsync(string workspace, IReadOnlyList<SpendRow> rows, CancellationToken cancellationToken);
}
