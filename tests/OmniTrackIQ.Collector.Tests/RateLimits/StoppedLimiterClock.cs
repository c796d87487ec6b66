using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OmniTrackIQ.Pipeline.RateLimits;

namespace OmniTrackIQ.Collector.Tests.RateLimits;

/// <summary>
/// A collector whose rate limiter runs on a stopped clock, so no refill can happen between two requests however slow
/// the machine is. Only the budgets' store is replaced (the seam a shared store takes), on its own clock: the rest of the
/// collector keeps its own.
/// </summary>
internal static class StoppedLimiterClock
{
    /// <param name="time">The limiter's clock, for a test that moves it on itself; a new stopped one by default.</param>
    public static WebApplicationFactory<Program> Apply(CollectorFactory collector, FakeTimeProvider? time = null)
    {
        time ??= new FakeTimeProvider(TestClock.Now);
        return collector.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IRateBuckets>(new LocalRateBuckets(time))));
    }
}
