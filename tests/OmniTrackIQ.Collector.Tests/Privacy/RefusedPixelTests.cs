using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OmniTrackIQ.Pipeline.Metrics;

namespace OmniTrackIQ.Collector.Tests.Privacy;

/// <summary>Issue 15: a refused pixel keeps only its query string with e-mails and phones hashed; one with an unknown key is only counted.</summary>
public sealed class RefusedPixelTests
{
    private static string Hash(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public async Task A_refused_pixel_is_kept_with_its_address_and_phone_hashed_and_an_unknown_keys_is_only_counted()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        using (await client.GetAsync("/p.gif?wk=wk_nobody&uid=jane.doe%40example.com")) { }
        using (await client.GetAsync($"/p.gif?wk={CollectorFactory.WriteKey}&t=bogus&uid=jane.doe%40example.com&aid=%2B1%20415%20555%200100")) { }

        var row = Assert.Single(await CollectorClient.WaitForBadEventsAsync(client, 1));
        Assert.Equal($"?wk={CollectorFactory.WriteKey}&t=bogus&uid={Hash("jane.doe@example.com")}&aid={Hash("+14155550100")}", row.GetProperty("payload").GetString());
        Assert.Equal((1, 1), (await MetricsScrape.ValueAsync(client, "otq_events_rejected_total{reason=\"unknown_write_key\"}"),
            await MetricsScrape.ValueAsync(client, "otq_events_rejected_total{reason=\"invalid_type\"}")));
    }
}
