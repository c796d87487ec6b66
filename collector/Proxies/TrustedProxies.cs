using System.Net;
using System.Net.Sockets;

namespace OmniTrackIQ.Collector.Proxies;

/// <summary>
/// The peers allowed to tell us who the client is (<c>OmniTrack:Ingest:TrustedProxies</c>): single
/// addresses and CIDR ranges. Empty means no peer is trusted, loopback included: the collector then
/// stores the TCP peer's address, whatever headers say.
/// </summary>
internal sealed class TrustedProxies
{
    public const string ConfigKey = "OmniTrack:Ingest:TrustedProxies";

    private TrustedProxies(List<IPAddress> addresses, List<IPNetwork> networks)
    {
        Addresses = addresses;
        Networks = networks;
    }

    public IReadOnlyList<IPAddress> Addresses { get; }

    public IReadOnlyList<IPNetwork> Networks { get; }

    public bool IsEmpty => Addresses.Count == 0 && Networks.Count == 0;

    /// <summary>True when <paramref name="address"/> is configured, directly or in a range; an IPv4-mapped IPv6 peer (dual-mode socket) counts as its IPv4 address.</summary>
    public bool Contains(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6 && Contains(address.MapToIPv4())) { return true; }
        foreach (var known in Addresses)
        {
            if (known.Equals(address)) { return true; }
        }

        foreach (var network in Networks)
        {
            if (network.Contains(address)) { return true; }
        }

        return false;
    }

    public static TrustedProxies From(IConfiguration configuration) =>
        Parse(configuration.GetSection(ConfigKey).GetChildren().Select(c => (c.Path, c.Value)));

    /// <summary>Parses every entry or throws naming the first bad one, so a typo fails at startup instead of trusting nobody (or everybody) silently.</summary>
    public static TrustedProxies Parse(IEnumerable<(string Key, string? Value)> entries)
    {
        var addresses = new List<IPAddress>();
        var networks = new List<IPNetwork>();
        foreach (var (key, raw) in entries)
        {
            var value = raw?.Trim() ?? "";
            if (value.Contains('/', StringComparison.Ordinal))
            {
                var slash = value.IndexOf('/', StringComparison.Ordinal);
                // IPNetwork.TryParse masks "10.1.0.5/16" to 10.1.0.0/16; refused here, as it is likely a typo for one address.
                if (!TryParseAddress(value[..slash], out var baseAddress) || !IPNetwork.TryParse(value, out var network) || !network.BaseAddress.Equals(baseAddress))
                {
                    throw Invalid(key, value, "is not a CIDR range such as 10.1.0.0/16 or 2001:db8::/32 (the address must have no bits set past the prefix length)");
                }

                networks.Add(network);
            }
            else if (TryParseAddress(value, out var address))
            {
                addresses.Add(address);
            }
            else
            {
                throw Invalid(key, value, "is not an IP address (10.0.0.5, ::1) or a CIDR range (10.1.0.0/16)");
            }
        }

        return new TrustedProxies(addresses, networks);
    }

    /// <summary>Stricter than <see cref="IPAddress.TryParse(string?, out IPAddress?)"/>, which reads "10.1" as 10.0.0.1: IPv4 must be a dotted quad.</summary>
    private static bool TryParseAddress(string value, out IPAddress address)
    {
        address = IPAddress.None;
        if (!IPAddress.TryParse(value, out var parsed) || parsed.AddressFamily == AddressFamily.InterNetworkV6 && parsed.ScopeId != 0) { return false; }
        if (parsed.AddressFamily == AddressFamily.InterNetwork && value.Count(c => c == '.') != 3) { return false; }
        address = parsed;
        return true;
    }

    private static InvalidOperationException Invalid(string key, string value, string problem) =>
        new($"{key}: '{value}' {problem}");
}
