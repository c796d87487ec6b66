using Microsoft.Extensions.Options;

namespace OmniTrackIQ.Collector.Tests;

/// <summary>Issue 18: every options class is bound and checked when the host starts, and a bad value names its key.</summary>
public sealed class SettingsCheckedAtStartTests
{
    [Theory]
    [InlineData("OmniTrack:Spool:SegmentBytes", "0", "OmniTrack:Spool:SegmentBytes must be positive")]
    [InlineData("OmniTrack:Spool:MaxSegmentAge", "00:00:00", "OmniTrack:Spool:MaxSegmentAge must be positive")]
    [InlineData("OmniTrack:Sink:BatchSize", "0", "OmniTrack:Sink:BatchSize must be at least 1")]
    [InlineData("OmniTrack:Sink:ChannelCapacity", "-1", "OmniTrack:Sink:ChannelCapacity must be at least 1")]
    [InlineData("OmniTrack:DuckDb:MemoryLimit", "lots", "OmniTrack:DuckDb:MemoryLimit must be a size such as 256MB or 1GB")]
    [InlineData("OmniTrack:DuckDb:Threads", "0", "OmniTrack:DuckDb:Threads must be between 1 and 1024")]
    [InlineData("OmniTrack:BadEvents:RetentionDays", "-1", "OmniTrack:BadEvents:RetentionDays must be 0 (keep forever) or more, not -1")]
    [InlineData("OmniTrack:Metrics:TokenSha256", "not-a-hash", "OmniTrack:Metrics:TokenSha256 must be a SHA-256 in hex (64 characters)")]
    [InlineData("OmniTrack:Metrics:OtlpEndpoint", "otel-collector", "OmniTrack:Metrics:OtlpEndpoint must be an absolute URL such as http://otel-collector:4317")]
    [InlineData("OmniTrack:GeoIp:ReloadCheckSeconds", "-5", "OmniTrack:GeoIp:ReloadCheckSeconds must be 0 (off) or more.")]
    public void A_value_out_of_range_stops_the_start_naming_the_key(string key, string value, string failure)
    {
        using var factory = new CollectorFactory();
        factory.Settings[key] = value;

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains(failure, error.Failures.Single(f => f.Contains(key, StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("OmniTrack:Sink:MaxBatchAge", "soon")]
    [InlineData("OmniTrack:Ingest:Enrich", "maybe")]
    [InlineData("OmniTrack:Attribution:IntervalSeconds", "often")]
    [InlineData("OmniTrack:Spool:MaxBytes", "1GB")]
    public void A_value_of_the_wrong_type_stops_the_start_naming_the_key(string key, string value)
    {
        using var factory = new CollectorFactory();
        factory.Settings[key] = value;

        var error = Assert.Throws<InvalidOperationException>(() => factory.CreateClient());

        Assert.Contains($"'{value}' at '{key}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("OmniTrack:ClickHouse:RequestTimeout", "00:00:00", "OmniTrack:ClickHouse:RequestTimeout must be positive")]
    [InlineData("OmniTrack:ClickHouse:LookupChunkSize", "0", "OmniTrack:ClickHouse:LookupChunkSize must be at least 1")]
    [InlineData("OmniTrack:ClickHouse:ConnectionString", "", "OmniTrack:ClickHouse:ConnectionString must be set (e.g. Host=127.0.0.1;Port=8123;Database=otq)")]
    public void A_bad_ClickHouse_setting_stops_the_start_before_any_server_is_asked(string key, string value, string failure)
    {
        using var factory = new CollectorFactory();
        factory.Settings["OmniTrack:Store"] = "ClickHouse";
        factory.Settings["OmniTrack:ClickHouse:ConnectionString"] = "Host=127.0.0.1;Port=1;Database=never_made";
        factory.Settings[key] = value;

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains(failure, error.Failures.Single(f => f.Contains(key, StringComparison.Ordinal)), StringComparison.Ordinal);
    }
}
