using System.Globalization;
using OmniTrackIQ.Attribution.Heuristics;
using OmniTrackIQ.Attribution.Markov;

namespace OmniTrackIQ.Attribution.Storage;

/// <summary>
/// The per-workspace options the stored results were computed with. The worker keeps them in
/// <c>attribution_state</c>: when they change, every conversion is recomputed rather than only new ones.
/// </summary>
public sealed record AttributionSettings
{
    /// <summary>Lookback window in days; 0 or less means any age.</summary>
    public int LookbackDays { get; init; } = 30;

    /// <summary>Ignore direct, organic and e-mail touches when the path has a paid one.</summary>
    public bool PaidClicksFirst { get; init; }

    /// <summary>Markov chain order (1–4) of the worker's "markov" model.</summary>
    public int MarkovOrder { get; init; } = 1;

    public AttributionOptions ToOptions()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MarkovOrder, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MarkovOrder, MarkovModel.MaxOrder);
        return new AttributionOptions
        {
            Lookback = LookbackDays > 0 ? TimeSpan.FromDays(LookbackDays) : null,
            PaidClicksFirst = PaidClicksFirst,
        }.Validate();
    }

    /// <summary>The stored form, compared as text.</summary>
    public string Key => string.Create(CultureInfo.InvariantCulture,
        $"lookback={LookbackDays};paidFirst={PaidClicksFirst};markovOrder={MarkovOrder};v=1");
}
