using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OmniTrackIQ.Collector.Hosting;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Store.DuckDb;

namespace OmniTrackIQ.Collector.Tests;

/// <summary><c>--role</c>: each role maps only its own endpoints and services.</summary>
public sealed class RoleTests
{
    [Theory]
    [InlineData("all", "/v1/batch", true, "/v1/attribution/summary", true)]
    [InlineData("ingest", "/v1/batch", true, "/v1/attribution/summary", false)]
    [InlineData("api", "/v1/batch", false, "/v1/attribution/summary", true)]
    [InlineData("attribute", "/v1/batch", false, "/v1/attribution/summary", false)]
    public async Task A_role_serves_only_its_endpoints(string role, string ingestUrl, bool ingests, string apiUrl, bool serves)
    {
        await using var factory = new CollectorFactory();
        factory.Settings["role"] = role;
        using var client = factory.CreateClient();

        using var batch = await client.PostAsync(ingestUrl, Payloads.Json(Payloads.Batch()));
        Assert.Equal(ingests, batch.StatusCode != HttpStatusCode.NotFound);

        using var request = new HttpRequestMessage(HttpMethod.Get, apiUrl);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", CollectorFactory.ReadToken);
        using var summary = await client.SendAsync(request);
        Assert.Equal(serves ? HttpStatusCode.OK : HttpStatusCode.NotFound, summary.StatusCode);

        using var ready = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains(ingests ? "spool: ok" : "spool: not in this role", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // What a balancer in front of ingest nodes checks: a node of a role without ingest is never one to send events to.
        using var ingestReady = await client.GetAsync("/readyz/ingest");
        Assert.Equal(ingests ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable, ingestReady.StatusCode);
        Assert.Equal(ingests ? "spool: ok\n" : "spool: this role does not ingest\n", await ingestReady.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_attribute_role_runs_the_worker_over_stored_events()
    {
        await using var factory = new CollectorFactory();
        factory.Settings["role"] = "attribute";
        factory.Settings["OmniTrack:Attribution:IntervalSeconds"] = "1";
        using var client = factory.CreateClient(); // starts the host
        var database = factory.Services.GetRequiredService<DuckDbDatabase>();
        var store = new DuckDbEventStore(database);
        var day = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
        await store.WriteEventsAsync(
        [
            new TrackedEvent { Workspace = "shop", MessageId = "p", Type = EventType.Page, AnonymousId = "a", Channel = "Email", Ts = day, ReceivedAt = day },
            new TrackedEvent { Workspace = "shop", MessageId = "c", Type = EventType.Conversion, AnonymousId = "a", OrderId = "o", Revenue = 9, Ts = day.AddHours(1), ReceivedAt = day },
        ], CancellationToken.None);

        // Bounded poll (the worker ticks every second); the assertion is on the stored result, not on timing.
        var credit = await Poll.UntilAsync(() =>
        {
            using var connection = database.OpenReader();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT coalesce(sum(credit), 0) FROM attribution_results WHERE workspace = 'shop' AND model = 'last' AND channel = 'Email'";
            return Task.FromResult(Convert.ToDouble(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
        }, value => value != 0, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));

        Assert.Equal(1, credit, 12);
        var metrics = await client.GetStringAsync("/metrics"); // OpenTelemetry's exposition writes a series without labels as name{}
        Assert.Matches(@"(?m)^otq_attribution_runs_total(\{\})? [1-9]\d*$", metrics);
        Assert.Matches(@"(?m)^otq_attribution_conversions_total(\{\})? 1$", metrics);
        Assert.Matches(@"(?m)^otq_attribution_run_failures_total(\{\})? 0$", metrics);
        Assert.Matches(@"(?m)^otq_attribution_last_run_seconds(\{\})? \d", metrics);
    }

    [Theory]
    [InlineData("load", "load stage runs inside the ingest process")]
    [InlineData("everything", "must be one of all, ingest, attribute, api")]
    public void An_unknown_role_is_refused_with_the_reason(string role, string reason)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["role"] = role }).Build();
        Assert.False(CollectorRoles.TryParse(configuration, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void No_role_means_all()
    {
        Assert.True(CollectorRoles.TryParse(new ConfigurationBuilder().Build(), out var role, out _));
        Assert.Equal(CollectorRole.All, role);
    }
}
