namespace OmniTrackIQ.Attribution.Identity;

/// <summary>
/// The one definition of identity keys, which every store turns into its own SQL (as the stores do with the spend
/// platforms): the prefixes that keep the id spaces apart, which <c>events</c> column gives an event its key, and
/// which identifiers of an event are linked to that key. <see cref="KeyOf"/> and <see cref="LinksOf"/> are the same
/// rules in C#.
/// </summary>
public static class IdentityKeys
{
    public const string Anonymous = "a:";
    public const string User = "u:";
    public const string Email = "e:";
    public const string Phone = "p:";

    /// <summary>An event's key: the first non-empty of these columns, with its prefix (anonymous id, else user id, else e-mail hash).</summary>
    public static IReadOnlyList<KeyColumn> EventKeyOrder { get; } =
        [new(Anonymous, "anonymous_id"), new(User, "user_id"), new(Email, "email_sha256")];

    /// <summary>The key links start from: anonymous id, else user id (an event with neither shows no link).</summary>
    public static IReadOnlyList<KeyColumn> LinkKeyOrder { get; } = [new(Anonymous, "anonymous_id"), new(User, "user_id")];

    /// <summary>
    /// The identifiers an event links to its link key, each when non-empty and not the key itself: user id, e-mail and
    /// phone hashes, and an alias's previous id, read both as an anonymous id and as an earlier user id.
    /// </summary>
    public static IReadOnlyList<KeyColumn> LinkedColumns { get; } =
        [new(User, "user_id"), new(Email, "email_sha256"), new(Phone, "phone_sha256"), new(Anonymous, "previous_id"), new(User, "previous_id")];

    /// <summary>The first key of an event: anonymous id, else user id, else e-mail hash; null when it has none.</summary>
    public static string? KeyOf(string? anonymousId, string? userId, string? emailSha256)
    {
        if (!string.IsNullOrEmpty(anonymousId)) { return Anonymous + anonymousId; }
        if (!string.IsNullOrEmpty(userId)) { return User + userId; }
        return string.IsNullOrEmpty(emailSha256) ? null : Email + emailSha256;
    }

    /// <summary>The (link key, linked key) pairs an event shows, by <see cref="LinkKeyOrder"/> and <see cref="LinkedColumns"/>.</summary>
    /// <param name="column">The event's value of an <c>events</c> column (null or empty when it has none).</param>
    public static IEnumerable<(string IdKey, string PersonKey)> LinksOf(Func<string, string?> column)
    {
        string? idKey = null;
        foreach (var key in LinkKeyOrder)
        {
            if (column(key.Column) is { Length: > 0 } value) { idKey = key.Prefix + value; break; }
        }

        if (idKey is null) { yield break; }
        var seen = new HashSet<string>(StringComparer.Ordinal) { idKey };
        foreach (var linked in LinkedColumns)
        {
            if (column(linked.Column) is { Length: > 0 } value && seen.Add(linked.Prefix + value)) { yield return (idKey, linked.Prefix + value); }
        }
    }
}

/// <summary>An <c>events</c> column holding identifiers and the prefix its values get as keys.</summary>
public readonly record struct KeyColumn(string Prefix, string Column);
