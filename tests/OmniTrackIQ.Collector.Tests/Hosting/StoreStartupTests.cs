using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OmniTrackIQ.Collector.Hosting;
using OmniTrackIQ.Collector.Tests.ClickHouse;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Pipeline.Startup;

namespace OmniTrackIQ.Collector.Tests.Hosting;

/// <summary>
/// Issue 18 item 4: the store's migrations are one start-up step. While it has not finished the collector still starts
/// and accepts into its spool, readers answer 503 <c>store_not_ready</c> with Retry-After (never a 500) and /readyz says
/// 503; the step is retried in the background until the store answers, then readers answer and the spool drains.
/// </summary>
public sealed class StoreStartupTests
{
    [Fact]
    public async Task Before_the_ClickHouse_step_has_run_readers_answer_503_store_not_ready_and_ingest_is_still_accepted()
    {
        using var gate = new TcpGate(upstreamPort: 9); // never opened: nothing listens on its port
        await using var factory = ClickHouseAt(gate.Port, "otq_not_ready");
        using var client = factory.CreateClient();

        foreach (var reader in new[] { "/v1/events/stats", "/v1/events", "/v1/orders/o-1" })
        {
            using var response = await GetAsync(client, reader);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(StoreNotReadyAnswerSeconds), response.Headers.RetryAfter?.Delta);
            var problem = await CollectorClient.ProblemAsync(response);
            Assert.Equal("store_not_ready", problem.GetProperty("reason").GetString());
            Assert.Equal("store", problem.GetProperty("field").GetString());
            Assert.StartsWith("store: the store is not ready (its migrations could not run yet: ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        using (var ready = await client.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal("store: unreachable\nspool: ok\n", await ready.Content.ReadAsStringAsync());
        }

        // The store being away does not stop ingest: the spool takes events, so the balancer keeps the node in.
        using (var ingestReady = await client.GetAsync("/readyz/ingest"))
        {
            Assert.Equal(HttpStatusCode.OK, ingestReady.StatusCode);
            Assert.Equal("spool: ok\n", await ingestReady.Content.ReadAsStringAsync());
        }

        using var batch = await client.PostAsync("/v1/batch", Payloads.Json(Payloads.Batch(Payloads.Event("e-1"))));
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        Assert.False(factory.Services.GetRequiredService<StoreReadiness>().IsReady);
    }

    [SkippableFact]
    public async Task The_step_is_tried_again_until_ClickHouse_answers_then_readers_answer_and_the_spool_drains()
    {
        await using var server = await ClickHouseTestServer.RequireAsync();
        using var gate = new TcpGate(server.Url.Port); // closed until the test opens it: the server is away
        await using var factory = ClickHouseAt(gate.Port, server.Database);
        using var client = factory.CreateClient();
        using (var batch = await client.PostAsync("/v1/batch", Payloads.Json(Payloads.Batch(Payloads.Event("e-1"), Payloads.Event("e-2")))))
        {
            Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        }

        var readiness = factory.Services.GetRequiredService<StoreReadiness>();
        Assert.False(readiness.IsReady);
        gate.Open();
        await readiness.WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, await CollectorClient.WaitForStoredAsync(client, 2));
        using var ready = await client.GetAsync("/readyz");
        Assert.Equal("store: ok\nspool: ok\n", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_host_start_waits_for_the_first_attempt_and_a_failed_one_is_tried_again_with_its_reason_kept()
    {
        var readiness = new StoreReadiness();
        var migrations = new RefusingMigrations(readiness, refusals: 2);
        var startup = new StoreStartup(migrations, readiness, new SinkOptions { RetryDelay = TimeSpan.FromMilliseconds(1), MaxRetryDelay = TimeSpan.FromMilliseconds(5) },
            TimeProvider.System, NullLogger<StoreStartup>.Instance);

        await startup.StartAsync(CancellationToken.None);

        Assert.InRange(migrations.Attempts, 1, 3); // the first attempt has run; later ones may have followed
        Assert.False(readiness.IsReady); // the third attempt succeeds only once the test lets it
        Assert.StartsWith("its migrations could not run yet: connection refused (attempt ", readiness.Reason, StringComparison.Ordinal);
        migrations.LetSucceed();
        await readiness.WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        await startup.StopAsync(CancellationToken.None);

        Assert.Equal(3, migrations.Attempts);
        Assert.Equal("ok", readiness.Reason);
    }

    private static int StoreNotReadyAnswerSeconds => Health.StoreNotReadyAnswer.RetryAfterSeconds;

    private static CollectorFactory ClickHouseAt(int port, string database)
    {
        var factory = new CollectorFactory();
        factory.Settings["OmniTrack:Store"] = "ClickHouse";
        factory.Settings["OmniTrack:ClickHouse:ConnectionString"] = $"Host=127.0.0.1;Port={port};Database={database}";
        factory.Settings["OmniTrack:ClickHouse:RequestTimeout"] = "00:00:05";
        factory.Settings["OmniTrack:Sink:RetryDelay"] = "00:00:00.050";
        factory.Settings["OmniTrack:Sink:MaxRetryDelay"] = "00:00:00.200";
        factory.Settings["OmniTrack:Attribution:IntervalSeconds"] = "0";
        return factory;
    }

    private static Task<HttpResponseMessage> GetAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", CollectorFactory.ReadToken);
        return client.SendAsync(request);
    }

    /// <summary>Refuses its first attempts as a server that is down does; the next one waits for the test, then succeeds.</summary>
    private sealed class RefusingMigrations(StoreReadiness readiness, int refusals) : IStoreMigrations
    {
        private readonly TaskCompletionSource _success = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        public void LetSucceed() => _success.TrySetResult();

        public async Task MigrateAsync(CancellationToken cancellationToken)
        {
            var attempt = Interlocked.Increment(ref _attempts);
            if (attempt <= refusals) { throw new HttpRequestException($"connection refused (attempt {attempt})"); }
            await _success.Task.WaitAsync(cancellationToken);
            readiness.MarkReady();
        }
    }
}
