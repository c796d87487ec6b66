using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace OmniTrackIQ.Pipeline.Metrics;

/// <summary>A counter split by one label value (e.g. rejection reason). Labels come from code, never from input.</summary>
public sealed class LabeledCounter
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> _values = new(StringComparer.Ordinal);

    public void Add(string label, long amount = 1) =>
        Interlocked.Add(ref _values.GetOrAdd(label, static _ => new StrongBox<long>()).Value, amount);

    public long Get(string label) => _values.TryGetValue(label, out var box) ? Interlocked.Read(ref box.Value) : 0;

    public IEnumerable<KeyValuePair<string, long>> Snapshot()
    {
        foreach (var pair in _values.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            yield return new(pair.Key, Interlocked.Read(ref pair.Value.Value));
        }
    }
}

