using System.Text.Json;
using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.Pipeline.Ingest;

/// <summary>
/// Reads an event's <c>context</c>: page, campaign, clickIds, traits, consent, userAgent, ip. Free text is cut at
/// its limit and flagged (<see cref="JsonFields.ReadFreeText"/>), never refused.
/// </summary>
internal static class ContextParser
{
    /// <summary>Click id names we keep, in priority order when several arrive.</summary>
    public static readonly string[] ClickIdNames = ["gclid", "gbraid", "wbraid", "fbclid", "ttclid", "msclkid", "li_fat_id", "ScCid", "epik"];

    private static readonly string[] s_clickIdPaths = [.. ClickIdNames.Select(name => "context.clickIds." + name)];

    public static IngestError? Parse(ref Utf8JsonReader reader, int index, TrackedEvent evt)
    {
        if (reader.TokenType == JsonTokenType.Null) { return null; }

        var error = JsonFields.ExpectObject(ref reader, new FieldPath(index, "context"));
        while (error is null && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("page"u8)) { reader.Read(); error = ParsePage(ref reader, index, evt); }
            else if (reader.ValueTextEquals("campaign"u8)) { reader.Read(); error = ParseCampaign(ref reader, index, evt); }
            else if (reader.ValueTextEquals("clickIds"u8)) { reader.Read(); error = ParseClickIds(ref reader, index, evt); }
            else if (reader.ValueTextEquals("traits"u8)) { reader.Read(); error = ParseTraits(ref reader, index, inContext: true, evt); }
            else if (reader.ValueTextEquals("consent"u8)) { reader.Read(); error = ParseConsent(ref reader, index, evt); }
            else if (reader.ValueTextEquals("userAgent"u8)) { reader.Read(); error = JsonFields.ReadFreeText(ref reader, new FieldPath(index, "context.userAgent"), WireLimits.MaxTextLength, evt, out var v); evt.UserAgent = v; }
            else if (reader.ValueTextEquals("ip"u8)) { reader.Read(); error = ReadIp(ref reader, new FieldPath(index, "context.ip"), evt); }
            else { reader.Read(); reader.Skip(); }
        }

