namespace OmniTrackIQ.Attribution.Storage;

/// <summary>
/// Attributed conversions and revenue of one group (channel, source or campaign), with the group's ad spend
/// when any <c>ad_spend</c> row maps to it: ROAS = revenue / spend, CPA = spend / conversions. Spend, ROAS and
/// CPA are null without spend; ROAS is null when spend is 0, CPA when conversions are 0.
/// </summary>
public sealed record AttributionSummaryRow(string Key, double Conversions, double Revenue, double? Spend, double? Roas, double? Cpa);

/// <summary>A converting path (kept channels, "A &gt; B") with how many conversions took it and their revenue.</summary>
public sealed record TopPathRow(string Path, int Touches, long Conversions, double Revenue);

/// <summary>Conversions without any creditable touch for one reason, and their revenue.</summary>
public sealed record CoverageMiss(string Reason, long Conversions, double Revenue);

/// <summary>Share of conversions (and revenue) matched to at least one visit, and why the others were not.</summary>
/// <param name="ShopReported">Conversions the shop itself reported (order webhook or S2S), whether or not the browser did too.</param>
public sealed record CoverageReport(long Conversions, long Matched, double Share, double Revenue, double MatchedRevenue, List<CoverageMiss> Misses, long ShopReported = 0);
