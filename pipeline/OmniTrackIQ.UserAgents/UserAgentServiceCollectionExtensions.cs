using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OmniTrackIQ.Pipeline.Enrichment;

namespace OmniTrackIQ.UserAgents;

public static class UserAgentServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="UserAgentParser"/> and <see cref="UserAgentCache"/> as singletons and
    /// <see cref="UserAgentEnricher"/> as an <see cref="IEventEnricher"/> singleton, configured from
    /// <c>OmniTrack:UserAgents</c> (<c>RegexesPath</c>, <c>CacheSize</c>, <c>CompileRegexes</c>).
    /// Options are validated at start (a missing regexes file fails the host, not the first event).
    /// Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddOmniTrackUserAgents(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        var alreadyAdded = false;
        foreach (var descriptor in services)
        {
            alreadyAdded |= descriptor.ServiceType == typeof(UserAgentParser);
        }

        if (!alreadyAdded)
        {
            services.AddOptions<UserAgentOptions>()
                .Bind(configuration.GetSection(UserAgentOptions.SectionName))
                .Validate(static o => o.CacheSize >= 2, "OmniTrack:UserAgents:CacheSize must be at least 2.")
                .Validate(
                    static o => File.Exists(string.IsNullOrWhiteSpace(o.RegexesPath) ? UserAgentParser.DefaultRegexesPath : o.RegexesPath),
                    "OmniTrack:UserAgents:RegexesPath does not name an existing regexes.yaml.")
                .ValidateOnStart();
        }

        services.TryAddSingleton(static sp =>
        {
            var options = sp.GetRequiredService<IOptions<UserAgentOptions>>().Value;
            return UserAgentParser.FromFile(options.RegexesPath, options.CompileRegexes);
        });
        services.TryAddSingleton(static sp => new UserAgentCache(
            sp.GetRequiredService<UserAgentParser>(),
            sp.GetRequiredService<IOptions<UserAgentOptions>>().Value.CacheSize));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEventEnricher, UserAgentEnricher>());
        return services;
    }
}
