using OmniTrackIQ.Pipeline.RateLimits;

namespace OmniTrackIQ.Collector.Tests.RateLimits;

/// <summary>The pure bucket, on explicit timestamps at 1,000 ticks per second.</summary>
public sealed class TokenBucketTests
{
    private const long Second = 1000;

    [Fact]
    public void A_new_bucket_holds_its_burst_and_not_one_permit_more()
    {
        var bucket = new TokenBucket(ratePerSecond: 10, burst: 20, Second, startTimestamp: 0);

        for (var i = 0; i < 20; i++) { Assert.True(bucket.TryTake(0, 1, out _)); }
        Assert.False(bucket.TryTake(0, 1, out var wait));
        Assert.Equal(100, wait); // one permit at 10/s
    }

    [Fact]
    public void Permits_come_back_at_the_rate_and_never_above_the_burst()
    {
        var bucket = new TokenBucket(ratePerSecond: 10, burst: 20, Second, startTimestamp: 0);
        Assert.True(bucket.TryTake(0, 20, out _));

        Assert.Equal(0, bucket.Available(99));
        Assert.Equal(1, bucket.Available(100));
        Assert.Equal(15, bucket.Available(1500));
        Assert.Equal(20, bucket.Available(2000));
        Assert.Equal(20, bucket.Available(10 * 365 * 86_400 * Second)); // idle for years: full, no overflow
    }

    [Fact]
    public void Refill_is_exact_however_the_interval_is_split()
    {
        var once = new TokenBucket(ratePerSecond: 3, burst: 9, Second, startTimestamp: 0);
        var often = new TokenBucket(ratePerSecond: 3, burst: 9, Second, startTimestamp: 0);
        Assert.True(once.TryTake(0, 9, out _));
        Assert.True(often.TryTake(0, 9, out _));

        for (long t = 1; t <= 1000; t++) { often.Available(t); }

        Assert.Equal(3, once.Available(1000));
        Assert.Equal(3, often.Available(1000));
        Assert.True(often.TryTake(1000, 3, out _));
        Assert.False(often.TryTake(1000, 1, out _));
    }

    [Fact]
    public void A_refused_take_takes_nothing_and_says_how_long_until_it_fits()
    {
        var bucket = new TokenBucket(ratePerSecond: 4, burst: 8, Second, startTimestamp: 0);
        Assert.True(bucket.TryTake(0, 6, out _));

        Assert.False(bucket.TryTake(0, 5, out var wait)); // 2 held, 3 missing at 4/s
        Assert.Equal(750, wait);
        Assert.False(bucket.TryTake(749, 5, out wait));
        Assert.Equal(1, wait);
        Assert.True(bucket.TryTake(750, 5, out wait));
        Assert.Equal(0, wait);
        Assert.Equal(0, bucket.Available(750));
    }

    [Fact]
    public void More_permits_than_the_burst_are_always_refused_with_the_wait_until_full()
    {
        var bucket = new TokenBucket(ratePerSecond: 5, burst: 10, Second, startTimestamp: 0);

        Assert.False(bucket.TryTake(0, 11, out var wait));
        Assert.Equal(1, wait); // already full: the shortest wait there is
        Assert.True(bucket.TryTake(0, 4, out _));
        Assert.False(bucket.TryTake(0, 11, out wait));
        Assert.Equal(800, wait); // 4 missing at 5/s
        Assert.False(bucket.TryTake(100 * Second, 11, out _));
        Assert.Equal(10, bucket.Available(100 * Second));
    }

    [Fact]
    public void A_timestamp_older_than_the_last_one_adds_nothing()
    {
        var bucket = new TokenBucket(ratePerSecond: 1, burst: 2, Second, startTimestamp: 5000);
        Assert.True(bucket.TryTake(5000, 2, out _));

        Assert.Equal(0, bucket.Available(4000));
        Assert.Equal(1, bucket.Available(6000));
    }

    [Fact]
    public void A_wait_is_rounded_up_to_a_whole_tick()
    {
        var bucket = new TokenBucket(ratePerSecond: 3, burst: 3, Second, startTimestamp: 0);
        Assert.True(bucket.TryTake(0, 3, out _));

        Assert.False(bucket.TryTake(0, 1, out var wait));
        Assert.Equal(334, wait); // 1000/3 = 333.3 ticks
        Assert.Equal(0, bucket.Available(333));
        Assert.Equal(1, bucket.Available(334));
    }
}
