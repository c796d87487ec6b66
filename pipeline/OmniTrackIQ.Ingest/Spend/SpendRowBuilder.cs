using System.Globalization;
using OmniTrackIQ.Pipeline.Ingest;

namespace OmniTrackIQ.Pipeline.Spend;

/// <summary>Field rules shared by the JSON and CSV parsers; each refusal names the row and field.</summary>
internal static class SpendRowBuilder
{
    public static IngestError? Build(SpendRowRef at, string? date, string? platform, string? campaign, decimal? spend,
        string? currency, long? impressions, long? clicks, string? channel, out SpendRow? row)
    {
        row = null;
        if (string.IsNullOrWhiteSpace(date)) { return Missing(at, "date"); }
        if (!DateOnly.TryParseExact(date.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return Bad(at, "date", "must be a date as yyyy-MM-dd, e.g. 2026-11-01", "invalid_date");
        }

        if (day < SpendLimits.FirstDate || day > SpendLimits.LastDate)
        {
            return Bad(at, "date", $"must be from {SpendLimits.FirstDate:yyyy-MM-dd} to {SpendLimits.LastDate:yyyy-MM-dd}", "invalid_date");
        }

        var error = Name(at, "platform", platform, required: true, out var platformName);
        if (error is not null) { return error; }
        error = Name(at, "campaign", campaign, required: true, out var campaignName);
        if (error is not null) { return error; }
        error = Name(at, "channel", channel, required: false, out var channelName);
        if (error is not null) { return error; }

        if (spend is not { } amount) { return Missing(at, "spend"); }
        if (amount < 0) { return Bad(at, "spend", "must not be negative", "invalid_spend"); }
        if (amount > SpendLimits.MaxSpend) { return Bad(at, "spend", $"is over the limit of {SpendLimits.MaxSpend.ToString(CultureInfo.InvariantCulture)}", "invalid_spend"); }

        if (string.IsNullOrWhiteSpace(currency)) { return Missing(at, "currency"); }
        var code = currency.Trim();
        if (code.Length != 3 || !char.IsAsciiLetter(code[0]) || !char.IsAsciiLetter(code[1]) || !char.IsAsciiLetter(code[2]))
        {
            return Bad(at, "currency", "must be a 3-letter ISO 4217 code, e.g. EUR", "invalid_currency");
        }

        if (impressions is < 0 or > SpendLimits.MaxCount) { return NotCount(at, "impressions"); }
        if (clicks is < 0 or > SpendLimits.MaxCount) { return NotCount(at, "clicks"); }

        var lowerPlatform = platformName!.ToLowerInvariant();
        row = new SpendRow(day, lowerPlatform, channelName ?? SpendPlatforms.ChannelOf(lowerPlatform), campaignName!,
            Math.Round(amount, SpendLimits.SpendDecimals, MidpointRounding.ToEven), code.ToUpperInvariant(), impressions, clicks);
        return null;
    }

    /// <summary>
    /// The platform's campaign id and, where the export gives them, ad group and ad (ids and names): each at most
    /// <see cref="SpendLimits.MaxNameLength"/> characters, trimmed, "" when absent.
    /// </summary>
    public static IngestError? WithLevels(SpendRowRef at, SpendRow row, string? campaignId, string? adGroupId, string? adGroup,
        string? adId, string? ad, out SpendRow? withLevels)
    {
        withLevels = null;
        var error = Name(at, "campaign_id", campaignId, required: false, out var campaignIdText);
        if (error is not null) { return error; }
        error = Name(at, "ad_group_id", adGroupId, required: false, out var adGroupIdText);
        if (error is not null) { return error; }
        error = Name(at, "ad_group", adGroup, required: false, out var adGroupText);
        if (error is not null) { return error; }
        error = Name(at, "ad_id", adId, required: false, out var adIdText);
        if (error is not null) { return error; }
        error = Name(at, "ad", ad, required: false, out var adText);
        if (error is not null) { return error; }
        withLevels = row with
        {
            CampaignId = campaignIdText ?? "",
            AdGroupId = adGroupIdText ?? "",
            AdGroup = adGroupText ?? "",
            AdId = adIdText ?? "",
            Ad = adText ?? "",
        };
        return null;
    }

    public static IngestError Missing(SpendRowRef at, string field) => Bad(at, field, "is required", "missing_field");

    public static IngestError NotCount(SpendRowRef at, string field) => Bad(at, field, $"must be an integer from 0 to {SpendLimits.MaxCount}", "invalid_count");

    public static IngestError Bad(SpendRowRef at, string field, string detail, string reason) =>
        IngestError.BadRequest(at.Field(field), detail, reason);

    private static IngestError? Name(SpendRowRef at, string field, string? value, bool required, out string? name)
    {
        name = null;
        if (string.IsNullOrWhiteSpace(value)) { return required ? Missing(at, field) : null; }
        name = value.Trim();
        if (name.Length > SpendLimits.MaxNameLength)
        {
            return Bad(at, field, $"is longer than the limit of {SpendLimits.MaxNameLength} characters", "too_long");
        }

        return null;
    }
}
