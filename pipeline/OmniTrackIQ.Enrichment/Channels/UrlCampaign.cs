using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.Enrichment.Channels;

/// <summary>
/// Fills campaign fields from the landing page's query string when the event did not carry them
/// (the browser pixel often only has the URL). Only the stored values are allocated.
/// </summary>
internal static class UrlCampaign
{
    // Longer values are not campaign tags but junk; they are ignored rather than stored.
    internal const int MaxValueLength = 1024;

    public static void Fill(TrackedEvent evt, bool fillUtm, bool fillClickId)
    {
        var query = UrlParts.Query(evt.PageUrl);
        while (!query.IsEmpty && (fillUtm || fillClickId))
        {
            var amp = query.IndexOf('&');
            var pair = amp < 0 ? query : query[..amp];
            query = amp < 0 ? [] : query[(amp + 1)..];

            var eq = pair.IndexOf('=');
            if (eq <= 0)
            {
                continue;
            }

            var key = pair[..eq];
            var raw = pair[(eq + 1)..];
            if (raw.IsEmpty || raw.Length > MaxValueLength)
            {
                continue;
            }

            if (fillUtm && key.StartsWith("utm_", StringComparison.OrdinalIgnoreCase))
            {
                SetUtm(evt, key[4..], raw);
            }
            else if (fillClickId && ClickIds.IndexOf(key) is var index and >= 0)
            {
                evt.ClickIdType = ClickIds.All[index].Name;
                evt.ClickId = Decode(raw);
                fillClickId = false;
            }
        }
    }

    private static void SetUtm(TrackedEvent evt, ReadOnlySpan<char> name, ReadOnlySpan<char> raw)
    {
        // First occurrence wins, as with click ids.
        if (name.Equals("source", StringComparison.OrdinalIgnoreCase))
        {
            evt.UtmSource = string.IsNullOrEmpty(evt.UtmSource) ? Decode(raw) : evt.UtmSource;
        }
        else if (name.Equals("medium", StringComparison.OrdinalIgnoreCase))
        {
            evt.UtmMedium = string.IsNullOrEmpty(evt.UtmMedium) ? Decode(raw) : evt.UtmMedium;
        }
        else if (name.Equals("campaign", StringComparison.OrdinalIgnoreCase))
        {
            evt.UtmCampaign = string.IsNullOrEmpty(evt.UtmCampaign) ? Decode(raw) : evt.UtmCampaign;
        }
        else if (name.Equals("term", StringComparison.OrdinalIgnoreCase))
        {
            evt.UtmTerm = string.IsNullOrEmpty(evt.UtmTerm) ? Decode(raw) : evt.UtmTerm;
        }
        else if (name.Equals("content", StringComparison.OrdinalIgnoreCase))
        {
            evt.UtmContent = string.IsNullOrEmpty(evt.UtmContent) ? Decode(raw) : evt.UtmContent;
        }
    }

    // application/x-www-form-urlencoded: '+' is a space, %XX are UTF-8 bytes. Malformed escapes stay
    // as they are (Uri's unescaping is lenient), so no input can throw here.
    internal static string? Decode(ReadOnlySpan<char> raw)
    {
        Span<char> buffer = stackalloc char[MaxValueLength];
        var plain = buffer[..raw.Length];
        raw.CopyTo(plain);
        plain.Replace('+', ' ');
        var value = plain.Contains('%') ? Uri.UnescapeDataString(plain) : new string(plain);
        value = value.Trim();
        return value.Length == 0 ? null : value;
    }
}
