using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Attribution.Heuristics;

/// <summary>
/// The rule-based models as pure functions: touches of one conversion in, one credit per touch out
/// (written into the caller's span, summing to 1). No allocation, no filtering — see
/// <see cref="PathAttributor"/> for the lookback window and "paid clicks first".
/// </summary>
public static class HeuristicModels
{
    private const double WShapedKeyShare = 0.3;
    private const double WShapedRestShare = 0.1;

    /// <param name="touches">The touches in time order (at least one).</param>
    /// <param name="conversionTimestampMs">Conversion time; only time decay reads it (via the touches' ages).</param>
    /// <param name="credits">Receives credits[i] for touches[i]; must be at least as long as <paramref name="touches"/>.</param>
    public static void Compute(HeuristicModel model, ReadOnlySpan<Touchpoint> touches, long conversionTimestampMs,
        Span<double> credits, AttributionOptions options)
    {
        var n = touches.Length;
        if (n == 0)
        {
            throw new ArgumentException("A path needs at least one touch.", nameof(touches));
        }

        if (credits.Length < n)
        {
            throw new ArgumentException("The credit span is shorter than the path.", nameof(credits));
        }

        credits = credits[..n];
        switch (model)
        {
            case HeuristicModel.FirstTouch:
                credits.Clear();
                credits[0] = 1;
                break;
            case HeuristicModel.LastTouch:
                credits.Clear();
                credits[n - 1] = 1;
                break;
            case HeuristicModel.LastNonDirect:
                credits.Clear();
                credits[LastNonDirectIndex(touches)] = 1;
                break;
            case HeuristicModel.Linear:
                // Every touch counts, repeats included (ChannelAttribution's linear_touch: count / length).
                credits.Fill(1.0 / n);
                break;
            case HeuristicModel.TimeDecay:
                TimeDecay(touches, conversionTimestampMs, credits, options.HalfLife);
                break;
            case HeuristicModel.PositionBased:
                PositionBased(credits, options.FirstShare, options.LastShare);
                break;
            case HeuristicModel.WShaped:
                WShaped(touches, credits);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(model), model, "Unknown heuristic model.");
        }
    }

    /// <summary>The last touch that is not direct; a path of only direct touches credits its last touch (GA4, DP6).</summary>
    private static int LastNonDirectIndex(ReadOnlySpan<Touchpoint> touches)
    {
        for (var i = touches.Length - 1; i >= 0; i--)
        {
            if (!touches[i].IsDirect)
            {
                return i;
            }
        }

        return touches.Length - 1;
    }

    /// <summary>
    /// w_i = 2^(-age_i / halfLife) with age relative to the conversion, normalised. Ages are taken
    /// relative to the newest touch instead: the factor cancels in the normalisation and a path whose
    /// touches are all very old cannot underflow to 0/0.
    /// </summary>
    private static void TimeDecay(ReadOnlySpan<Touchpoint> touches, long conversionTimestampMs, Span<double> credits, TimeSpan halfLife)
    {
        var newest = long.MinValue;
        foreach (ref readonly var touch in touches)
        {
            newest = Math.Max(newest, Math.Min(touch.TimestampMs, conversionTimestampMs));
        }

        var halfLifeMs = halfLife.TotalMilliseconds;
        var sum = 0.0;
        for (var i = 0; i < touches.Length; i++)
        {
            var age = newest - Math.Min(touches[i].TimestampMs, conversionTimestampMs);
            var weight = double.Exp2(-age / halfLifeMs);
            credits[i] = weight;
            sum += weight;
        }

        Normalise(credits, sum);
    }

    /// <summary>
    /// 40/20/40 by default: one touch gets everything, two touches split first:last in proportion
    /// (50/50 for 40/40), three or more give the middle share evenly to the middle touches.
    /// </summary>
    private static void PositionBased(Span<double> credits, double firstShare, double lastShare)
    {
        var n = credits.Length;
        if (n == 1)
        {
            credits[0] = 1;
            return;
        }

        if (n == 2)
        {
            credits[0] = firstShare / (firstShare + lastShare);
            credits[1] = lastShare / (firstShare + lastShare);
            return;
        }

        credits.Fill((1 - firstShare - lastShare) / (n - 2));
        credits[0] = firstShare;
        credits[n - 1] = lastShare;
    }

    /// <summary>
    /// 30 % each to the first touch, the lead-creation touch (the first touch flagged
    /// <see cref="TouchFlags.LeadCreation"/>) and the last touch, additively when they coincide (a lead
    /// created on the first touch earns 60 %), plus 10 % spread evenly over the other touches. When a share
    /// has nowhere to go (no lead touch, or no other touches) the assigned weights are normalised to 1.
    /// See README.md for the worked degenerate cases.
    /// </summary>
    private static void WShaped(ReadOnlySpan<Touchpoint> touches, Span<double> credits)
    {
        var n = touches.Length;
        var lead = -1;
        for (var i = 0; i < n; i++)
        {
            if (touches[i].IsLeadCreation)
            {
                lead = i;
                break;
            }
        }

        credits.Clear();
        credits[0] += WShapedKeyShare;
        credits[n - 1] += WShapedKeyShare;
        if (lead >= 0)
        {
            credits[lead] += WShapedKeyShare;
        }

        var keys = n == 1 ? 1 : 2;
        if (lead > 0 && lead < n - 1)
        {
            keys++;
        }

        var rest = n - keys;
        if (rest > 0)
        {
            var each = WShapedRestShare / rest;
            for (var i = 1; i < n - 1; i++)
            {
                if (i != lead)
                {
                    credits[i] = each;
                }
            }
        }

        var sum = 0.0;
        foreach (var credit in credits)
        {
            sum += credit;
        }

        Normalise(credits, sum);
    }

    private static void Normalise(Span<double> credits, double sum)
    {
        var inverse = 1.0 / sum;
        for (var i = 0; i < credits.Length; i++)
        {
            credits[i] *= inverse;
        }
    }
}
