using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OmniTrackIQ.Collector.SharedState;

namespace OmniTrackIQ.Collector.Tests.SharedState;

/// <summary>
/// The redis-server tests/redis/start.sh started (<c>OTQ_REDIS</c>, default 127.0.0.1:16379): skips, or fails with
/// <c>CI=true</c>, when none answers. <see cref="ConnectAsync"/> gives a <see cref="RedisState"/> as one collector
/// node has it, on a clock of the test's own.
/// </summary>
internal static class RedisServer
{
    public static string Address { get; } = Environment.GetEnvironmentVariable("OTQ_REDIS") is { Length: > 0 } address ? address : "127.0.0.1:16379";

    /// <summary>A closed port: a Redis that is configured but away.</summary>
    public static string Away { get; } = "127.0.0.1:" + CollectorProcess.FreePort();

    public static async Task<RedisState> ConnectAsync(FakeTimeProvider time, string? address = null, TimeSpan? timeout = null, IMeterFactory? meters = null)
    {
        var options = new RedisOptions { Configuration = address ?? Address, Timeout = timeout ?? TimeSpan.FromSeconds(2) };
        var state = new RedisState(options, time, meters ?? new TestMeters(), NullLogger<RedisState>.Instance);
        await state.ConnectAsync();
        if (address is null && !state.TryRun("probe", db => db.Ping(), out _))
        {
            var why = $"no redis-server at {Address}; start one with tests/redis/start.sh or set OTQ_REDIS";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) { Assert.Fail("CI=true and " + why); }
            Skip.If(true, why);
        }

        return state;
    }

    /// <summary>Stops the server (its state kept) or starts it again, through tests/redis/stop.sh and start.sh.</summary>
    public static Task RunScriptAsync(string script) =>
        RepositoryScript.RunOrFailAsync(Path.Combine("tests", "redis", script), new Dictionary<string, string> { ["OTQ_REDIS_KEEP"] = "1" });

    /// <summary>
    /// A redis-server of the test's own (tests/redis/start.sh on a free port, its own state file), which the test may stop:
    /// the shared one is never stopped. Disposing stops it if it still runs and removes its files.
    /// </summary>
    internal sealed class Private : IAsyncDisposable
    {
        private readonly Dictionary<string, string> _environment;

        private Private(int port)
        {
            Address = "127.0.0.1:" + port;
            _environment = new Dictionary<string, string>
            {
                ["OTQ_REDIS_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["OTQ_REDIS_STATE"] = Path.Combine(Path.GetTempPath(), "otq-redis-" + Guid.NewGuid().ToString("N") + ".state"),
            };
        }

        public string Address { get; }

        public static async Task<Private> StartAsync()
        {
            var server = new Private(CollectorProcess.FreePort());
            await RepositoryScript.RunOrFailAsync(Path.Combine("tests", "redis", "start.sh"), server._environment);
            return server;
        }

        /// <summary>Stops it now (the test's Redis dies).</summary>
        public Task StopAsync() => RepositoryScript.RunOrFailAsync(Path.Combine("tests", "redis", "stop.sh"), _environment);

        public async ValueTask DisposeAsync() => await StopAsync();
    }

    /// <summary>An <see cref="IMeterFactory"/> whose meters a test can listen to.</summary>
    internal sealed class TestMeters : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        /// <summary>The meters made so far, for a test's <c>MetricCollector</c>.</summary>
        public IReadOnlyList<Meter> Meters => _meters;

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose()
        {
            foreach (var meter in _meters) { meter.Dispose(); }
        }
    }
}
