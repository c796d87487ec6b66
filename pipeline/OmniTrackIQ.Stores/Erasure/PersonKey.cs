namespace OmniTrackIQ.Pipeline.Erasure;

/// <summary>
/// One identifier of a person as the stores hold it: an anonymous id, a user id (a Shopify customer id is one), an
/// e-mail or phone SHA-256, or an order id. Order ids only lead to the people who placed them: an order's row is
/// made anonymous, never deleted, so that the shop's revenue stays whole (README "Privacy and erasure").
/// </summary>
public readonly record struct PersonKey(PersonKeyKind Kind, string Value)
{
    public static PersonKey Anonymous(string value) => new(PersonKeyKind.Anonymous, value);

    public static PersonKey User(string value) => new(PersonKeyKind.User, value);

    public static PersonKey Email(string sha256) => new(PersonKeyKind.EmailSha256, sha256);

    public static PersonKey Phone(string sha256) => new(PersonKeyKind.PhoneSha256, sha256);

    public static PersonKey Order(string value) => new(PersonKeyKind.Order, value);
}

/// <summary>The column a <see cref="PersonKey"/> is found in.</summary>
public enum PersonKeyKind
{
    /// <summary><c>events.anonymous_id</c> (and <c>previous_id</c>); <c>a:</c> in identity links.</summary>
    Anonymous,
    /// <summary><c>events.user_id</c> (and <c>previous_id</c>); <c>u:</c> in identity links.</summary>
    User,
    /// <summary><c>events.email_sha256</c>; <c>e:</c> in identity links.</summary>
    EmailSha256,
    /// <summary><c>events.phone_sha256</c>; <c>p:</c> in identity links.</summary>
    PhoneSha256,
    /// <summary><c>events.order_id</c> of conversions: finds the buyer's identifiers, is not itself erased.</summary>
    Order,
}

/// <summary>The identity-link form of a key (<c>a:</c>, <c>u:</c>, <c>e:</c>, <c>p:</c>, as PersonResolver names people).</summary>
public static class PersonKeyPrefixes
{
    public static string? LinkKey(PersonKey key) => key.Kind switch
    {
        PersonKeyKind.Anonymous => "a:" + key.Value,
        PersonKeyKind.User => "u:" + key.Value,
        PersonKeyKind.EmailSha256 => "e:" + key.Value,
        PersonKeyKind.PhoneSha256 => "p:" + key.Value,
        _ => null,
    };

    public static PersonKey? FromLinkKey(string linkKey)
    {
        if (linkKey.Length < 3 || linkKey[1] != ':') { return null; }
        var value = linkKey[2..];
        return linkKey[0] switch
        {
            'a' => PersonKey.Anonymous(value),
            'u' => PersonKey.User(value),
            'e' => PersonKey.Email(value),
            'p' => PersonKey.Phone(value),
            _ => null,
        };
    }
}
