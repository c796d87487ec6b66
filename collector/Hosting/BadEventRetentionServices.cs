using Microsoft.Extensions.Options;
using OmniTrackIQ.Pipeline.Sink;

namespace OmniTrackIQ.Collector.Hosting;

/// <summary>
/// Wires the <c>bad_events</c> retention worker (<c>OmniTrack:BadEvents</c>) over the store's <see cref="IBadEventRetention"/>.
/// It runs where the attribution worker runs (roles <c>all</c> and <c>attribute</c>): one process per deployment, so
/// several ingest nodes do not start the same delete.
/// </summary>
internal static class BadEventRetentionServices
{
    public static IServiceCollection AddBadEventRetention(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<BadEventRetentionOptions>(configuration, BadEventRetentionOptions.Section);
        services.AddSingleton<IValidateOptions<BadEventRetentionOptions>, RetentionValidation>();
        services.AddHostedService<BadEventRetentionWorker>();
        return services;
    }

    /// <summary>The options' own check (<see cref="BadEventRetentionOptions.Problem"/>), run when the host starts.</summary>
    private sealed class RetentionValidation : IValidateOptions<BadEventRetentionOptions>
    {
        public ValidateOptionsResult Validate(string? name, BadEventRetentionOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
