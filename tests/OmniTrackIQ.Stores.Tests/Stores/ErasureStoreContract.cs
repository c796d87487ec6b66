using System.Globalization;
using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Pipeline.Erasure;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Orders;
using OmniTrackIQ.Pipeline.Privacy;
using OmniTrackIQ.Pipeline.Sink;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>A store's parts an erasure touches: events, attribution runs, the order ledger and the erasure itself.</summary>
public sealed record ErasureStoreUnderTest(IEventStore Events, IAttributionStore Runs, IOrderLedger Orders, IErasureStore Erasure);

/// <summary>
/// Issue 20: a person (Shopify <c>customers/redact</c>) or a shop (<c>shop/redact</c>) is erased from every table of
/// every store. After the erasure (and, on ClickHouse, its mutations) every row of every table is read as text and
/// none may hold one of the person's identifiers; the neighbour's rows are untouched, and the person's order stays as
/// an anonymous row with its revenue and channel credit.
/// </summary>
public abstract class ErasureStoreContract
{
    private static readonly AttributionSettings Settings = new() { LookbackDays = 30 };

    private readonly string _suffix = Guid.NewGuid().ToString("N")[..10];

    private protected AttributionData Data { get; } = new("erase-" + Guid.NewGuid().ToString("N")[..12]);

    private string Ws => Data.Workspace;

    private string Phone => "jane-phone-" + _suffix;

    private string Laptop => "jane-laptop-" + _suffix;

    private string OldId => "jane-old-" + _suffix;

    private string Bob => "bob-" + _suffix;

    /// <summary>A Shopify customer id: 13 digits, unique to this test.</summary>
    private string CustomerId { get; } = "7" + Random.Shared.NextInt64(100_000_000_000, 999_999_999_999).ToString(CultureInfo.InvariantCulture);

    private string Email => $"jane.{_suffix}@example.com";

    private string EmailHash => EmailHasher.Hash(Email)!;

    private string PhoneHash => PhoneHasher.Hash("+4915112345678")!;

