using System.Net;
using Microsoft.Extensions.Time.Testing;
using OmniTrackIQ.Enrichment.GeoIp;
using OmniTrackIQ.Pipeline.Enrichment;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Workspaces;

namespace OmniTrackIQ.Enrichment.Tests.GeoIp;

public sealed class GeoIpReloadTests : IDisposable
{
    private static readonly IPAddress London = IPAddress.Parse("81.2.69.160");
    private readonly string _directory = Directory.CreateTempSubdirectory("otq-geoip-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Replacing_the_file_swaps_in_the_new_database()
    {
        var path = Path.Combine(_directory, "city.mmdb");
        File.Copy(TestData.GeoIp("GeoIP2-City-Test.mmdb"), path);
        using var geo = GeoIpTestHost.Open(path);
        Assert.Equal(("GB", "London"), (geo.Lookup(London).Country, geo.Lookup(London).City));

        ReplaceAtomically(TestData.GeoIp("GeoIP2-Country-Test.mmdb"), path);
        geo.CheckForChanges(); // returns after any swap the file watcher started has finished

        var after = geo.Lookup(London);
        Assert.Equal(("GB", (string?)null), (after.Country, after.City));
    }

    [Fact]
    public void Old_readers_are_disposed_only_after_the_grace_period()
    {
        var time = new FakeTimeProvider();
        var path = Path.Combine(_directory, "city.mmdb");
        File.Copy(TestData.GeoIp("GeoLite2-City-Test.mmdb"), path);
        using var geo = GeoIpTestHost.Open(path, time: time);
        ReplaceAtomically(TestData.GeoIp("GeoIP2-City-Test.mmdb"), path);
        geo.CheckForChanges();
        Assert.Equal(1, geo.RetiredCount);

        time.Advance(GeoIpDatabase.RetireGracePeriod - TimeSpan.FromSeconds(1));
        geo.CheckForChanges();
        Assert.Equal(1, geo.RetiredCount);

        time.Advance(TimeSpan.FromSeconds(1));
        geo.CheckForChanges();
        Assert.Equal(0, geo.RetiredCount);
        Assert.Equal("London", geo.Lookup(London).City);
    }

    [Fact]
    public void A_database_that_appears_later_is_picked_up()
    {
        var path = Path.Combine(_directory, "late.mmdb");
        using var geo = GeoIpTestHost.Open(path);
        Assert.False(geo.IsEnabled);
        Assert.Same(GeoLocation.Empty, geo.Lookup(London));

        ReplaceAtomically(TestData.GeoIp("GeoLite2-City-Test.mmdb"), path);
        geo.CheckForChanges();

        Assert.True(geo.IsEnabled);
        Assert.Equal("London", geo.Lookup(London).City);
    }

    [Fact]
    public void A_corrupt_replacement_keeps_the_current_database()
    {
        var path = Path.Combine(_directory, "city.mmdb");
        File.Copy(TestData.GeoIp("GeoLite2-City-Test.mmdb"), path);
        using var geo = GeoIpTestHost.Open(path);

        var garbage = Path.Combine(_directory, "garbage.tmp");
        File.WriteAllBytes(garbage, new byte[4096]);
        File.Move(garbage, path, overwrite: true);

        Assert.False(geo.CheckForChanges());
        Assert.Equal("London", geo.Lookup(London).City);
    }

    [Fact]
    public void Without_configuration_the_enricher_leaves_geo_empty()
    {
        using var geo = GeoIpTestHost.Open(cityPath: null);
        var evt = new TrackedEvent { Country = "stale" };
        var verdict = new GeoIpEnricher(geo).Enrich(evt, new IngestRequest(London, null, false, new WorkspaceSettings()));

        Assert.False(geo.IsEnabled);
        Assert.False(verdict.IsRejected);
        Assert.Equal(((string?)null, (string?)null, (string?)null, (uint?)null), (evt.Country, evt.Region, evt.City, evt.Asn));
    }

    [Fact]
    public void The_enricher_sets_all_geo_fields()
    {
        using var geo = GeoIpTestHost.Open(TestData.GeoIp("GeoIP2-City-Test.mmdb"), TestData.GeoIp("GeoLite2-ASN-Test.mmdb"));
        var evt = new TrackedEvent();
        new GeoIpEnricher(geo).Enrich(evt, new IngestRequest(IPAddress.Parse("::ffff:81.2.69.160"), null, false, new WorkspaceSettings()));
        Assert.Equal(("GB", "ENG", "London"), (evt.Country, evt.Region, evt.City));

        var noIp = new TrackedEvent();
        new GeoIpEnricher(geo).Enrich(noIp, new IngestRequest(null, null, false, new WorkspaceSettings()));
        Assert.Null(noIp.Country);
    }

    // What geoipupdate does: write next to the target, then rename over it.
    private void ReplaceAtomically(string source, string target)
    {
        var temp = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".tmp");
        File.Copy(source, temp);
        File.Move(temp, target, overwrite: true);
    }
}
