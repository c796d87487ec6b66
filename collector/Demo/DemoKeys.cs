using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using OmniTrackIQ.Pipeline.Files;

namespace OmniTrackIQ.Collector.Demo;

/// <summary>
/// The demo shop's keys and the instant its history ends, made once in <c>{DataDirectory}/demo-shop.json</c> (owner-only).
/// Kept in clear, unlike the hashed demo workspace, because every <c>demo</c> run must sign, post and print with them;
/// keeping the end instant makes a later run rebuild byte-identical reports, so the store deduplicates all of them.
/// </summary>
internal sealed record DemoKeys(string WriteKey, string SecretKey, string ReadToken, string WebhookSecret, DateTimeOffset EndsAt)
{
    public const string WorkspaceId = "demo-shop";
    public const string ShopDomain = "demo-shop.myshopify.com";
    public const string FileName = "demo-shop.json";

    /// <summary>The keys an earlier <c>demo</c> made, or null when it never ran on this data directory.</summary>
    public static DemoKeys? Load(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path)) { return null; }
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        return new DemoKeys(Text(root, "writeKey"), Text(root, "secretKey"), Text(root, "readToken"), Text(root, "webhookSecret"),
            DateTimeOffset.Parse(Text(root, "endsAt"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal));
    }

    public static DemoKeys LoadOrCreate(string dataDirectory, DateTimeOffset now)
    {
        if (Load(dataDirectory) is { } existing) { return existing; }
        var path = Path.Combine(dataDirectory, FileName);

        // Whole seconds: the end instant is written to the payloads, and a round trip through the file must not change them.
        var keys = new DemoKeys("wk_" + Token(), "sk_" + Token(), "rt_" + Token(), "shpss_" + Token(),
            DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()));
        PrivateFiles.CreateDirectory(dataDirectory);
        using var file = PrivateFiles.Open(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        using var writer = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("workspace", WorkspaceId);
        writer.WriteString("writeKey", keys.WriteKey);
        writer.WriteString("secretKey", keys.SecretKey);
        writer.WriteString("readToken", keys.ReadToken);
        writer.WriteString("webhookSecret", keys.WebhookSecret);
        writer.WriteString("endsAt", keys.EndsAt.ToString("O", CultureInfo.InvariantCulture));
        writer.WriteEndObject();
        return keys;
    }

    /// <summary>The report over the demo's whole history (its 60 days up to the day it ends), the read token in the fragment.</summary>
    public string ReportUrl(Uri publicBase) =>
        new Uri(publicBase, "/report").AbsoluteUri + "#token=" + ReadToken
        + "&from=" + FirstDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
        + "&to=" + LastDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The first day of the history (<see cref="DemoHistory.Days"/> days up to and including <see cref="LastDay"/>).</summary>
    public DateOnly FirstDay => LastDay.AddDays(1 - DemoHistory.Days);

    public DateOnly LastDay => DateOnly.FromDateTime(EndsAt.UtcDateTime);

    private static string Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.GetString() is { Length: > 0 } text
            ? text
            : throw new InvalidDataException($"{FileName}: '{name}' is missing; delete the file (and the demo data) to make a new demo shop");

    private static string Token() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
