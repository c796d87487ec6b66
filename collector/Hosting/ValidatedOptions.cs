using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace OmniTrackIQ.Collector.Hosting;

/// <summary>
/// One way to read a settings section: bound, checked by its data annotations (whose messages name the key) and
/// checked when the host starts, so a bad value stops the start instead of the first request that needs it. The
/// bound object is also registered as itself, for the classes that take it directly.
/// </summary>
internal static class ValidatedOptions
{
    public static OptionsBuilder<T> AddValidatedOptions<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(
        this IServiceCollection services, IConfiguration configuration, string section, Action<T>? defaults = null)
        where T : class
    {
        var builder = services.AddOptions<T>();
        // Defaults that depend on other settings (the data directory) go first, so a configured value overrides them.
        if (defaults is not null) { builder.Configure(defaults); }
        builder.Bind(configuration.GetSection(section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(static sp => sp.GetRequiredService<IOptions<T>>().Value);
        return builder;
    }
}
