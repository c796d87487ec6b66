using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Store.ClickHouse;
using OmniTrackIQ.Pipeline.Startup;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>What only the ClickHouse store has: migrations, the version shim, chunked lookups, error classes.</summary>
public sealed class ClickHouseStoreTests(ClickHouseServerFixture server) : IClassFixture<ClickHouseServerFixture>
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 11, 0, 0, TimeSpan.Zero);

    private static TrackedEvent Event(string workspace, string id, decimal? revenue = null) =>
        new() { Workspace = workspace, MessageId = id, Type = EventType.Track, Event = "e", AnonymousId = "a", Ts = T0, ReceivedAt = T0, Revenue = revenue };

    [SkippableFact]
    public async Task Two_nodes_migrating_one_new_database_at_once_leave_every_step_recorded_once()
    {
        server.RequireServer();
        var database = server.Database + "_m";
        try
        {
            var options = server.Options(database);
            await Task.WhenAll(server.OpenAsync(options), server.OpenAsync(options));
            await server.OpenAsync(options); // and a restart later

            var versions = await server.QueryAsync($"SELECT DISTINCT version FROM {database}.schema_migrations ORDER BY version FORMAT TabSeparated");
            Assert.Equal("1\n2\n10\n11\n12\n13\n20\n21\n22\n23\n24\n25\n26\n27\n28\n29\n30\n31\n", versions);
            // Step 11 added to what step 1 made (twice at once, the second answered "already exists").
            Assert.Equal("Nullable(Int64)\n", await server.QueryAsync(
                $"SELECT type FROM system.columns WHERE database = '{database}' AND table = 'events' AND name = 'order_updated_at' FORMAT TabSeparated"));
            var tables = await server.QueryAsync($"SELECT name FROM system.tables WHERE database = '{database}' ORDER BY name FORMAT TabSeparated");
            Assert.Equal("ad_spend\nattribution_channel_models\nattribution_conversions\nattribution_model_counts\nattribution_path_counts\nattribution_people\nattribution_state\nattribution_touches\n" +
                "bad_events\nevent_loads\nevent_loads_mv\nevents\nevents_by_load\nevents_by_load_mv\nidentity_links\nidentity_links_by_person\nidentity_links_by_person_mv\norder_reports\norder_reports_mv\nperson_paths\nschema_migrations\n", tables);
            Assert.Contains("ReplacingMergeTree", await server.QueryAsync($"SELECT engine FROM system.tables WHERE database = '{database}' AND name = 'events' FORMAT TabSeparated"), StringComparison.Ordinal);
        }
        finally
        {
            await server.QueryAsync($"DROP DATABASE IF EXISTS {database}");
        }
    }

    [SkippableFact]
    public async Task Without_its_start_up_step_every_reader_refuses_and_no_reader_makes_the_database()
    {
        server.RequireServer();
        var database = server.Database + "_unmigrated";
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(server.Time);
        services.AddClickHouseStore(server.Options(database));
        await using var provider = services.BuildServiceProvider();
        var none = CancellationToken.None;
        try
        {
            Assert.False(provider.GetRequiredService<StoreReadiness>().IsReady);
            await Assert.ThrowsAsync<StoreNotReadyException>(() => provider.GetRequiredService<IEventStore>().GetStatsAsync("w", none));
            await Assert.ThrowsAsync<StoreNotReadyException>(() => provider.GetRequiredService<IEventBrowser>().RecentEventsAsync("w", 10, none));
            await Assert.ThrowsAsync<StoreNotReadyException>(() => provider.GetRequiredService<IBadEventRetention>().DeleteReceivedBeforeAsync(T0, none));
            await Assert.ThrowsAsync<StoreNotReadyException>(() => provider.GetRequiredService<OmniTrackIQ.Pipeline.Orders.IOrderLedger>().GetAsync("w", "o", none));
            await Assert.ThrowsAsync<StoreNotReadyException>(() => provider.GetRequiredService<OmniTrackIQ.Pipeline.Spend.ISpendStore>().UpsertAsync("w", [], none));
            await Assert.ThrowsAsync<StoreNotReadyException>(() => provider.GetRequiredService<OmniTrackIQ.Attribution.Storage.IAttributionQueries>().TopPathsAsync("w", 5, null, null, null, none));
            Assert.Equal("0\n", await server.QueryAsync($"SELECT count() FROM system.databases WHERE name = '{database}' FORMAT TabSeparated"));

            await ClickHouseServerFixture.MigrateAsync(provider);

            Assert.True(provider.GetRequiredService<StoreReadiness>().IsReady);
            Assert.Equal(0, (await provider.GetRequiredService<IEventStore>().GetStatsAsync("w", none)).Total);
        }
        finally
        {
            await server.QueryAsync($"DROP DATABASE IF EXISTS {database}");
        }
    }

    [SkippableFact]
    public async Task The_JSON_settings_are_stripped_exactly_when_the_server_does_not_know_them()
    {
        var provider = await server.OpenAsync();
        var probed = await provider.GetRequiredService<ClickHouseDatabase>().ServerAsync(CancellationToken.None);
        var known = await server.QueryAsync(
            "SELECT count() FROM system.settings WHERE name IN ('output_format_binary_write_json_as_string', 'input_format_binary_read_json_as_string') FORMAT TabSeparated");
        var version = (await server.QueryAsync("SELECT version() FORMAT TabSeparated")).Trim();

        Assert.Equal(known.Trim() == "2", probed.KnowsJsonAsStringSettings);
        Assert.Equal(ServerVersion.Parse(version), probed.Version);
    }

    [SkippableFact]
    public async Task Existence_lookups_split_into_chunks_still_find_every_stored_id()
    {
        var options = server.Options();
        options.LookupChunkSize = 3;
        var store = (await server.OpenAsync(options)).GetRequiredService<IEventStore>();
        var workspace = "chunks-" + Guid.NewGuid().ToString("N")[..8];
        var events = Enumerable.Range(0, 10).Select(i => Event(workspace, "id-'" + i)).ToList();

        Assert.Equal(10, await store.WriteEventsAsync(events, CancellationToken.None));
        Assert.Equal(1, await store.WriteEventsAsync([.. events, Event(workspace, "new")], CancellationToken.None));
        Assert.Equal(11, (await store.GetStatsAsync(workspace, CancellationToken.None)).Total);
    }

    [SkippableFact]
    public async Task ARevenueBeyondDecimal18_4IsRejectedAsDataAndStoresNothing()
    {
        var store = (await server.OpenAsync()).GetRequiredService<IEventStore>();
        var workspace = "reject-" + Guid.NewGuid().ToString("N")[..8];

        var error = await Assert.ThrowsAsync<StoreRejectedDataException>(() =>
            store.WriteEventsAsync([Event(workspace, "ok"), Event(workspace, "huge", 1_000_000_000_000_000m)], CancellationToken.None));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.Equal(0, (await store.GetStatsAsync(workspace, CancellationToken.None)).Total);
    }

    [SkippableFact]
    public async Task An_unreachable_server_is_not_a_data_rejection_and_ping_says_false()
    {
        server.RequireServer();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now

        using var database = new ClickHouseDatabase(new ClickHouseStoreOptions { ConnectionString = $"Host=127.0.0.1;Port={port};Database=otq" }, server.Time);
        var store = new ClickHouseEventStore(database, new StoreReadiness());
        Assert.False(await store.PingAsync(CancellationToken.None));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => store.WriteEventsAsync([Event("w", "a")], CancellationToken.None));
        Assert.IsNotType<StoreRejectedDataException>(error);
    }

    [SkippableTheory]
    [InlineData("plain")]
    [InlineData("it's")]
    [InlineData(@"back\slash")]
    [InlineData(@"\'")]
    [InlineData(@"ends with \")]
    [InlineData("new\nline\ttab\rcr")]
    [InlineData("nul\0byte")]
    [InlineData("ünï 😀 – ✓")]
    [InlineData("")]
    public async Task A_string_literal_reads_back_as_the_same_string(string value)
    {
        var provider = await server.OpenAsync();
        var read = "";
        await provider.GetRequiredService<ClickHouseDatabase>().ReadRowsAsync(
            "SELECT " + SqlLiteral.String(value) + " AS s", row => read = row.GetProperty("s").GetString()!, CancellationToken.None);
        Assert.Equal(value, read);
    }

    [Fact]
    public void String_literals_escape_quote_and_backslash_and_null_is_null()
    {
        Assert.Equal(@"'a\'b\\c'", SqlLiteral.String(@"a'b\c"));
        Assert.Equal("NULL", SqlLiteral.String(null));
        Assert.Equal("otq_1", SqlLiteral.Identifier("otq_1"));
        Assert.Throws<ArgumentException>(() => SqlLiteral.Identifier("otq; DROP"));
        Assert.Throws<ArgumentException>(() => SqlLiteral.Identifier("1otq"));
    }

    [Fact]
    public void The_shim_removes_only_the_JSON_settings()
    {
        var uri = new Uri("http://h:8123/?enable_http_compression=false&output_format_binary_write_json_as_string=0&query_id=q1&input_format_binary_read_json_as_string=1");
        var stripped = LegacySettingsHandler.RemoveSettings(uri)!;
        Assert.Equal("?enable_http_compression=false&query_id=q1", stripped.Query);
        Assert.Null(LegacySettingsHandler.RemoveSettings(new Uri("http://h:8123/?query_id=q1")));
    }

    [Fact]
    public void Versions_parse_with_two_to_four_parts()
    {
        Assert.Equal(new Version(18, 16, 1, 0), ServerVersion.Parse("18.16.1"));
        Assert.Equal(new Version(25, 8, 2, 29), ServerVersion.Parse("25.8.2.29"));
        Assert.Throws<FormatException>(() => ServerVersion.Parse("x.1"));
    }
}