        return error;
    }

    private static IngestError? ParsePage(ref Utf8JsonReader reader, int index, TrackedEvent evt)
    {
        const string Path = "context.page";
        if (reader.TokenType == JsonTokenType.Null) { return null; }

        var error = JsonFields.ExpectObject(ref reader, new FieldPath(index, Path));
        string? pagePath = null, search = null;
        while (error is null && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            const int url = WireLimits.MaxUrlLength;
            if (reader.ValueTextEquals("url"u8)) { reader.Read(); error = JsonFields.ReadFreeText(ref reader, new FieldPath(index, Path + ".url"), url, evt, out var v); evt.PageUrl = v; }
            else if (reader.ValueTextEquals("referrer"u8)) { reader.Read(); error = JsonFields.ReadFreeText(ref reader, new FieldPath(index, Path + ".referrer"), url, evt, out var v); evt.PageReferrer = v; }
            else if (reader.ValueTextEquals("title"u8)) { reader.Read(); error = JsonFields.ReadFreeText(ref reader, new FieldPath(index, Path + ".title"), WireLimits.MaxTextLength, evt, out var v); evt.PageTitle = v; }
            else if (reader.ValueTextEquals("path"u8)) { reader.Read(); error = JsonFields.ReadFreeText(ref reader, new FieldPath(index, Path + ".path"), url, evt, out pagePath); }
            else if (reader.ValueTextEquals("search"u8)) { reader.Read(); error = JsonFields.ReadFreeText(ref reader, new FieldPath(index, Path + ".search"), url, evt, out search); }
            else { reader.Read(); reader.Skip(); }
        }

        evt.PageUrl ??= PageUrls.FromPath(pagePath, search);
        return error;
    }

    private static IngestError? ParseCampaign(ref Utf8JsonReader reader, int index, TrackedEvent evt)
    {
        const string Path = "context.campaign";
        if (reader.TokenType == JsonTokenType.Null) { return null; }

        var error = JsonFields.ExpectObject(ref reader, new FieldPath(index, Path));
        while (error is null && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // Segment names utm_campaign "name"; analytics.js copies every other utm_X to X.
            const int max = WireLimits.MaxTextLength;
            if (reader.ValueTextEquals("source"u8)) { reader.Read(); error = JsonFields.ReadFreeText(ref reader, new FieldPath(index, Path + ".source"), max, evt, out var v); evt.UtmSource = v; }
            else if (reader.ValueTextEquals("medium"u8)) { reader.Read(); error = JsonFields.ReadFreeText(ref reader, new FieldPath(index, Path + ".medium"), max, evt, out var v); evt.UtmMedium = v; }
            else if (reader.ValueTextEquals("name"u8)) { reader.Read(); error = JsonFields.ReadFreeText(ref reader, new FieldPath(index, Path + ".name"), max, evt, out var v); evt.UtmCampaign = v; }
            else if (reader.ValueTextEquals("term"u8)) { reader.Read(); error = JsonFields.ReadFreeText(ref reader, new FieldPath(index, Path + ".term"), max, evt, out var v); evt.UtmTerm = v; }
            else if (reader.ValueTextEquals("content"u8)) { reader.Read(); error = JsonFields.ReadFreeText(ref reader, new FieldPath(index, Path + ".content"), max, evt, out var v); evt.UtmContent = v; }
            else { reader.Read(); reader.Skip(); }
        }

        return error;
    }

    private static IngestError? ParseClickIds(ref Utf8JsonReader reader, int index, TrackedEvent evt)
    {
        const string Path = "context.clickIds";
        if (reader.TokenType == JsonTokenType.Null) { return null; }

        var error = JsonFields.ExpectObject(ref reader, new FieldPath(index, Path));
        var bestRank = int.MaxValue;
        while (error is null && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var rank = RankOf(ref reader);
            reader.Read();
            if (rank < 0)
            {
                reader.Skip();
                continue;
            }

            error = JsonFields.ReadFreeText(ref reader, new FieldPath(index, s_clickIdPaths[rank]), WireLimits.MaxTextLength, evt, out var value);
            if (value is not null && rank < bestRank)
            {
                bestRank = rank;
                evt.ClickIdType = ClickIdNames[rank];
                evt.ClickId = value;
            }
        }

        return error;
    }

    private static int RankOf(ref Utf8JsonReader reader)
    {
        for (var i = 0; i < ClickIdNames.Length; i++)
        {
            if (reader.ValueTextEquals(ClickIdNames[i])) { return i; }
        }

        return -1;
    }

    /// <summary>Identity traits (<c>context.traits</c>, or an identify's <c>traits</c>): e-mail and phone, hashed later; other traits are not kept.</summary>
    public static IngestError? ParseTraits(ref Utf8JsonReader reader, int index, bool inContext, TrackedEvent evt)
    {
        // Segment's identify puts traits beside the event; every other call puts them in context.
        var email = new FieldPath(index, inContext ? "context.traits.email" : "traits.email");
        var emailHash = new FieldPath(index, inContext ? "context.traits.emailSha256" : "traits.emailSha256");
        var phone = new FieldPath(index, inContext ? "context.traits.phone" : "traits.phone");
        var phoneHash = new FieldPath(index, inContext ? "context.traits.phoneSha256" : "traits.phoneSha256");
        if (reader.TokenType == JsonTokenType.Null) { return null; }

        var error = JsonFields.ExpectObject(ref reader, new FieldPath(index, inContext ? "context.traits" : "traits"));
        while (error is null && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("emailSha256"u8)) { reader.Read(); error = JsonFields.ReadString(ref reader, emailHash, 64, out var v); evt.EmailSha256 = v; }
            else if (reader.ValueTextEquals("email"u8)) { reader.Read(); error = JsonFields.ReadString(ref reader, email, 320, out var v); evt.EmailClearText = v ?? evt.EmailClearText; }
            else if (reader.ValueTextEquals("phone"u8)) { reader.Read(); error = ReadPhone(ref reader, phone, evt); }
            else if (reader.ValueTextEquals("phoneSha256"u8)) { reader.Read(); error = JsonFields.ReadString(ref reader, phoneHash, 64, out var v); evt.PhoneSha256 = v; }
            else { reader.Read(); reader.Skip(); }
        }

        return error;
    }

    private static IngestError? ParseConsent(ref Utf8JsonReader reader, int index, TrackedEvent evt)
    {
        const string Path = "context.consent";
        if (reader.TokenType == JsonTokenType.Null) { return null; }

        var error = JsonFields.ExpectObject(ref reader, new FieldPath(index, Path));
        while (error is null && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("analytics"u8)) { reader.Read(); error = JsonFields.ReadBool(ref reader, new FieldPath(index, Path + ".analytics"), out var v); evt.ConsentAnalytics = v; }
            else if (reader.ValueTextEquals("ads"u8)) { reader.Read(); error = JsonFields.ReadBool(ref reader, new FieldPath(index, Path + ".ads"), out var v); evt.ConsentAds = v; }
            else { reader.Read(); reader.Skip(); }
        }

        return error;
    }

    private static IngestError? ReadPhone(ref Utf8JsonReader reader, FieldPath path, TrackedEvent evt)
    {
        // Phones arrive as strings or numbers (4155550100); either way only their hash is kept.
        if (reader.TokenType == JsonTokenType.Number)
        {
            evt.PhoneClearText = System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
            return null;
        }

        var error = JsonFields.ReadString(ref reader, path, 64, out var phone);
        if (phone is not null) { evt.PhoneClearText = phone; }
        return error;
    }

    private static IngestError? ReadIp(ref Utf8JsonReader reader, FieldPath path, TrackedEvent evt)
    {
        var error = JsonFields.ReadString(ref reader, path, 64, out var text);
        if (error is not null || text is null) { return error; }

        // A server-side client reports the visitor's address; one we cannot read is dropped, not fatal.
        if (text.AsSpan().IndexOfAny('.', ':') >= 0 && System.Net.IPAddress.TryParse(text, out var ip)) { evt.ContextIp = ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip; }
        else { evt.Flag("dropped:" + path.ToString()); }
        return null;
    }
}
