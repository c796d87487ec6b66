using System.Text.Json;
using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.Pipeline.Ingest;

/// <summary>Reads an event's <c>context</c>: page, campaign, clickIds, traits, consent, userAgent.</summary>
internal static class ContextParser
{
    /// <summary>Click id names we keep, in priority order when several arrive.</summary>
    public static readonly string[] ClickIdNames = ["gclid", "gbraid", "wbraid", "fbclid", "ttclid", "msclkid", "li_fat_id", "ScCid", "epik"];

    public static IngestError? Parse(ref Utf8JsonReader reader, string path, TrackedEvent evt)
    {
        if (reader.TokenType == JsonTokenType.Null) { return null; }

        var error = JsonFields.ExpectObject(ref reader, path);
        while (error is null && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("page"u8)) { reader.Read(); error = ParsePage(ref reader, path + ".page", evt); }
            else if (reader.ValueTextEquals("campaign"u8)) { reader.Read(); error = ParseCampaign(ref reader, path + ".campaign", evt); }
            else if (reader.ValueTextEquals("clickIds"u8)) { reader.Read(); error = ParseClickIds(ref reader, path + ".clickIds", evt); }
            else if (reader.ValueTextEquals("traits"u8)) { reader.Read(); error = ParseTraits(ref reader, path + ".traits", evt); }
            else if (reader.ValueTextEquals("consent"u8)) { reader.Read(); error = ParseConsent(ref reader, path + ".consent", evt); }
            else if (reader.ValueTextEquals("userAgent"u8)) { reader.Read(); error = JsonFields.ReadString(ref reader, path + ".userAgent", WireLimits.MaxTextLength, out var v); evt.UserAgent = v; }
            else { reader.Read(); reader.Skip(); }
        }

        return error;
    }

    private static IngestError? ParsePage(ref Utf8JsonReader reader, string path, TrackedEvent evt)
    {
        if (reader.TokenType == JsonTokenType.Null) { return null; }

        var error = JsonFields.ExpectObject(ref reader, path);
        while (error is null && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("url"u8)) { reader.Read(); error = JsonFields.ReadString(ref reader, path + ".url", WireLimits.MaxUrlLength, out var v); evt.PageUrl = v; }
            else if (reader.ValueTextEquals("referrer"u8)) { reader.Read(); error = JsonFields.ReadString(ref reader, path + ".referrer", WireLimits.MaxUrlLength, out var v); evt.PageReferrer = v; }
            else if (reader.ValueTextEquals("title"u8)) { reader.Read(); error = JsonFields.ReadString(ref reader, path + ".title", WireLimits.MaxTextLength, out var v); evt.PageTitle = v; }
            else { reader.Read(); reader.Skip(); }
        }

        return error;
    }

    private static IngestError? ParseCampaign(ref Utf8JsonReader reader, string path, TrackedEvent evt)
    {
        if (reader.TokenType == JsonTokenType.Null) { return null; }

        var error = JsonFields.ExpectObject(ref reader, path);
        while (error is null && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            const int max = WireLimits.MaxTextLength;
            if (reader.ValueTextEquals("source"u8)) { reader.Read(); error = JsonFields.ReadString(ref reader, path + ".source", max, out var v); evt.UtmSource = v; }
            else if (reader.ValueTextEquals("medium"u8)) { reader.Read(); error = JsonFields.ReadString(ref reader, path + ".medium", max, out var v); evt.UtmMedium = v; }
            else if (reader.ValueTextEquals("name"u8)) { reader.Read(); error = JsonFields.ReadString(ref reader, path + ".name", max, out var v); evt.UtmCampaign = v; }
            else if (reader.ValueTextEquals("term"u8)) { reader.Read(); error = JsonFields.ReadString(ref reader, path + ".term", max, out var v); evt.UtmTerm = v; }
            else if (reader.ValueTextEquals("content"u8)) { reader.Read(); error = JsonFields.ReadString(ref reader, path + ".content", max, out var v); evt.UtmContent = v; }
            else { reader.Read(); reader.Skip(); }
        }

        return error;
    }

    private static IngestError? ParseClickIds(ref Utf8JsonReader reader, string path, TrackedEvent evt)
    {
        if (reader.TokenType == JsonTokenType.Null) { return null; }

        var error = JsonFields.ExpectObject(ref reader, path);
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

            error = JsonFields.ReadString(ref reader, $"{path}.{ClickIdNames[rank]}", WireLimits.MaxTextLength, out var value);
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

    private static IngestError? ParseTraits(ref Utf8JsonReader reader, string path, TrackedEvent evt)
    {
        if (reader.TokenType == JsonTokenType.Null) { return null; }

        var error = JsonFields.ExpectObject(ref reader, path);
        while (error is null && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("emailSha256"u8)) { reader.Read(); error = JsonFields.ReadString(ref reader, path + ".emailSha256", 64, out var v); evt.EmailSha256 = v; }
            else if (reader.ValueTextEquals("email"u8)) { reader.Read(); error = JsonFields.ReadString(ref reader, path + ".email", 320, out var v); evt.EmailClearText = v; }
            else { reader.Read(); reader.Skip(); }
        }

        return error;
    }

    private static IngestError? ParseConsent(ref Utf8JsonReader reader, string path, TrackedEvent evt)
    {
        if (reader.TokenType == JsonTokenType.Null) { return null; }

        var error = JsonFields.ExpectObject(ref reader, path);
        while (error is null && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("analytics"u8)) { reader.Read(); error = JsonFields.ReadBool(ref reader, path + ".analytics", out var v); evt.ConsentAnalytics = v; }
            else if (reader.ValueTextEquals("ads"u8)) { reader.Read(); error = JsonFields.ReadBool(ref reader, path + ".ads", out var v); evt.ConsentAds = v; }
            else { reader.Read(); reader.Skip(); }
        }

        return error;
    }
}
