using OmniTrackIQ.Pipeline.Erasure;

namespace OmniTrackIQ.Collector.Privacy;

/// <summary>Erasure and data-request exports (README "Privacy and erasure"), for every role: the store does the work.</summary>
internal static class PrivacyServices
{
    public static IServiceCollection AddOmniTrackPrivacy(this IServiceCollection services, string dataDirectory)
    {
        services.AddSingleton<PersonErasure>();
        services.AddSingleton(new PrivacyExports(dataDirectory));
        return services;
    }
}
