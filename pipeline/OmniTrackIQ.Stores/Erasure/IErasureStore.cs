namespace OmniTrackIQ.Pipeline.Erasure;

/// <summary>
/// A store's part in erasing a person or a workspace (GDPR art. 17, Shopify's <c>customers/redact</c> and
/// <c>shop/redact</c>). The rules (which identifiers make a person, how far links are followed) are in
/// <see cref="PersonErasure"/>; a store only finds, exports and removes rows. Every table that can hold a person's
/// identifier must be covered: the contract suite scans every table afterwards.
/// </summary>
public interface IErasureStore
{
    /// <summary>
    /// The identifiers seen together with any of <paramref name="keys"/>: on one event row (anonymous id, user id,
    /// e-mail and phone hash, an alias's previous id; a conversion of one of the order ids) or on one identity link.
    /// One hop only; <see cref="PersonErasure"/> repeats it until nothing new is found.
    /// </summary>
    Task<IReadOnlyCollection<PersonKey>> LinkedKeysAsync(string workspace, IReadOnlyCollection<PersonKey> keys, CancellationToken cancellationToken);

    /// <summary>Every stored row that names the person, as JSON objects by table (for a data request).</summary>
    Task<IReadOnlyList<ExportedRow>> ExportAsync(string workspace, IReadOnlyCollection<PersonKey> keys, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the person's events, identity links, attribution people and paths, and bad events naming them; their
    /// orders stay as anonymous rows (amounts, status, channel credit; no identifier, IP, agent, page or properties).
    /// Order keys are not erased themselves. On ClickHouse the deletes are mutations the server finishes in the background.
    /// </summary>
    Task<ErasureCounts> ErasePersonAsync(string workspace, IReadOnlyCollection<PersonKey> keys, CancellationToken cancellationToken);

    /// <summary>Deletes every row of the workspace in every table (Shopify's <c>shop/redact</c>).</summary>
    Task<ErasureCounts> EraseWorkspaceAsync(string workspace, CancellationToken cancellationToken);
}

/// <summary>One stored row of a person: its table and the row as a JSON object.</summary>
public sealed record ExportedRow(string Table, string Json);

/// <summary>What an erasure found: event rows deleted, order rows made anonymous, identity links deleted (counted before the deletes).</summary>
public sealed record ErasureCounts(long EventsDeleted, long OrdersAnonymised, long LinksDeleted);
