using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OmniTrackIQ.Pipeline.Enrichment;

namespace OmniTrackIQ.UserAgents.Tests;

public sealed class UserAgentServiceCollectionTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values)
    {
        var dictionary = new Dictionary<string, string?>();
        foreach (var (key, value) in values)
        {
            dictionary[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(dictionary).Build();
    }

    [Fact]
    public void Calling_twice_registers_one_enricher_and_one_parser()
    {
        var configuration = Config();
        var services = new ServiceCollection().AddOmniTrackUserAgents(configuration).AddOmniTrackUserAgents(configuration);
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        var enrichers = provider.GetServices<IEventEnricher>().ToList();

        Assert.IsType<UserAgentEnricher>(Assert.Single(enrichers));
        Assert.Same(provider.GetRequiredService<UserAgentParser>(), provider.GetRequiredService<UserAgentParser>());
        Assert.Equal(UserAgentCache.DefaultCapacity, provider.GetRequiredService<IOptions<UserAgentOptions>>().Value.CacheSize);
    }

    [Fact]
    public void Regexes_path_and_cache_size_are_read_from_the_user_agents_section()
    {
        var configuration = Config(
            ("OmniTrack:UserAgents:RegexesPath", UserAgentParser.DefaultRegexesPath),
            ("OmniTrack:UserAgents:CacheSize", "4"));
        using var provider = new ServiceCollection().AddOmniTrackUserAgents(configuration).BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<UserAgentOptions>>().Value;
        var cache = provider.GetRequiredService<UserAgentCache>();
        for (var i = 0; i < 20; i++)
        {
            cache.GetOrParse($"Probe/{i}");
        }

        Assert.Equal(UserAgentParser.DefaultRegexesPath, options.RegexesPath);
        Assert.Equal(4, options.CacheSize);
        Assert.True(cache.Count <= 4, $"count {cache.Count}");
    }

    [Theory]
    [InlineData("OmniTrack:UserAgents:RegexesPath", "/nonexistent/regexes.yaml", "RegexesPath")]
    [InlineData("OmniTrack:UserAgents:CacheSize", "1", "CacheSize")]
    public void Invalid_settings_fail_validation_naming_the_key(string key, string value, string named)
    {
        using var provider = new ServiceCollection().AddOmniTrackUserAgents(Config((key, value))).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<UserAgentOptions>>().Value);

        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }
}
