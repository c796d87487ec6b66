namespace OmniTrackIQ.Attribution.Paths;

/// <summary>
/// Turns channel-level results of the data-driven models (Markov removal effects, Shapley values) into
/// per-conversion credits, so the worker can write attribution_results rows that sum to 1 like the
/// heuristics: each distinct channel of the path gets weight[channel] / Σ weights of the path's distinct
/// channels, split evenly over that channel's touches. If no channel of the path has a positive weight
/// the credits fall back to linear (1/n a touch). No allocation.
/// </summary>
public static class ChannelWeightCredits
{
    public static void Distribute(IReadOnlyDictionary<string, double> weights, ReadOnlySpan<Touchpoint> touches, Span<double> credits)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var n = touches.Length;
        if (n == 0)
        {
            throw new ArgumentException("A path needs at least one touch.", nameof(touches));
        }

        if (credits.Length < n)
        {
            throw new ArgumentException("The credit span is shorter than the path.", nameof(credits));
        }

        // Pass 1: credits[i] = weight of touch i's channel divided by its number of touches in the path;
        // the total over distinct channels accumulates once per channel (at its first touch).
        var total = 0.0;
        for (var i = 0; i < n; i++)
        {
            var channel = touches[i].Channel;
            var weight = weights.TryGetValue(channel, out var w) && w > 0 && double.IsFinite(w) ? w : 0;
            var count = 0;
            var first = true;
            for (var j = 0; j < n; j++)
            {
                if (string.Equals(touches[j].Channel, channel, StringComparison.Ordinal))
                {
                    count++;
                    first &= j >= i;
                }
            }

            credits[i] = weight / count;
            if (first)
            {
                total += weight;
            }
        }

        if (total <= 0)
        {
            credits[..n].Fill(1.0 / n);
            return;
        }

        for (var i = 0; i < n; i++)
        {
            credits[i] /= total;
        }
    }
}
