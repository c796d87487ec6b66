using OmniTrackIQ.Pipeline.Sink;

namespace OmniTrackIQ.Pipeline.Tests;

public sealed class RetryBackoffTests
{
    private static readonly TimeSpan Base = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    [Fact]
    public void At_the_top_of_its_jitter_each_delay_triples_until_the_cap()
    {
        var backoff = new RetryBackoff(Base, Max, new FixedRandom(1.0));
        var delays = Enumerable.Range(0, 8).Select(_ => backoff.Next()).ToList();
        Assert.Equal([0.6, 1.8, 5.4, 16.2, 30, 30, 30, 30], delays.Select(d => Math.Round(d.TotalSeconds, 3)));
    }

    [Fact]
    public void At_the_bottom_of_its_jitter_a_delay_is_never_below_the_base_so_retries_never_spin()
    {
        var backoff = new RetryBackoff(Base, Max, new FixedRandom(0.0));
        Assert.All(Enumerable.Range(0, 5).Select(_ => backoff.Next()), d => Assert.Equal(Base, d));
    }

    [Fact]
    public void Delays_are_jittered_within_their_bounds_and_reset_after_a_success()
    {
        var backoff = new RetryBackoff(Base, Max, new Random(7));
        var previous = Base;
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 50; i++)
        {
            var delay = backoff.Next();
            Assert.InRange(delay, Base, TimeSpan.FromTicks(Math.Min(Max.Ticks, previous.Ticks * 3)));
            delays.Add(delay);
            previous = delay;
        }

        Assert.True(delays.Distinct().Count() > 40, "two collectors retrying the same store must not retry in lock-step");
        backoff.Reset();
        Assert.InRange(backoff.Next(), Base, Base * 3);
    }

    /// <summary>A Random whose NextDouble is always the same value (1.0 stands for "just below 1").</summary>
    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;
    }
}
