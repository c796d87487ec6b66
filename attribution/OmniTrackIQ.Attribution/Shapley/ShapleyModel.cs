using System.Numerics;
using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Attribution.Shapley;

/// <summary>
/// Shapley values over channel coalitions with the characteristic function of the `mta` package's tests
/// (reference case06): v(S) = conversions (resp. conversion value) of the paths whose set of channels lies
/// within S. Order and repeats inside a path do not matter; non-converting paths add nothing to any v(S).
/// Channels that only appear on paths without conversions or value are dummy players: they get exactly 0
/// and are left out of the game, which keeps the exact computation small.
/// </summary>
public static class ShapleyModel
{
    public static ShapleyResult Compute(IReadOnlyList<PathCount> paths, ShapleyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        options = (options ?? ShapleyOptions.Default).Validate();
        var game = CoalitionGame.Build(paths);
        var n = game.Players.Count;
        var conversions = new double[n];
        var values = new double[n];
        var conversionErrors = new double[n];
        var valueErrors = new double[n];
        var permutations = 0;
        if (n <= options.ExactMaxChannels)
        {
            Exact(game, conversions, values);
        }
        else
        {
            permutations = options.Permutations;
            Sampled(game, options, conversions, values, conversionErrors, valueErrors);
        }

        var channels = new SortedDictionary<string, ChannelCredit>(StringComparer.Ordinal);
        var errors = new SortedDictionary<string, ChannelCredit>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            channels[game.Players[i]] = new ChannelCredit(conversions[i], values[i]);
            errors[game.Players[i]] = new ChannelCredit(conversionErrors[i], valueErrors[i]);
        }

        foreach (var dummy in game.Dummies)
        {
            channels.TryAdd(dummy, default);
            errors.TryAdd(dummy, default);
        }

        return new ShapleyResult(channels, errors, permutations);
    }

    /// <summary>
    /// Subset DP: the weight of each exact channel set, summed over its subsets (zeta transform) gives v for
    /// all 2^n coalitions; then φ_i = Σ_{S ∌ i} |S|!(n-|S|-1)!/n! · (v(S ∪ {i}) - v(S)). O(n·2^n).
    /// </summary>
    private static void Exact(CoalitionGame game, double[] conversions, double[] values)
    {
        var n = game.Players.Count;
        if (n == 0)
        {
            return;
        }

        var size = 1 << n;
        var vConversions = new double[size];
        var vValues = new double[size];
        for (var k = 0; k < game.Sets.Count; k++)
        {
            var mask = 0;
            foreach (var player in game.Sets[k])
            {
                mask |= 1 << player;
            }

            vConversions[mask] += game.Conversions[k];
            vValues[mask] += game.Values[k];
        }

        for (var bit = 0; bit < n; bit++)
        {
            var flag = 1 << bit;
            for (var mask = 0; mask < size; mask++)
            {
                if ((mask & flag) != 0)
                {
                    vConversions[mask] += vConversions[mask ^ flag];
                    vValues[mask] += vValues[mask ^ flag];
                }
            }
        }

        // coefficient[s] = s!(n-s-1)!/n! = 1 / (n · C(n-1, s)).
        var coefficient = new double[n];
        var binomial = 1.0;
        for (var s = 0; s < n; s++)
        {
            coefficient[s] = 1 / (n * binomial);
            binomial = binomial * (n - 1 - s) / (s + 1);
        }

        for (var mask = 0; mask < size; mask++)
        {
            var members = BitOperations.PopCount((uint)mask);
            if (members == n)
            {
                continue;
            }

            var weight = coefficient[members];
            for (var i = 0; i < n; i++)
            {
                var flag = 1 << i;
                if ((mask & flag) == 0)
                {
                    conversions[i] += weight * (vConversions[mask | flag] - vConversions[mask]);
                    values[i] += weight * (vValues[mask | flag] - vValues[mask]);
                }
            }
        }
    }

    /// <summary>
    /// Permutation sampling: in a random order of the channels, channel i's marginal contribution is the
    /// weight of every channel set whose last member (in that order) is i. Unbiased; the standard error
    /// is the sample standard deviation over the permutations divided by √m. Seeded, so deterministic.
    /// </summary>
    private static void Sampled(CoalitionGame game, ShapleyOptions options, double[] conversions, double[] values,
        double[] conversionErrors, double[] valueErrors)
    {
        var n = game.Players.Count;
        var random = new Random(options.Seed);
        var order = new int[n];
        var position = new int[n];
        var stepConversions = new double[n];
        var stepValues = new double[n];
        var squaredConversions = new double[n];
        var squaredValues = new double[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        for (var m = 0; m < options.Permutations; m++)
        {
            random.Shuffle(order);
            for (var p = 0; p < n; p++)
            {
                position[order[p]] = p;
            }

            Array.Clear(stepConversions);
            Array.Clear(stepValues);
            for (var k = 0; k < game.Sets.Count; k++)
            {
                var last = -1;
                foreach (var player in game.Sets[k])
                {
                    if (last < 0 || position[player] > position[last])
                    {
                        last = player;
                    }
                }

                stepConversions[last] += game.Conversions[k];
                stepValues[last] += game.Values[k];
            }

            for (var i = 0; i < n; i++)
            {
                conversions[i] += stepConversions[i];
                values[i] += stepValues[i];
                squaredConversions[i] += stepConversions[i] * stepConversions[i];
                squaredValues[i] += stepValues[i] * stepValues[i];
            }
        }

        var samples = (double)options.Permutations;
        for (var i = 0; i < n; i++)
        {
            conversionErrors[i] = StandardError(conversions[i], squaredConversions[i], samples);
            valueErrors[i] = StandardError(values[i], squaredValues[i], samples);
            conversions[i] /= samples;
            values[i] /= samples;
        }
    }

    private static double StandardError(double sum, double sumOfSquares, double samples)
    {
        var variance = (sumOfSquares - (sum * sum / samples)) / (samples - 1);
        return Math.Sqrt(Math.Max(variance, 0) / samples);
    }
}
