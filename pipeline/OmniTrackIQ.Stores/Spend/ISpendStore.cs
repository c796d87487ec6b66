namespace OmniTrackIQ.Pipeline.Spend;

/// <summary>Where ad spend is kept (<c>ad_spend</c>), for the spend API and the <c>import-spend</c> command; the summary queries read it.</summary>
public interface ISpendStore
{
    /// <summary>
    /// Replaces the rows of <paramref name="workspace"/> of every campaign and day (date, platform, campaign — the
    /// campaign's platform id when it has one, else its name) that <paramref name="rows"/> carry, at whatever ad group
    /// or ad level they had — importing the same file twice never doubles spend; rows sharing a key (date, platform,
    /// campaign, campaign id, ad group id, ad id) are summed. Returns the rows written (distinct keys).
    /// </summary>
    Task<int> UpsertAsync(string workspace, IReadOnlyList<SpendRow> rows, CancellationToken cancellationToken);
}
