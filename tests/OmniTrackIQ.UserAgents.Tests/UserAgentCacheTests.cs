namespace OmniTrackIQ.UserAgents.Tests;

[Collection(ParserCollection.Name)]
public sealed class UserAgentCacheTests(ParserFixture fixture)
{
    private readonly UserAgentParser _parser = fixture.Parser;

    [Fact]
    public void A_repeated_user_agent_returns_the_same_shared_result()
    {
        var cache = new UserAgentCache(_parser, 100);

        var first = cache.GetOrParse(SampleUserAgents.ChromeWindows);
        var second = cache.GetOrParse(new string(SampleUserAgents.ChromeWindows.AsSpan())); // equal, not the same string

        Assert.Same(first, second);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void A_hit_allocates_nothing_even_for_a_user_agent_beyond_the_cap()
    {
        var cache = new UserAgentCache(_parser, 100);
        var longUa = SampleUserAgents.SafariIPhone + new string('z', 2_000);
        for (var i = 0; i < 10; i++)
        {
            cache.GetOrParse(SampleUserAgents.ChromeWindows);
            cache.GetOrParse(longUa);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            cache.GetOrParse(SampleUserAgents.ChromeWindows);
            cache.GetOrParse(longUa);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(UserAgentParser.MaxUserAgentLength, cache.GetOrParse(longUa).UserAgent!.Length);
    }

    [Fact]
    public void The_cache_stays_bounded_and_keeps_a_user_agent_that_keeps_coming()
    {
        const int capacity = 64;
        var cache = new UserAgentCache(_parser, capacity);
        var hot = cache.GetOrParse(SampleUserAgents.ChromePixel);

        for (var i = 0; i < 1_000; i++)
        {
            cache.GetOrParse($"LoadTester/{i}.0");
            Assert.True(cache.Count <= capacity + 1, $"count {cache.Count} after {i}");
            if (i % 16 == 0)
            {
                // Arrives more often than a generation turns over (every capacity/2 = 32 new UAs).
                Assert.Same(hot, cache.GetOrParse(SampleUserAgents.ChromePixel));
            }
        }
    }

    [Fact]
    public void A_user_agent_seen_once_ages_out_after_two_generations()
    {
        var cache = new UserAgentCache(_parser, 4); // generations of 2
        var once = cache.GetOrParse(SampleUserAgents.FirefoxLinux);
        for (var i = 0; i < 4; i++)
        {
            cache.GetOrParse($"Filler/{i}");
        }

        Assert.NotSame(once, cache.GetOrParse(SampleUserAgents.FirefoxLinux));
    }

    [Fact]
    public void Concurrent_readers_and_writers_agree_on_every_result()
    {
        var cache = new UserAgentCache(_parser, 32);
        string[] uas = [SampleUserAgents.ChromeWindows, SampleUserAgents.SafariIPhone, SampleUserAgents.GalaxyTab,
            SampleUserAgents.Googlebot, SampleUserAgents.SafariMac];
        var errors = 0;

        Parallel.For(0, 20_000, i =>
        {
            var ua = i % 3 == 0 ? $"Churn/{i % 200}" : uas[i % uas.Length];
            var info = cache.GetOrParse(ua);
            if (info.UserAgent != ua)
            {
                Interlocked.Increment(ref errors);
            }
        });

        Assert.Equal(0, errors);
        Assert.True(cache.Count <= 32 + Environment.ProcessorCount * 2, $"count {cache.Count}");
        Assert.Equal("bot", cache.GetOrParse(SampleUserAgents.Googlebot).DeviceClassName);
    }

    [Fact]
    public void Blank_user_agents_are_answered_without_being_cached()
    {
        var cache = new UserAgentCache(_parser, 10);

        Assert.True(cache.GetOrParse(null).IsBot);
        Assert.True(cache.GetOrParse(" ").IsBot);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void A_result_spoiled_by_a_timeout_is_not_cached()
    {
        const string yaml = "user_agent_parsers:\n  - regex: '^(a+)+$'\nos_parsers: []\ndevice_parsers: []\n";
        var parser = UserAgentParser.FromYaml(new StringReader(yaml), compiled: false, TimeSpan.FromMilliseconds(20));
        var cache = new UserAgentCache(parser, 10);

        var info = cache.GetOrParse(new string('a', 40) + "!");

        Assert.Equal("Other", info.Browser.Family);
        Assert.Equal(0, cache.Count);
    }
}
