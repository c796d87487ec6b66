namespace OmniTrackIQ.Attribution.Identity;

/// <summary>
/// One row of a store's <c>identity_links</c>: an event of type <paramref name="Source"/> showed that
/// <paramref name="IdKey"/> (its first key) and <paramref name="PersonKey"/> are the same person, first at
/// <paramref name="FirstSeenMs"/> (epoch ms).
/// </summary>
public readonly record struct IdentityLink(string IdKey, string PersonKey, string Source, long FirstSeenMs);
