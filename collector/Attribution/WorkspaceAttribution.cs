using OmniTrackIQ.Pipeline.Workspaces;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Collector.Attribution;

/// <summary>A workspace's configured attribution options as the runner takes them.</summary>
internal static class WorkspaceAttribution
{
    public static AttributionSettings SettingsOf(WorkspaceSettings workspace) => new()
    {
        LookbackDays = workspace.LookbackDays,
        PaidClicksFirst = workspace.PaidClicksFirst,
        MarkovOrder = workspace.MarkovOrder,
    };
}
