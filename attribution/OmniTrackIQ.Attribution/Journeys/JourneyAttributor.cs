using OmniTrackIQ.Attribution.Heuristics;
using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Attribution.Journeys;

/// <summary>
/// Turns one person's journey — touches and conversions in time order, plus the time they first
/// identified — into attributed conversions and the aggregated paths Markov and Shapley read. Pure: the
/// worker feeds it from any store (DuckDB here, ClickHouse later), so the path rules live in one place:
/// <list type="bullet">
/// <item>a conversion's path is the touches at or before it and inside the lookback window (at most the
/// <see cref="DefaultMaxPathTouches"/> most recent);</item>
/// <item>the lead-creation touch (W-shaped) is the last touch at or before the first identify — the visit
/// in which the person became a lead;</item>
/// <item>touches after the last conversion form one non-converting path (a "null" for the
/// data-driven models), windowed back from its last touch.</item>
/// </list>
/// Not thread-safe (scratch buffers are reused): one instance per worker.
/// </summary>
public sealed class JourneyAttributor
{
    public const string Separator = " > ";
    public const string NoPath = "(none)";

    /// <summary>
    /// A path keeps at most this many of its most recent touches. Real journeys are far shorter; the cap
    /// bounds the work one abusive anonymous id (thousands of campaign-hopping page views) can cause.
    /// </summary>
    public const int DefaultMaxPathTouches = 1000;

    private readonly AttributionOptions _options;
    private readonly PathAttributor _attributor;
    private readonly IReadOnlyList<(string Name, HeuristicModel Model)> _models;
    private readonly int _maxPathTouches;
    private readonly bool _withPaths;
    private int[] _selected = new int[16];
    private double[] _credits = new double[16];

    /// <param name="withPaths">False when the caller reads only the conversions (<see cref="JourneyResult.Paths"/> stays empty, its per-path keys unbuilt).</param>
    public JourneyAttributor(AttributionOptions options, IReadOnlyList<(string Name, HeuristicModel Model)> models, int maxPathTouches = DefaultMaxPathTouches,
        bool withPaths = true)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPathTouches, 1);
        _maxPathTouches = maxPathTouches;
        _withPaths = withPaths;
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
        _attributor = new PathAttributor(_options);
        _models = models;
    }

    /// <param name="touches">The person's touches, time order.</param>
    /// <param name="conversions">The person's conversions, time order.</param>
    /// <param name="leadTimestampMs">Time of the person's first identify, if any.</param>
    public JourneyResult Attribute(IReadOnlyList<Touchpoint> touches, IReadOnlyList<JourneyConversion> conversions, long? leadTimestampMs)
    {
        ArgumentNullException.ThrowIfNull(touches);
        ArgumentNullException.ThrowIfNull(conversions);
        var journey = WithLeadFlag(touches, leadTimestampMs);
        var maxAgeMs = _options.Lookback is { } lookback ? (long)lookback.TotalMilliseconds : long.MaxValue;
        var attributed = new List<AttributedConversion>(conversions.Count);
        var forModels = new List<ConversionPath>(conversions.Count + 1);
        var end = 0;
        var lastConversionMs = long.MinValue;
        foreach (var conversion in conversions)
        {
            while (end < journey.Length && journey[end].TimestampMs <= conversion.TimestampMs) { end++; }
            var start = end;
            while (start > 0 && end - start < _maxPathTouches && conversion.TimestampMs - journey[start - 1].TimestampMs <= maxAgeMs) { start--; }
            var path = journey[start..end];
            var result = Attribute(conversion, path);
            attributed.Add(result.KeptIndices.Length > 0 ? result : result with { MissReason = MissReasonOf(journey.Length, end) });
            forModels.Add(new ConversionPath(path, conversion.TimestampMs, conversions: 1, value: conversion.Revenue));
            lastConversionMs = Math.Max(lastConversionMs, conversion.TimestampMs);
        }

        var tailStart = 0;
        while (tailStart < journey.Length && journey[tailStart].TimestampMs <= lastConversionMs) { tailStart++; }
        if (tailStart < journey.Length)
        {
            var tail = journey[Math.Max(tailStart, journey.Length - _maxPathTouches)..];
            forModels.Add(new ConversionPath(tail, tail[^1].TimestampMs, conversions: 0, nulls: 1));
        }

        return new JourneyResult(attributed, _withPaths ? PathCounts.Aggregate(forModels, _options, out _) : []);
    }

    /// <summary>Nothing kept: no touch at all, none up to the conversion, or none inside the window (paid-first never empties a path).</summary>
    private static string MissReasonOf(int touches, int touchesUpToConversion) =>
        touches == 0 ? MissReasons.NoVisit
        : touchesUpToConversion == 0 ? MissReasons.VisitsOnlyAfter
        : MissReasons.OutsideLookback;

    private AttributedConversion Attribute(JourneyConversion conversion, Touchpoint[] path)
    {
        if (_selected.Length < path.Length)
        {
            _selected = new int[path.Length * 2];
            _credits = new double[path.Length * 2];
        }

        var keptCount = TouchpointFilter.Select(path, conversion.TimestampMs, _options, _selected);
        var kept = _selected[..keptCount];
        var credits = new List<TouchCredit>(keptCount * _models.Count);
        if (keptCount > 0)
        {
            var span = _credits.AsSpan(0, path.Length);
            foreach (var (name, model) in _models)
            {
                span.Clear();
                _attributor.Attribute(model, path, conversion.TimestampMs, span);
                for (var i = 0; i < path.Length; i++)
                {
                    if (span[i] > 0) { credits.Add(new TouchCredit(name, i, span[i])); }
                }
            }
        }

        return new AttributedConversion(conversion, path, kept, credits);
    }

    private static Touchpoint[] WithLeadFlag(IReadOnlyList<Touchpoint> touches, long? leadTimestampMs)
    {
        var journey = new Touchpoint[touches.Count];
        var lead = -1;
        for (var i = 0; i < journey.Length; i++)
        {
            journey[i] = touches[i];
            if (i > 0 && journey[i].TimestampMs < journey[i - 1].TimestampMs)
            {
                throw new ArgumentException($"Touches must be in time order; index {i} is earlier than index {i - 1}.", nameof(touches));
            }

            if (leadTimestampMs is { } leadMs && journey[i].TimestampMs <= leadMs) { lead = i; }
        }

        if (lead >= 0)
        {
            var t = journey[lead];
            journey[lead] = new Touchpoint(t.Channel, t.TimestampMs, t.Flags | TouchFlags.LeadCreation, t.Source, t.Medium, t.Campaign);
        }

        return journey;
    }
}