    /// <summary>A Shopify order id, unique to this test (the ClickHouse database is shared by the class).</summary>
    private string OrderId { get; } = "5001" + Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture);

    protected abstract Task<ErasureStoreUnderTest> OpenAsync();

    /// <summary>Every row of every table of the store, as text, with its table.</summary>
    protected abstract Task<IReadOnlyList<(string Table, string Row)>> AllRowsAsync();

    /// <summary>Returns once deletes the store finishes in the background are finished (nothing to wait for by default).</summary>
    protected virtual Task SettleAsync() => Task.CompletedTask;

    [SkippableFact]
    public async Task A_redacted_customer_is_in_no_table_afterwards_and_their_order_stays_anonymous()
    {
        var s = await OpenAsync();
        await WriteHistoryAsync(s);
        await s.Runs.RunAsync(Ws, Settings, CancellationToken.None);
        var before = await s.Orders.GetAsync(Ws, OrderId, CancellationToken.None);
        Assert.NotNull(before);
        Assert.Equal(["Paid Search", "Email"], before.Touches.Select(t => t.Channel));

        var erasure = new PersonErasure(s.Erasure);
        // As Shopify names the customer: id, e-mail, the orders to redact.
        var (keys, counts) = await erasure.EraseAsync(Ws, new ErasureRequest { UserIds = [CustomerId], Emails = [Email], OrderIds = [OrderId] }, CancellationToken.None);
        await SettleAsync();

        Assert.Contains(PersonKey.Anonymous(Phone), keys);
        Assert.Contains(PersonKey.Anonymous(Laptop), keys);
        Assert.Contains(PersonKey.Anonymous(OldId), keys);
        Assert.Contains(PersonKey.Phone(PhoneHash), keys);
        Assert.DoesNotContain(keys, k => k.Value.Contains(Bob, StringComparison.Ordinal));
        // Two reports of the order (pixel and webhook) made anonymous; five other rows of hers deleted.
        Assert.Equal(new ErasureCounts(5, 2, counts.LinksDeleted), counts);
        Assert.True(counts.LinksDeleted > 0);

        var rows = await AllRowsAsync();
        string[] hers = [Phone, Laptop, OldId, CustomerId, EmailHash, PhoneHash, "tok-" + _suffix, "198.51.100.0"];
        var left = rows.Where(r => hers.Any(id => r.Row.Contains(id, StringComparison.Ordinal))).ToList();
        Assert.True(left.Count == 0, "still stored: " + string.Join("\n", left.Select(r => $"{r.Table}: {r.Row}")));

        // Bob is untouched: his three events, his bad event.
        Assert.Equal(3, rows.Count(r => r.Table == "events" && r.Row.Contains(Bob, StringComparison.Ordinal)));
        Assert.Single(rows, r => r.Table == "bad_events" && r.Row.Contains(Bob, StringComparison.Ordinal));

        // The order is still the shop's revenue, credited as before, and names only itself.
        var after = await s.Orders.GetAsync(Ws, OrderId, CancellationToken.None);
        Assert.NotNull(after);
        Assert.Equal(100m, after.Gross);
        Assert.Equal(["pixel", "shopify"], after.Sources.Order(StringComparer.Ordinal));
        Assert.Equal(["Paid Search", "Email"], after.Touches.Select(t => t.Channel));
        Assert.NotEmpty(before.IdentityKeys);
        Assert.Empty(after.IdentityKeys);
    }

    [SkippableFact]
    public async Task An_export_holds_the_persons_rows_and_no_one_elses()
    {
        var s = await OpenAsync();
        await WriteHistoryAsync(s);
        await s.Runs.RunAsync(Ws, Settings, CancellationToken.None);

        var erasure = new PersonErasure(s.Erasure);
        var keys = await erasure.ResolveAsync(Ws, new ErasureRequest { UserIds = [CustomerId] }, CancellationToken.None);
        var rows = await s.Erasure.ExportAsync(Ws, keys, CancellationToken.None);

        Assert.Equal(7, rows.Count(r => r.Table == "events"));
        Assert.Contains(rows, r => r.Table == "identity_links");
        Assert.DoesNotContain(rows, r => r.Json.Contains(Bob, StringComparison.Ordinal));
        Assert.All(rows.Where(r => r.Table == "events"), r => Assert.StartsWith("{", r.Json, StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task A_redacted_shop_leaves_no_row_of_its_workspace_in_any_table()
    {
        var s = await OpenAsync();
        await WriteHistoryAsync(s);
        var other = new AttributionData("keep-" + Guid.NewGuid().ToString("N")[..12]);
        await s.Events.WriteEventsAsync([other.Page("neighbour", 0, "Direct"), other.Conversion("neighbour", 1, "n-1", 10)], CancellationToken.None);
        await s.Runs.RunAsync(Ws, Settings, CancellationToken.None);
        await s.Runs.RunAsync(other.Workspace, Settings, CancellationToken.None);

        var counts = await new PersonErasure(s.Erasure).EraseWorkspaceAsync(Ws, CancellationToken.None);
        await SettleAsync();

        Assert.Equal(10, counts.EventsDeleted);
        var rows = await AllRowsAsync();
        var left = rows.Where(r => r.Row.Contains(Ws, StringComparison.Ordinal)).ToList();
        Assert.True(left.Count == 0, "still stored: " + string.Join("\n", left.Select(r => $"{r.Table}: {r.Row}")));
        Assert.Equal(2, rows.Count(r => r.Table == "events" && r.Row.Contains(other.Workspace, StringComparison.Ordinal)));
        Assert.Null(await s.Orders.GetAsync(Ws, OrderId, CancellationToken.None));
    }

    /// <summary>Jane on two devices (joined by her e-mail and customer id), an alias, one order reported by pixel and webhook; Bob beside her.</summary>
    private async Task WriteHistoryAsync(ErasureStoreUnderTest s)
    {
        var pixelOrder = Data.Conversion(Laptop, 3, OrderId, 100);
        pixelOrder.PropertiesJson = $$"""{"checkoutToken":"tok-{{_suffix}}"}""";
        pixelOrder.Ip = "198.51.100.0";
        var webhookOrder = Data.Conversion(null, 3.001, OrderId, 100, userId: CustomerId, source: "shopify");
        webhookOrder.EmailSha256 = EmailHash;
        webhookOrder.PhoneSha256 = PhoneHash;
        var phonePage = Data.Page(Phone, 0, "Paid Search", "google", "cpc", "brand");
        phonePage.Ip = "198.51.100.0";
        await s.Events.WriteEventsAsync(
        [
            phonePage,
            Data.Identify(Phone, 0.1, userId: CustomerId),
            Data.Page(Laptop, 2, "Email", "newsletter", "email", "november"),
            Data.Identify(Laptop, 2.1, emailSha256: EmailHash),
            Data.Alias(OldId, CustomerId, 2.2),
            pixelOrder,
            webhookOrder,
            Data.Page(Bob, 0, "Direct"),
            Data.Identify(Bob, 0.5, userId: "bob-user-" + _suffix),
            Data.Conversion(Bob, 1, "bob-order-" + _suffix, 50),
        ], CancellationToken.None);
        await s.Events.WriteBadEventsAsync(
        [
            new BadEvent(Ws, $$"""{"anonymousId":"{{Phone}}","type":"nope"}""", "r", AttributionData.Day0),
            new BadEvent(Ws, $$"""{"customer":{"id":{{CustomerId}}},"email":"sha256:{{EmailHash}}"}""", "unmappable_webhook", AttributionData.Day0),
            new BadEvent(Ws, $$"""{"anonymousId":"{{Bob}}","type":"nope"}""", "r", AttributionData.Day0),
        ], CancellationToken.None);
    }
}
