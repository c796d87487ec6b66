using System.Globalization;

namespace OmniTrackIQ.Collector.Tests;

/// <summary>
/// For <c>OTQ_FAKE_DATE=… ./test.sh</c> (README "Tests"): proves the moved wall clock really reached this test host,
/// so a green run under it means the suite does not depend on the day. Outside such a run there is nothing to check.
/// </summary>
public sealed class WallClockProbeTests
{
    [Fact]
    public void TheMovedWallClockReachesTheTestHost()
    {
        var expected = Environment.GetEnvironmentVariable("OTQ_EXPECT_WALL_YEAR");
        if (expected is null) { return; }
        Assert.Equal(int.Parse(expected, CultureInfo.InvariantCulture), DateTime.UtcNow.Year);
    }
}
