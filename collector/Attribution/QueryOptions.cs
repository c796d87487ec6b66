using System.Globalization;
using OmniTrackIQ.Pipeline.Workspaces;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Collector.Attribution;

/// <summary>
/// Per-query attribution options of the summary and compare endpoints: <c>lookbackDays</c> (1–3650, or
/// <c>any</c>) and <c>paidFirst</c> (true/false). When they match the workspace's own settings the stored
/// results answer; otherwise the request is computed on the fly (<c>adHoc</c> non-null).
/// </summary>
internal static class QueryOptions
{
    public const int MaxLookbackDays = 3650;

    public static bool TryRead(IQueryCollection query, WorkspaceSettings workspace, out AttributionSettings? adHoc, out IResult? problem)
    {
        adHoc = null;
        problem = null;
        var stored = WorkspaceAttribution.SettingsOf(workspace);
        var requested = stored;
        var lookback = query["lookbackDays"].ToString();
        if (lookback.Length > 0)
        {
            if (lookback == "any") { requested = requested with { LookbackDays = 0 }; }
            else if (int.TryParse(lookback, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days is >= 1 and <= MaxLookbackDays)
            {
                requested = requested with { LookbackDays = days };
            }
            else
            {
                problem = AttributionEndpoints.Bad("lookbackDays", $"must be a whole number of days from 1 to {MaxLookbackDays} (e.g. 1, 7, 14, 28, 30, 90) or 'any'", "invalid_lookback");
                return false;
            }
        }

        var paidFirst = query["paidFirst"].ToString();
        if (paidFirst.Length > 0)
        {
            if (!bool.TryParse(paidFirst, out var value))
            {
                problem = AttributionEndpoints.Bad("paidFirst", "must be true or false", "invalid_paid_first");
                return false;
            }

            requested = requested with { PaidClicksFirst = value };
        }

        adHoc = Normal(requested) == Normal(stored) ? null : requested;
        return true;
    }

    /// <summary>Any lookback of 0 or less means "any age", so they compare equal.</summary>
    private static AttributionSettings Normal(AttributionSettings settings) => settings with { LookbackDays = Math.Max(0, settings.LookbackDays) };
}
