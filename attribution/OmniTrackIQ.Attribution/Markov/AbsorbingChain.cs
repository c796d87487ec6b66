namespace OmniTrackIQ.Attribution.Markov;

/// <summary>
/// The transient part of an absorbing Markov chain (state 0 = start) in compressed-row form, with two
/// right-hand sides: the one-step probability of converting, and that probability times the mean
/// conversion value of the state. Solving x = Q·x + b gives, from the start state, P(conversion) and the
/// expected conversion value; "removing" states fixes their x at 0 (they lead to null).
/// </summary>
internal sealed class AbsorbingChain
{
    /// <summary>Up to this many states a dense Gaussian elimination is exact and cheap; above, Gauss-Seidel.</summary>
    internal const int DenseLimit = 400;

    private const double Tolerance = 1e-14;
    private const int MaxSweeps = 1_000_000;

    private readonly int[] _rowStart;
    private readonly int[] _columns;
    private readonly double[] _probabilities;
    private readonly double[] _conversion;
    private readonly double[] _value;

    public AbsorbingChain(int[] rowStart, int[] columns, double[] probabilities, double[] conversion, double[] value)
    {
        _rowStart = rowStart;
        _columns = columns;
        _probabilities = probabilities;
        _conversion = conversion;
        _value = value;
    }

    public int StateCount => _conversion.Length;

    /// <summary>(P(conversion), expected conversion value) from the start state, with the flagged states removed.</summary>
    public (double Conversion, double Value) SolveFromStart(ReadOnlySpan<bool> removed) =>
        StateCount <= DenseLimit ? SolveDense(removed) : SolveIterative(removed);

    /// <summary>Both solvers on the same chain, so tests can check that they agree.</summary>
    internal (double Conversion, double Value) SolveFromStart(ReadOnlySpan<bool> removed, bool dense) =>
        dense ? SolveDense(removed) : SolveIterative(removed);

    private (double, double) SolveDense(ReadOnlySpan<bool> removed)
    {
        var n = StateCount;
        var index = new int[n];
        var m = 0;
        for (var s = 0; s < n; s++)
        {
            index[s] = removed[s] ? -1 : m++;
        }

        // Augmented matrix [I - Q | b_conv | b_value] over the kept states.
        var width = m + 2;
        var a = new double[m * width];
        for (var s = 0; s < n; s++)
        {
            var row = index[s];
            if (row < 0)
            {
                continue;
            }

            a[(row * width) + row] = 1;
            for (var k = _rowStart[s]; k < _rowStart[s + 1]; k++)
            {
                var column = index[_columns[k]];
                if (column >= 0)
                {
                    a[(row * width) + column] -= _probabilities[k];
                }
            }

            a[(row * width) + m] = _conversion[s];
            a[(row * width) + m + 1] = _value[s];
        }

        for (var pivot = 0; pivot < m; pivot++)
        {
            var best = pivot;
            for (var r = pivot + 1; r < m; r++)
            {
                if (Math.Abs(a[(r * width) + pivot]) > Math.Abs(a[(best * width) + pivot]))
                {
                    best = r;
                }
            }

            if (best != pivot)
            {
                for (var c = pivot; c < width; c++)
                {
                    (a[(pivot * width) + c], a[(best * width) + c]) = (a[(best * width) + c], a[(pivot * width) + c]);
                }
            }

            var diagonal = a[(pivot * width) + pivot];
            for (var r = pivot + 1; r < m; r++)
            {
                var factor = a[(r * width) + pivot] / diagonal;
                if (factor == 0)
                {
                    continue;
                }

                for (var c = pivot; c < width; c++)
                {
                    a[(r * width) + c] -= factor * a[(pivot * width) + c];
                }
            }
        }

        var x = new double[m * 2];
        for (var r = m - 1; r >= 0; r--)
        {
            var conversion = a[(r * width) + m];
            var value = a[(r * width) + m + 1];
            for (var c = r + 1; c < m; c++)
            {
                conversion -= a[(r * width) + c] * x[c * 2];
                value -= a[(r * width) + c] * x[(c * 2) + 1];
            }

            x[r * 2] = conversion / a[(r * width) + r];
            x[(r * 2) + 1] = value / a[(r * width) + r];
        }

        return (x[0], x[1]);
    }

    /// <summary>
    /// Gauss-Seidel from 0 (monotone, since every coefficient is non-negative). It stops when the last
    /// sweep's change, extrapolated with the observed contraction rate to the remaining error, is below
    /// 1e-14 relative — a step size alone would stop too early on slowly mixing chains.
    /// </summary>
    private (double, double) SolveIterative(ReadOnlySpan<bool> removed)
    {
        var n = StateCount;
        var h = new double[n];
        var g = new double[n];
        var previousDelta = double.PositiveInfinity;
        for (var sweep = 0; sweep < MaxSweeps; sweep++)
        {
            var delta = 0.0;
            var scale = 0.0;
            // Credit flows back from the absorbing states; later-discovered states are usually deeper.
            for (var s = n - 1; s >= 0; s--)
            {
                if (removed[s])
                {
                    continue;
                }

                var conversion = _conversion[s];
                var value = _value[s];
                for (var k = _rowStart[s]; k < _rowStart[s + 1]; k++)
                {
                    var t = _columns[k];
                    conversion += _probabilities[k] * h[t];
                    value += _probabilities[k] * g[t];
                }

                delta = Math.Max(delta, Math.Max(Math.Abs(conversion - h[s]), Math.Abs(value - g[s]) / Math.Max(1, Math.Abs(value))));
                scale = Math.Max(scale, conversion);
                h[s] = conversion;
                g[s] = value;
            }

            var rate = delta / previousDelta;
            var remaining = rate < 1 ? delta * rate / (1 - rate) : double.PositiveInfinity;
            if (delta == 0 || (delta <= Tolerance * Math.Max(scale, 1e-300) && remaining <= Tolerance * Math.Max(scale, 1e-300)))
            {
                return (h[0], g[0]);
            }

            previousDelta = delta;
        }

        throw new InvalidOperationException($"The absorbing-chain solve did not converge in {MaxSweeps} sweeps ({n} states).");
    }
}
