using OmniTrackIQ.Collector.Hosting;
using OmniTrackIQ.Pipeline.Erasure;

namespace OmniTrackIQ.Collector.Privacy;

/// <summary>
/// <c>collector erase --workspace ID (--email E | --email-sha256 H | --phone P | --user-id U | --anonymous-id A | --order-id O)… [--data-dir DIR]</c>
/// erases a person (each option may repeat); <c>collector erase --workspace ID --all-workspace-data</c> erases the
/// workspace. <c>--export FILE</c> writes the person's rows to FILE instead of erasing. Works on the store the
/// collector's settings name (as <c>import-spend</c>; an embedded DuckDB file must not be held by a running collector:
/// use <c>POST /v1/privacy/erase</c> then). Exit codes: 0 done, 1 usage or store error, 2 the ids link too widely.
/// </summary>
internal static class EraseCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        string? workspace = null, dataDirectory = null, exportPath = null;
        var wholeWorkspace = false;
        List<string> emails = [], hashes = [], phones = [], users = [], anonymous = [], orders = [];
        for (var i = 0; i < args.Length; i++)
        {
            var hasValue = i + 1 < args.Length;
            switch (args[i])
            {
                case "--workspace" when hasValue: workspace = args[++i]; break;
                case "--data-dir" when hasValue: dataDirectory = args[++i]; break;
                case "--export" when hasValue: exportPath = args[++i]; break;
                case "--email" when hasValue: emails.Add(args[++i]); break;
                case "--email-sha256" when hasValue: hashes.Add(args[++i]); break;
                case "--phone" when hasValue: phones.Add(args[++i]); break;
                case "--user-id" or "--customer-id" when hasValue: users.Add(args[++i]); break;
                case "--anonymous-id" when hasValue: anonymous.Add(args[++i]); break;
                case "--order-id" when hasValue: orders.Add(args[++i]); break;
                case "--all-workspace-data": wholeWorkspace = true; break;
                default:
                    await errors.WriteLineAsync($"erase: unexpected argument '{args[i]}'");
                    return Usage(errors);
            }
        }

        var request = new ErasureRequest { Emails = emails, EmailSha256 = hashes, Phones = phones, UserIds = users, AnonymousIds = anonymous, OrderIds = orders };
        if (string.IsNullOrWhiteSpace(workspace) || request.IsEmpty == !wholeWorkspace || (wholeWorkspace && exportPath is not null)) { return Usage(errors); }

        try
        {
            using var store = StoreServices.ForCommand(dataDirectory);
            await store.GetRequiredService<Pipeline.Sink.IEventStore>().InitializeAsync(CancellationToken.None);
            var erasure = new PersonErasure(store.GetRequiredService<IErasureStore>());
            if (wholeWorkspace)
            {
                var all = await erasure.EraseWorkspaceAsync(workspace, CancellationToken.None);
                await output.WriteLineAsync($"erased workspace {workspace}: {all.EventsDeleted} events, {all.LinksDeleted} identity links");
                return 0;
            }

            if (exportPath is not null)
            {
                await File.WriteAllBytesAsync(exportPath, await erasure.ExportAsync(workspace, "cli", request, CancellationToken.None));
                await output.WriteLineAsync($"exported to {exportPath}");
                return 0;
            }

            var (keys, counts) = await erasure.EraseAsync(workspace, request, CancellationToken.None);
            await output.WriteLineAsync(
                $"erased a person of {keys.Count} identifiers: {counts.EventsDeleted} events deleted, {counts.OrdersAnonymised} order rows made anonymous, {counts.LinksDeleted} identity links deleted");
            return 0;
        }
        catch (ErasureTooWideException ex)
        {
            await errors.WriteLineAsync($"erase: {ex.Message} (nothing erased)");
            return 2;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await errors.WriteLineAsync($"erase: the store failed (an embedded DuckDB file is held by a running collector): {ex.Message}");
            return 1;
        }
    }

    private static int Usage(TextWriter errors)
    {
        errors.WriteLine("usage: erase --workspace ID (--email E | --email-sha256 H | --phone P | --customer-id N | --user-id U | --anonymous-id A | --order-id O)... [--export FILE] [--data-dir DIR]");
        errors.WriteLine("       erase --workspace ID --all-workspace-data [--data-dir DIR]");
        return 1;
    }
}
