namespace OmniTrackIQ.Collector.Attribution;

internal enum PathFileFormat
{
    /// <summary>ChannelAttribution's shape: header path,total_conversions,total_conversion_value,total_null.</summary>
    Csv,

    /// <summary>{"separator": "&gt;", "paths": [{"path": "A &gt; B", "conversions": 3, "value": 120.5, "nulls": 7}]}.</summary>
    Json,
}
