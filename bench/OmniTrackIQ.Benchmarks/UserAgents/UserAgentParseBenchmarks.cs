using BenchmarkDotNet.Attributes;
using OmniTrackIQ.UserAgents;

namespace OmniTrackIQ.Benchmarks.UserAgents;

/// <summary>
/// Cost of one User-Agent parse: cold (every rule list walked, no cache) with interpreted and
/// IL-compiled regexes, and through the cache. Each invocation parses the 20-UA mix once;
/// results are per UA. Expected allocations: cached 0 B.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class UserAgentParseBenchmarks
{
    private UserAgentParser _parser = null!;
    private UserAgentCache _cache = null!;

    [Params(false, true)]
    public bool CompiledRegexes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _parser = UserAgentParser.FromFile(compiled: CompiledRegexes);
        _cache = new UserAgentCache(_parser, 1_000);
        foreach (var ua in UserAgentMix.All)
        {
            _cache.GetOrParse(ua);
        }
    }

    [Benchmark(OperationsPerInvoke = 20)]
    public int ColdParse()
    {
        var bots = 0;
        foreach (var ua in UserAgentMix.All)
        {
            bots += _parser.Parse(ua).IsBot ? 1 : 0;
        }

        return bots;
    }

    [Benchmark(OperationsPerInvoke = 20)]
    public int CachedParse()
    {
        var bots = 0;
        foreach (var ua in UserAgentMix.All)
        {
            bots += _cache.GetOrParse(ua).IsBot ? 1 : 0;
        }

        return bots;
    }
}
