using System.CommandLine;
using OmniTrackIQ.Collector.Hosting;
using OmniTrackIQ.Pipeline.Erasure;
using OmniTrackIQ.Pipeline.Startup;

namespace OmniTrackIQ.Collector.Privacy;

/// <summary>
/// <c>collector erase --workspace ID (--email E | --email-sha256 H | --phone P | --user-id U | --anonymous-id A | --order-id O)… [--data-dir DIR]</c>
/// erases a person (each option may repeat); <c>collector erase --workspace ID --all-workspace-data</c> erases the
/// workspace. <c>--export FILE</c> writes the person's rows to FILE instead of erasing. Works on the store the
/// collector's settings name (as <c>import-spend</c>; an embedded DuckDB file must not be held by a running collector:
/// use <c>POST /v1/privacy/erase</c> then). Identifiers that link too widely are <see cref="ExitCodes.Refused"/>.
/// </summary>
internal static class EraseCommand
{
    public static Command Create()
    {
        var workspace = CommandOptions.RequiredText("--workspace", "ID", "The workspace of the person (or the workspace to erase).");
        var emails = Identifier("--email", "E", "An e-mail address of the person.");
        var hashes = Identifier("--email-sha256", "H", "The SHA-256 of a normalised e-mail address.");
        var phones = Identifier("--phone", "P", "A phone number of the person.");
        var users = Identifier("--user-id", "U", "A user id (a Shopify customer id is one; alias --customer-id).");
        users.Aliases.Add("--customer-id");
        var anonymous = Identifier("--anonymous-id", "A", "A device's anonymous id.");
        var orders = Identifier("--order-id", "O", "An order of the person: it leads to the buyer's identifiers.");
        var wholeWorkspace = new Option<bool>("--all-workspace-data") { Description = "Erase every row of the workspace instead of one person." };
        var export = CommandOptions.Text("--export", "FILE", "Write the person's rows to FILE instead of erasing them.");
        var dataDirectory = CommandOptions.DataDirectory();
        var command = new Command("erase",
            "Erases a person (each identifier option may repeat) or, with --all-workspace-data, a workspace. Run it while the collector is stopped, or use POST /v1/privacy/erase.")
        {
            workspace, emails, hashes, phones, users, anonymous, orders, wholeWorkspace, export, dataDirectory,
        };
        // The same request from the validator (a CommandResult) and the action (the ParseResult).
        ErasureRequest Request(Func<Option<string[]>, string[]?> values) => new()
        {
            Emails = values(emails) ?? [], EmailSha256 = values(hashes) ?? [], Phones = values(phones) ?? [],
            UserIds = values(users) ?? [], AnonymousIds = values(anonymous) ?? [], OrderIds = values(orders) ?? [],
        };
        CommandOptions.Validate(command, result =>
        {
            var whole = result.GetValue(wholeWorkspace);
            if (Request(result.GetValue).IsEmpty != whole)
            {
                result.AddError("name the person (--email, --email-sha256, --phone, --user-id, --anonymous-id or --order-id) or give --all-workspace-data, not both");
            }
            else if (whole && result.GetValue(export) is not null)
            {
                result.AddError("--export writes one person's rows; it does not go with --all-workspace-data");
            }
        });
        command.SetAction(async (result, cancellationToken) =>
        {
            var request = Request(result.GetValue);
            var id = result.GetRequiredValue(workspace);
            var (output, errors) = (result.InvocationConfiguration.Output, result.InvocationConfiguration.Error);
            try
            {
                using var store = await StoreServices.OpenForCommandAsync(result.GetValue(dataDirectory), cancellationToken);
                return await RunAsync(store, id, request.IsEmpty ? null : request, result.GetValue(export), output, cancellationToken);
            }
            catch (ErasureTooWideException ex)
            {
                await errors.WriteLineAsync($"erase: {ex.Message} (nothing erased)");
                return ExitCodes.Refused;
            }
            catch (StoreNotReadyException ex)
            {
                await errors.WriteLineAsync($"erase: {ex.Message} (nothing erased)");
                return ExitCodes.Failure;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                await errors.WriteLineAsync($"erase: the store failed (an embedded DuckDB file is held by a running collector): {ex.Message}");
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    /// <summary>Erases the workspace (<paramref name="request"/> null), exports the person, or erases the person.</summary>
    private static async Task<int> RunAsync(IServiceProvider store, string workspace, ErasureRequest? request, string? exportPath, TextWriter output,
        CancellationToken cancellationToken)
    {
        var erasure = new PersonErasure(store.GetRequiredService<IErasureStore>());
        if (request is null)
        {
            var all = await erasure.EraseWorkspaceAsync(workspace, cancellationToken);
            await output.WriteLineAsync($"erased workspace {workspace}: {all.EventsDeleted} events, {all.LinksDeleted} identity links");
            return ExitCodes.Ok;
        }

        if (exportPath is not null)
        {
            await File.WriteAllBytesAsync(exportPath, await erasure.ExportAsync(workspace, "cli", request, cancellationToken), cancellationToken);
            await output.WriteLineAsync($"exported to {exportPath}");
            return ExitCodes.Ok;
        }

        var (keys, counts) = await erasure.EraseAsync(workspace, request, cancellationToken);
        await output.WriteLineAsync(
            $"erased a person of {keys.Count} identifiers: {counts.EventsDeleted} events deleted, {counts.OrdersAnonymised} order rows made anonymous, {counts.LinksDeleted} identity links deleted");
        return ExitCodes.Ok;
    }

    /// <summary>An identifier option: one value per occurrence, repeatable.</summary>
    private static Option<string[]> Identifier(string name, string helpName, string description) => new(name)
    {
        Description = description,
        HelpName = helpName,
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };
}
