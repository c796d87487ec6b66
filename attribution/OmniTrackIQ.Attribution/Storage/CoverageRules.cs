namespace OmniTrackIQ.Attribution.Storage;

/// <summary>What a store knows of one order for checkout coverage: its reports, the id its cart carried, and what was seen of that id.</summary>
/// <param name="MissReason">The run's reason nothing is credited; null when a touch is.</param>
/// <param name="ShopReported">A webhook or the shop's server reported it.</param>
/// <param name="NonWeb">Its reports name only sales channels other than the web (POS, draft, subscription apps).</param>
/// <param name="OtqId">The <c>_otq_id</c> its reports carried (not a stand-in <c>order:</c> id); null for none.</param>
/// <param name="ConsentRefused">Page views with that id were refused for missing consent.</param>
/// <param name="IdSeen">Some page view carried that id.</param>
public readonly record struct CoverageFacts(string? MissReason, double Revenue, bool ShopReported, bool NonWeb, string? OtqId, bool ConsentRefused, bool IdSeen);

/// <summary>
/// Checkout coverage's rule (README "Checkout coverage"), for a store that reads the facts per order: the stored reason
/// made actionable — non_web, no_otq_id (the cart carried no _otq_id: snippet missing on that theme or checkout),
/// consent_missing, id_unseen (an _otq_id no page view carried), else the run's reason. An order only the browser
/// reported always carries the id it was seen with, so for it only consent_missing refines no_visit.
/// </summary>
public static class CoverageRules
{
    /// <summary>"" for a matched order, else the reason.</summary>
    public static string Reason(in CoverageFacts facts)
    {
        if (facts.MissReason is null) { return ""; }
        if (facts.NonWeb) { return "non_web"; }
        if (facts.MissReason != "no_visit") { return facts.MissReason; }
        if (facts.ShopReported && facts.OtqId is null) { return "no_otq_id"; }
        if (facts.OtqId is not null && facts.ConsentRefused) { return "consent_missing"; }
        if (facts.ShopReported && facts.OtqId is not null && !facts.IdSeen) { return "id_unseen"; }
        return "no_visit";
    }

    /// <summary>The report over every order in range: matched share, revenue, and misses by reason (most first, then by name).</summary>
    public static CoverageReport Report(IEnumerable<CoverageFacts> orders)
    {
        long conversions = 0, matched = 0, shopReported = 0;
        double revenue = 0, matchedRevenue = 0;
        var misses = new Dictionary<string, (long Count, double Revenue)>(StringComparer.Ordinal);
        foreach (var order in orders)
        {
            conversions++;
            revenue += order.Revenue;
            if (order.ShopReported) { shopReported++; }
            var reason = Reason(order);
            if (reason.Length == 0)
            {
                matched++;
                matchedRevenue += order.Revenue;
                continue;
            }

            var (count, sum) = misses.TryGetValue(reason, out var known) ? known : (0, 0);
            misses[reason] = (count + 1, sum + order.Revenue);
        }

        var share = conversions == 0 ? 0 : Math.Round((double)matched / conversions, 6);
        var rows = misses.OrderByDescending(m => m.Value.Count).ThenBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => new CoverageMiss(m.Key, m.Value.Count, Math.Round(m.Value.Revenue, 4))).ToList();
        return new CoverageReport(conversions, matched, share, Math.Round(revenue, 4), Math.Round(matchedRevenue, 4), rows, shopReported);
    }
}
