using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using OmniTrackIQ.Collector.Hosting;
using OmniTrackIQ.Pipeline.Startup;

namespace OmniTrackIQ.Collector.Demo;

/// <summary>
/// Seeds the demo shop once the server listens: over HTTP to its own address, so every request takes the path real
/// traffic takes, once the store's start-up step has finished (its reads answer 503 before). A failure is printed and stops
/// the process with exit code 1; it never leaves a half-told success.
/// </summary>
internal sealed class DemoRunner(DemoKeys keys, IServer server, IHostApplicationLifetime lifetime, IConfiguration configuration, StoreReadiness storeReady)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            await started.Task;
        }

        await storeReady.WaitAsync(stoppingToken);

        try
        {
            var listening = Listening(server);
            using var client = new HttpClient { BaseAddress = listening, Timeout = TimeSpan.FromMinutes(2) };
            var watch = Stopwatch.StartNew();
            Console.Out.WriteLine($"Seeding the demo shop (workspace {DemoKeys.WorkspaceId}, seed {DemoHistory.Seed}) through {listening} …");
            var result = await DemoSeeder.RunAsync(client, keys, PublicUrl.From(configuration).Value ?? listening, Console.Error, !Console.IsErrorRedirected, stoppingToken);
            Console.Out.WriteLine(Summary(result, watch.Elapsed));
            if (configuration.GetValue<bool>(DemoShop.ExitKey)) { lifetime.StopApplication(); }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"demo: {ex.Message}");
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    public static string Summary(DemoResult result, TimeSpan elapsed)
    {
        var plan = result.Plan;
        return string.Create(CultureInfo.InvariantCulture, $"""
            Demo shop ready in {elapsed.TotalSeconds:F1} s: {plan.Visitors} visitors over {DemoHistory.Days} days ({plan.FirstDay:yyyy-MM-dd} to {plan.LastDay:yyyy-MM-dd}), {result.StoredEvents} stored events,
              {plan.SnippetOrders + plan.S2sOrders + plan.ShopifyOrders} orders (snippet {plan.SnippetOrders}, S2S {plan.S2sOrders}, Shopify {plan.ShopifyOrders}), {plan.Refunds} refunds,
              spend rows google {plan.SpendRows["google"]}, meta {plan.SpendRows["meta"]}, tiktok {plan.SpendRows["tiktok"]}; {result.AttributedConversions} conversions attributed.
            Open the report: {result.ReportUrl}
            (keys in demo-shop.json under the data directory; Ctrl+C stops the collector; any later start on this data directory serves the shop again, and `demo` again doubles nothing)
            """);
    }

    /// <summary>The first address Kestrel bound, with a wildcard host made loopback so the client can reach it.</summary>
    internal static Uri Listening(IServer server)
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("the server has no listening address");
        address = address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://[::1]", StringComparison.Ordinal);
        return new Uri(address);
    }
}
