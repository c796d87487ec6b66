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

    public const string CreateTables = $"""
        CREATE TABLE IF NOT EXISTS ad_spend ({Columns});
        CREATE TABLE IF NOT EXISTS ad_spend_staging ({Columns});
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
