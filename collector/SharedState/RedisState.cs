using System.Diagnostics.Metrics;
using OmniTrackIQ.Pipeline.Metrics;
using StackExchange.Redis;

namespace OmniTrackIQ.Collector.SharedState;

/// <summary>
/// The one Redis connection of the process and the rule every use follows: a call gets <see cref="RedisOptions.Timeout"/>
/// and goes through a <see cref="CircuitBreaker"/>; when Redis is not configured, not connected, slow, failing or the
/// breaker is open, the call is not made (or its answer not waited for) and the use takes its in-process form. Such a
/// fallback is counted (<c>otq_redis_fallbacks_total{use}</c>) and logged once per outage, never answered as a 5xx.
/// Every call made is counted too (<c>otq_redis_calls_total{use}</c>): an operator's calls per event.
/// </summary>
internal sealed partial class RedisState : IAsyncDisposable
{
    private readonly RedisOptions _options;
    private readonly CircuitBreaker _breaker;
    private readonly ILogger<RedisState> _logger;
    private readonly Counter<long> _fallbacks;
    private readonly Counter<long> _calls;
    private readonly Counter<long> _dropped;
    private readonly Lock _loggedLock = new();
    private readonly HashSet<string> _loggedUses = [];
    private ConnectionMultiplexer? _connection;
    private int _degraded; // 1 from a fallback until a call succeeds again: one log line per outage and use

    public RedisState(RedisOptions options, TimeProvider time, IMeterFactory meters, ILogger<RedisState> logger)
    {
        _options = options;
        _logger = logger;
        _breaker = new CircuitBreaker(options.FailuresToOpen, options.BreakerOpenFor, time);
        var meter = meters.Create(CollectorMetrics.MeterName);
        _fallbacks = meter.CreateCounter<long>("otq_redis_fallbacks_total",
            description: "Calls to the shared Redis not made or not answered in time, by use; each took its in-process form.");
        _calls = meter.CreateCounter<long>("otq_redis_calls_total",
            description: "Calls made to the shared Redis (round trips), by use.");
        _dropped = meter.CreateCounter<long>("otq_redis_keys_dropped_total",
            description: "Keys a use did not write to the shared Redis (its queue full, Redis away or failing, the node stopping), by use: hints the other nodes miss.");
    }

    /// <summary>Whether Redis is configured at all (without it every use is in process, and nothing is counted).</summary>
    public bool Configured => _options.Configuration is { Length: > 0 };

    /// <summary>Whether the connection is up now (the uses still fall back while the breaker is open).</summary>
    public bool IsConnected => _connection is { IsConnected: true };

    /// <summary>Connected and the breaker closed: calls are being made (not whether the next one will be answered in time).</summary>
    public bool Answering => IsConnected && !_breaker.IsOpen;

    /// <summary>The first connection attempt started by <see cref="StartConnecting"/>; done when it succeeded or gave up for now.</summary>
    public Task Connecting { get; private set; } = Task.CompletedTask;

    /// <summary>Connects in the background (<see cref="Connecting"/>), without holding up the host: Redis may come up after us.</summary>
    public void StartConnecting() => Connecting = Task.Run(ConnectAsync, CancellationToken.None);

    /// <summary>Connects; until then, and whenever it is away, the uses fall back.</summary>
    public async Task ConnectAsync()
    {
        if (!Configured) { return; }
        var configuration = ConfigurationOptions.Parse(_options.Configuration!);
        configuration.AbortOnConnectFail = false; // keep trying in the background: Redis may come up after us
        var ms = (int)Math.Max(1, _options.Timeout.TotalMilliseconds);
        (configuration.SyncTimeout, configuration.AsyncTimeout) = (ms, ms);
        configuration.ConnectTimeout = Math.Max(ms, 1_000);
        _connection = await ConnectionMultiplexer.ConnectAsync(configuration);
    }

    /// <summary>Runs a synchronous call (the rate limit's, on the request's thread), or answers false to fall back.</summary>
    public bool TryRun<T>(string use, Func<IDatabase, T> call, out T result)
    {
        result = default!;
        if (Database(use) is not { } database) { return false; }
        try
        {
            result = call(database);
            Succeeded();
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Failed(use, ex);
            return false;
        }
    }

    /// <summary>Runs an asynchronous call, waiting at most the timeout, or answers (false, default) to fall back.</summary>
    public async Task<(bool Ok, T Result)> TryRunAsync<T>(string use, Func<IDatabase, Task<T>> call)
    {
        if (Database(use) is not { } database) { return (false, default!); }
        try
        {
            var result = await call(database).WaitAsync(_options.Timeout);
            Succeeded();
            return (true, result);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Failed(use, ex);
            return (false, default!);
        }
    }

    private IDatabase? Database(string use)
    {
        if (!Configured) { return null; }
        if (_connection is { IsConnected: true } connection && _breaker.Allows())
        {
            _calls.Add(1, new KeyValuePair<string, object?>("use", use));
            return connection.GetDatabase();
        }

        Fallback(use, (Exception?)null);
        return null;
    }

    /// <summary>The timeout every call gets.</summary>
    public TimeSpan Timeout => _options.Timeout;

    /// <summary>Counts <paramref name="keys"/> a use gave up writing (a hint the other nodes will miss).</summary>
    public void Dropped(string use, long keys) => _dropped.Add(keys, new KeyValuePair<string, object?>("use", use));

    /// <summary>Counts and logs (once per outage) a fallback the use decided on itself, e.g. its queue was full.</summary>
    public void FellBack(string use, string reason)
    {
        if (Configured) { Fallback(use, reason); }
    }

    private void Succeeded()
    {
        _breaker.Succeeded();
        if (Interlocked.Exchange(ref _degraded, 0) == 0) { return; }
        lock (_loggedLock) { _loggedUses.Clear(); }
        LogBack(_logger);
    }

    private void Failed(string use, Exception ex)
    {
        _breaker.Failed();
        Fallback(use, ex);
    }

    private void Fallback(string use, Exception? ex) => Fallback(use, ex?.Message ?? "not connected or breaker open");

    private void Fallback(string use, string reason)
    {
        _fallbacks.Add(1, new KeyValuePair<string, object?>("use", use));
        Volatile.Write(ref _degraded, 1);
        bool first;
        lock (_loggedLock) { first = _loggedUses.Add(use); }
        if (first) { LogFallback(_logger, use, reason); }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis unavailable for {Use} ({Reason}): using the in-process form until it answers again")]
    private static partial void LogFallback(ILogger logger, string use, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis answers again: shared state in use")]
    private static partial void LogBack(ILogger logger);

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null) { await _connection.DisposeAsync(); }
    }
}
