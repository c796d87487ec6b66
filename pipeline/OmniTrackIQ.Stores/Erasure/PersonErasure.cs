using System.Text.Json;
using OmniTrackIQ.Pipeline.Privacy;

namespace OmniTrackIQ.Pipeline.Erasure;

/// <summary>
/// Finds a person and erases or exports them. A person is every identifier linked to the named ones, as attribution
/// joins them (PersonResolver): the e-mail hash, phone hash and customer id lead to the anonymous ids they were seen
/// with, and those to further ids, until a pass finds nothing new. <c>order:&lt;id&gt;</c> anonymous ids are not
/// people (an order that named no one stands for itself) and are never followed.
/// </summary>
public sealed class PersonErasure(IErasureStore store)
{
    /// <summary>Passes over the links; real identity components close in two or three.</summary>
    internal const int MaxRounds = 8;

    /// <summary>A person with more identifiers than this is not one person but a bad link (a shared id); refuse it.</summary>
    public const int MaxKeys = 5_000;

    private const string OrderPlaceholder = "order:";

    /// <summary>The identifiers the request names, in stored form (hashes of clear e-mails and phones).</summary>
    public static HashSet<PersonKey> Named(ErasureRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var keys = new HashSet<PersonKey>();
        foreach (var email in request.Emails)
        {
            if (EmailHasher.Hash(email) is not { } hash) { continue; }
            keys.Add(PersonKey.Email(hash));
            // A user id that was an e-mail is stored as its hash (PII hashing by shape): the same person.
            keys.Add(PersonKey.User("sha256:" + hash));
        }

        foreach (var hash in request.EmailSha256)
        {
            if (EmailHasher.NormaliseClientHash(hash) is { } normal) { keys.Add(PersonKey.Email(normal)); }
        }

        foreach (var phone in request.Phones)
        {
            if (PhoneHasher.Hash(phone) is { } hash) { keys.Add(PersonKey.Phone(hash)); }
        }

        foreach (var id in request.UserIds) { AddText(keys, PersonKey.User(id.Trim())); }
        foreach (var id in request.AnonymousIds) { AddText(keys, PersonKey.Anonymous(id.Trim())); }
        foreach (var id in request.OrderIds) { AddText(keys, PersonKey.Order(id.Trim())); }
        return keys;
    }

    /// <summary>The named identifiers and every one linked to them (see the class remarks).</summary>
    public async Task<IReadOnlyCollection<PersonKey>> ResolveAsync(string workspace, ErasureRequest request, CancellationToken cancellationToken)
    {
        var keys = Named(request);
        var frontier = keys.ToList();
        for (var round = 0; round < MaxRounds && frontier.Count > 0; round++)
        {
            var found = await store.LinkedKeysAsync(workspace, frontier, cancellationToken);
            frontier = [];
            foreach (var key in found)
            {
                if (key.Kind == PersonKeyKind.Anonymous && key.Value.StartsWith(OrderPlaceholder, StringComparison.Ordinal)) { continue; }
                if (keys.Add(key)) { frontier.Add(key); }
            }

            if (keys.Count > MaxKeys)
            {
                throw new ErasureTooWideException($"the identifiers named link to more than {MaxKeys} others; name the person more narrowly");
            }
        }

        return keys;
    }

    public async Task<(IReadOnlyCollection<PersonKey> Keys, ErasureCounts Counts)> EraseAsync(string workspace, ErasureRequest request, CancellationToken cancellationToken)
    {
        var keys = await ResolveAsync(workspace, request, cancellationToken);
        // Nothing that names a person (a national phone number cannot be hashed, an unknown order): nothing to erase.
        if (!keys.Any(k => k.Kind != PersonKeyKind.Order)) { return (keys, new ErasureCounts(0, 0, 0)); }
        return (keys, await store.ErasePersonAsync(workspace, keys, cancellationToken));
    }

    public Task<ErasureCounts> EraseWorkspaceAsync(string workspace, CancellationToken cancellationToken) => store.EraseWorkspaceAsync(workspace, cancellationToken);

    /// <summary>
    /// The person's data as one JSON document: <c>{"workspace", "requestId", "identifiers": [...], "rows": {"events": [...], "identity_links": [...]}}</c>.
    /// </summary>
    public async Task<byte[]> ExportAsync(string workspace, string requestId, ErasureRequest request, CancellationToken cancellationToken)
    {
        var keys = await ResolveAsync(workspace, request, cancellationToken);
        var rows = await store.ExportAsync(workspace, keys, cancellationToken);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("workspace", workspace);
            json.WriteString("requestId", requestId);
            json.WriteStartArray("identifiers");
            foreach (var key in keys.OrderBy(k => k.Kind).ThenBy(k => k.Value, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("kind", key.Kind.ToString());
                json.WriteString("value", key.Value);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("rows");
            foreach (var table in rows.GroupBy(r => r.Table, StringComparer.Ordinal))
            {
                json.WriteStartArray(table.Key);
                foreach (var row in table) { json.WriteRawValue(row.Json, skipInputValidation: false); }
                json.WriteEndArray();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void AddText(HashSet<PersonKey> keys, PersonKey key)
    {
        if (key.Value.Length > 0) { keys.Add(key); }
    }
}

/// <summary>The request links to too many identifiers to be one person (<see cref="PersonErasure.MaxKeys"/>); nothing was erased.</summary>
public sealed class ErasureTooWideException(string message) : Exception(message);
