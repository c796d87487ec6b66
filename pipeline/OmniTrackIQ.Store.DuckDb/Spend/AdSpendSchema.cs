using System.Text;
using OmniTrackIQ.Pipeline.Spend;

namespace OmniTrackIQ.Store.DuckDb.Spend;

/// <summary>
/// DDL of <c>ad_spend</c> (DESIGN "Tables") and its staging twin, plus the SQL form of
/// <see cref="SpendPlatforms.SourceOf"/> so reports can group spend by utm_source.
/// </summary>
internal static class AdSpendSchema
{
    private const string Columns = """
        workspace VARCHAR NOT NULL,
        date DATE NOT NULL,
        platform VARCHAR NOT NULL,
        channel VARCHAR NOT NULL,
        campaign VARCHAR NOT NULL,
        spend DECIMAL(18,4) NOT NULL,
        currency VARCHAR NOT NULL,
        impressions BIGINT,
        clicks BIGINT
        """;

    /// <summary>
    /// The platform levels (campaign id, ad group, ad) and the currency flag came later: added to a file made before
    /// them, with the values an older import means (campaign level, not flagged). The staging twin is emptied per
    /// import, so it is remade with every column.
    /// </summary>
    private const string Levels = """
        ALTER TABLE ad_spend ADD COLUMN IF NOT EXISTS campaign_id VARCHAR DEFAULT '';
        ALTER TABLE ad_spend ADD COLUMN IF NOT EXISTS ad_group_id VARCHAR DEFAULT '';
        ALTER TABLE ad_spend ADD COLUMN IF NOT EXISTS ad_group VARCHAR DEFAULT '';
        ALTER TABLE ad_spend ADD COLUMN IF NOT EXISTS ad_id VARCHAR DEFAULT '';
        ALTER TABLE ad_spend ADD COLUMN IF NOT EXISTS ad VARCHAR DEFAULT '';
        ALTER TABLE ad_spend ADD COLUMN IF NOT EXISTS currency_flagged BOOLEAN DEFAULT false;
        """;

    private const string StagingLevels = """
        campaign_id VARCHAR NOT NULL,
        ad_group_id VARCHAR NOT NULL,
        ad_group VARCHAR NOT NULL,
        ad_id VARCHAR NOT NULL,
        ad VARCHAR NOT NULL,
        currency_flagged BOOLEAN NOT NULL
        """;

    /// <summary>Columns of <c>ad_spend</c> in the staging table's order, for the INSERT … SELECT.</summary>
    public const string InsertColumns = "workspace, date, platform, channel, campaign, spend, currency, impressions, clicks, campaign_id, ad_group_id, ad_group, ad_id, ad, currency_flagged";

    public const string CreateTables = $"""
        CREATE TABLE IF NOT EXISTS ad_spend ({Columns});
        {Levels}
        DROP TABLE IF EXISTS ad_spend_staging;
        CREATE TABLE ad_spend_staging ({Columns}, {StagingLevels});
        """;

    /// <summary>
    /// <c>CASE platform WHEN 'meta' THEN 'facebook' … ELSE platform END</c>, built from the code's table
    /// (constants only, never user text); platforms are stored lower-case.
    /// </summary>
    public static string SourceExpression { get; } = BuildSourceExpression();

    private static string BuildSourceExpression()
    {
        var sql = new StringBuilder("CASE platform");
        foreach (var (platform, source) in SpendPlatforms.Sources)
        {
            sql.Append(" WHEN '").Append(platform.Replace("'", "''", StringComparison.Ordinal))
               .Append("' THEN '").Append(source.Replace("'", "''", StringComparison.Ordinal)).Append('\'');
        }

        return sql.Append(" ELSE platform END").ToString();
    }
}
