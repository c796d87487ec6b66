namespace OmniTrackIQ.Collector.Hosting;

/// <summary>
/// <c>OmniTrack:PublicUrl</c>: the address browsers reach this collector at (e.g. <c>https://collect.shop.example</c>),
/// used where an answer would otherwise echo the request's Host header. Unset (<see cref="Value"/> null): answers that
/// name the collector are built from the request and never cached across hosts.
/// </summary>
public sealed class PublicUrl
{
    public const string Key = "OmniTrack:PublicUrl";

    public PublicUrl(Uri? value) => Value = value;

    public Uri? Value { get; }

    /// <summary>Read at start: a value that is not an absolute http(s) URL without query or fragment stops the collector.</summary>
    public static PublicUrl From(IConfiguration configuration)
    {
        var text = configuration[Key];
        if (string.IsNullOrWhiteSpace(text)) { return new PublicUrl(null); }
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Query.Length > 0 || url.Fragment.Length > 0
            || url.UserInfo.Length > 0)
        {
            throw new InvalidOperationException($"{Key} is '{text}'; it must be an absolute http or https URL without query, fragment or user, e.g. https://collect.shop.example");
        }

        return new PublicUrl(url);
    }
}
