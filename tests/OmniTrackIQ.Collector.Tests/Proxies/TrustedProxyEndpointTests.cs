using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OmniTrackIQ.Store.DuckDb;

namespace OmniTrackIQ.Collector.Tests.Proxies;

/// <summary>
/// The stored (anonymised, /24 and /48) ip of an event sent through <c>POST /v1/batch</c> from a given peer
/// with given forwarding headers. Trusted: 10.0.0.5, 10.1.0.0/16 and ::1.
/// </summary>
public sealed class TrustedProxyEndpointTests : IClassFixture<TrustedProxyEndpointTests.Host>
{
    private readonly Host _host;

    public TrustedProxyEndpointTests(Host host) => _host = host;

    [Theory]
    [InlineData("t1", "10.0.0.5", "X-Forwarded-For", "203.0.113.77", "203.0.113.0")]
    [InlineData("t2", "10.1.200.3", "X-Forwarded-For", "203.0.113.77", "203.0.113.0")]
    [InlineData("t3", "::1", "X-Forwarded-For", "2001:db8:cafe::17", "2001:db8:cafe::")]
    [InlineData("t4", "::ffff:10.0.0.5", "X-Forwarded-For", "203.0.113.77", "203.0.113.0")]
    // Each trusted hop is walked through; the first untrusted address from the right is the client.
    [InlineData("t5", "10.0.0.5", "X-Forwarded-For", "203.0.113.77, 10.1.0.9", "203.0.113.0")]
    // What the client itself wrote left of it is not believed.
    [InlineData("t6", "10.0.0.5", "X-Forwarded-For", "192.0.2.1, 203.0.113.77", "203.0.113.0")]
    [InlineData("t7", "10.0.0.5", "Forwarded", "for=203.0.113.77;proto=https", "203.0.113.0")]
    [InlineData("t8", "10.1.0.1", "Forwarded", "for=\"[2001:db8:cafe::17]:4711\"", "2001:db8:cafe::")]
    [InlineData("t9", "10.0.0.5", "Forwarded", "for=192.0.2.1, for=203.0.113.77, for=10.1.0.9", "203.0.113.0")]
    // An obfuscated or unknown nearest hop ends the walk: the proxy's own address is what is known.
    [InlineData("t10", "10.0.0.5", "Forwarded", "for=203.0.113.77, for=_hidden", "10.0.0.0")]
    [InlineData("t11", "10.0.0.5", "Forwarded", "for=unknown", "10.0.0.0")]
    [InlineData("t12", "10.0.0.5", "Forwarded", "for=203.0.113.77;;bad=\"", "10.0.0.0")]
    public async Task From_a_trusted_proxy_the_forwarded_client_address_is_stored(string id, string peer, string header, string value, string storedIp)
    {
        Assert.Equal(storedIp, await _host.StoredIpAsync(id, peer, (header, value)));
    }

    [Theory]
    [InlineData("u1", "198.51.100.9", "X-Forwarded-For", "203.0.113.77", "198.51.100.0")]
    [InlineData("u2", "198.51.100.9", "Forwarded", "for=203.0.113.77", "198.51.100.0")]
    [InlineData("u3", "127.0.0.1", "X-Forwarded-For", "203.0.113.77", "127.0.0.0")]
    [InlineData("u4", "10.2.0.1", "X-Forwarded-For", "203.0.113.77", "10.2.0.0")]
    public async Task A_spoofed_header_from_an_untrusted_peer_is_ignored(string id, string peer, string header, string value, string storedIp)
    {
        Assert.Equal(storedIp, await _host.StoredIpAsync(id, peer, (header, value)));
    }

    [Fact]
    public async Task With_X_Forwarded_For_present_Forwarded_is_not_read()
    {
        Assert.Equal("203.0.113.0", await _host.StoredIpAsync("b1", "10.0.0.5", ("X-Forwarded-For", "203.0.113.77"), ("Forwarded", "for=192.0.2.1")));
    }

    [Fact]
    public async Task With_no_trusted_proxy_configured_not_even_loopback_is_believed()
    {
        await using var collector = new CollectorFactory();
        await using var factory = TestPeer.Factory(collector);
        Assert.Equal("127.0.0.0", await StoredIpAsync(factory, "n1", "127.0.0.1", ("X-Forwarded-For", "203.0.113.77")));
        Assert.Equal("::", await StoredIpAsync(factory, "n2", "::1", ("Forwarded", "for=203.0.113.77")));
    }

    internal static async Task<string?> StoredIpAsync(WebApplicationFactory<Program> factory, string messageId, string peer, params (string Name, string Value)[] headers)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/batch") { Content = Payloads.Json(Payloads.Batch(Payloads.Event(messageId))) };
        request.Headers.Add(TestPeer.Header, peer);
        foreach (var (name, value) in headers) { request.Headers.TryAddWithoutValidation(name, value); }
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // The sink writes asynchronously; poll for the row, bounded, as CollectorClient.WaitForStoredAsync does.
        var database = factory.Services.GetRequiredService<DuckDbDatabase>();
        var (stored, ip) = await Poll.UntilAsync(() =>
        {
            using var connection = database.OpenReader();
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT ip FROM events WHERE workspace = 'shop' AND message_id = '{messageId}'";
            using var reader = command.ExecuteReader();
            return Task.FromResult(reader.Read() ? (true, reader.IsDBNull(0) ? null : reader.GetString(0)) : (false, (string?)null));
        }, found => found.Item1, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));
        Assert.True(stored, $"event {messageId} was not stored");
        return ip;
    }

    /// <summary>One collector for the class: every case uses its own message id.</summary>
    public sealed class Host : IAsyncLifetime
    {
        private readonly CollectorFactory _collector = new();
        private WebApplicationFactory<Program>? _factory;

        public Task InitializeAsync()
        {
            _factory = TestPeer.Factory(_collector, "10.0.0.5", "10.1.0.0/16", "::1");
            return Task.CompletedTask;
        }

        public Task<string?> StoredIpAsync(string messageId, string peer, params (string Name, string Value)[] headers) =>
            TrustedProxyEndpointTests.StoredIpAsync(_factory!, messageId, peer, headers);

        public async Task DisposeAsync()
        {
            if (_factory is not null) { await _factory.DisposeAsync(); }
            await _collector.DisposeAsync();
        }
    }
}
