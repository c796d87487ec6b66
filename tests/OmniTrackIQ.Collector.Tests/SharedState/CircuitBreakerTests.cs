using Microsoft.Extensions.Time.Testing;
using OmniTrackIQ.Collector.SharedState;

namespace OmniTrackIQ.Collector.Tests.SharedState;

public sealed class CircuitBreakerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Failures_in_a_row_open_it_a_success_between_them_starts_the_count_again()
    {
        var breaker = new CircuitBreaker(3, TimeSpan.FromSeconds(5), _time);
        Assert.False(breaker.Failed());
        Assert.False(breaker.Failed());
        breaker.Succeeded();
        Assert.False(breaker.Failed());
        Assert.False(breaker.Failed());
        Assert.True(breaker.Allows());
        Assert.True(breaker.Failed()); // the third in a row
        Assert.False(breaker.Allows());
        Assert.True(breaker.IsOpen);
    }

    [Fact]
    public void Once_the_open_time_has_passed_one_trial_goes_through_and_its_answer_decides()
    {
        var breaker = new CircuitBreaker(1, TimeSpan.FromSeconds(5), _time);
        breaker.Failed();
        _time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(breaker.Allows());
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(breaker.Allows()); // the trial
        Assert.False(breaker.Allows()); // only one at a time
        Assert.False(breaker.Failed()); // the trial failed: open for another 5 s
        Assert.False(breaker.Allows());
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(breaker.Allows());
        Assert.True(breaker.Succeeded()); // closed again: Redis is back
        Assert.True(breaker.Allows());
        Assert.True(breaker.Allows());
        Assert.False(breaker.IsOpen);
    }
}
