using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Collector.Tests.Attribution;

/// <summary>Issue 15: <c>POST /v1/attribution/run</c> is one at a time per workspace; a second one meanwhile is 409.</summary>
public sealed class RecomputeOneAtATimeTests
{
    /// <summary>The real store, whose full recompute waits, once entered, until the test releases it.</summary>
    private sealed class HeldRecompute(IAttributionStore inner) : IAttributionStore
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<AttributionRun> RunAsync(string workspace, AttributionSettings settings, CancellationToken cancellationToken) =>
            inner.RunAsync(workspace, settings, cancellationToken);

        public async Task<AttributionRun> RecomputeAsync(string workspace, AttributionSettings settings, IProgress<AttributionProgress>? progress,
            CancellationToken cancellationToken)
        {
            if (workspace == "shop")
            {
                Entered.TrySetResult();
                await Release.Task.WaitAsync(cancellationToken);
            }

            return await inner.RecomputeAsync(workspace, settings, progress, cancellationToken);
        }

        public Task<AttributionRun> BackfillAsync(string workspace, AttributionSettings settings, DateTime? from, DateTime? to,
            IProgress<AttributionProgress>? progress, CancellationToken cancellationToken) =>
            inner.BackfillAsync(workspace, settings, from, to, progress, cancellationToken);
    }

    [Fact]
    public async Task A_second_run_of_a_workspace_while_one_runs_is_409_and_other_workspaces_and_later_runs_pass()
    {
        HeldRecompute? held = null;
        await using var collector = new CollectorFactory();
        collector.Settings["OmniTrack:Attribution:IntervalSeconds"] = "0";
        await using var factory = collector.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        {
            var real = s.Last(d => d.ServiceType == typeof(IAttributionStore));
            s.AddSingleton<IAttributionStore>(sp => held = new HeldRecompute((IAttributionStore)real.ImplementationFactory!(sp)));
        }));
        using var client = factory.CreateClient();

        var first = PostRunAsync(client, CollectorFactory.ReadToken);
        await held!.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        using (var second = await PostRunAsync(client, CollectorFactory.ReadToken))
        {
            Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
            var problem = await CollectorClient.ProblemAsync(second);
            Assert.Equal("workspace", problem.GetProperty("field").GetString());
            Assert.Equal("recompute_running", problem.GetProperty("reason").GetString());
        }

        using (var other = await PostRunAsync(client, CollectorFactory.OtherReadToken)) { Assert.Equal(HttpStatusCode.OK, other.StatusCode); }

        held.Release.SetResult();
        using (var finished = await first) { Assert.Equal(HttpStatusCode.OK, finished.StatusCode); }
        using (var again = await PostRunAsync(client, CollectorFactory.ReadToken)) { Assert.Equal(HttpStatusCode.OK, again.StatusCode); }
    }

    private static async Task<HttpResponseMessage> PostRunAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/attribution/run");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }
}
