namespace OmniTrackIQ.Pipeline.Erasure;

/// <summary>
/// Who is to be found, as a shop or an operator names them: clear-text e-mails and phones are hashed here (the stores
/// hold only hashes) and never kept; the rest are matched as given. At least one identifier is needed.
/// </summary>
public sealed record ErasureRequest
{
    public IReadOnlyList<string> Emails { get; init; } = [];
    public IReadOnlyList<string> EmailSha256 { get; init; } = [];
    public IReadOnlyList<string> Phones { get; init; } = [];
    /// <summary>User ids; a Shopify customer id is stored as the user id of its orders.</summary>
    public IReadOnlyList<string> UserIds { get; init; } = [];
    public IReadOnlyList<string> AnonymousIds { get; init; } = [];
    /// <summary>Orders of the person (Shopify's <c>orders_to_redact</c>): they lead to the buyer's identifiers.</summary>
    public IReadOnlyList<string> OrderIds { get; init; } = [];

    public bool IsEmpty => Emails.Count + EmailSha256.Count + Phones.Count + UserIds.Count + AnonymousIds.Count + OrderIds.Count == 0;
}
