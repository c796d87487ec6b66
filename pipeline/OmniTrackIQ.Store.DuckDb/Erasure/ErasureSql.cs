using DuckDB.NET.Data;
using OmniTrackIQ.Pipeline.Erasure;

namespace OmniTrackIQ.Store.DuckDb.Erasure;

/// <summary>The SQL pieces of <see cref="DuckDbErasureStore"/>, over the temporary <c>erasure_keys</c> table and an events alias <c>e</c>.</summary>
internal static class ErasureSql
{
    public const string LinkKeys = "(SELECT v FROM erasure_keys WHERE kind = 'l')";

    /// <summary>Rows that name the person: what is erased.</summary>
    public const string PersonPredicate = """
        e.workspace = $ws AND (
            e.anonymous_id IN (SELECT v FROM erasure_keys WHERE kind = 'a')
            OR e.user_id IN (SELECT v FROM erasure_keys WHERE kind = 'u')
            OR e.email_sha256 IN (SELECT v FROM erasure_keys WHERE kind = 'e')
            OR e.phone_sha256 IN (SELECT v FROM erasure_keys WHERE kind = 'p')
            OR e.previous_id IN (SELECT v FROM erasure_keys WHERE kind IN ('a', 'u')))
        """;

    /// <summary>Rows that lead to the person's identifiers: theirs, and the conversions of their orders.</summary>
    public const string FindPredicate = $"""
        ({PersonPredicate}) OR (e.workspace = $ws AND e.type = 'conversion' AND e.order_id IN (SELECT v FROM erasure_keys WHERE kind = 'o'))
        """;

    public const string IsOrder = "e.type = 'conversion' AND e.order_id IS NOT NULL";

    /// <summary>
    /// An order row kept for the shop's revenue: it names its order only (<c>order:&lt;id&gt;</c>, as an order that
    /// named no one does), and loses everything that could point at the buyer. Amounts, status, source and the
    /// campaign fields attribution credits stay.
    /// </summary>
    public const string AnonymiseOrder = """
        anonymous_id = 'order:' || order_id, user_id = NULL, email_sha256 = NULL, phone_sha256 = NULL, previous_id = NULL, group_id = NULL,
        ip = NULL, user_agent = NULL, properties = NULL, page_url = NULL, page_referrer = NULL, page_title = NULL, click_id = NULL,
        city = NULL, region = NULL, asn = NULL, asn_org = NULL, device_model = NULL, client_ts = NULL
        """;

    /// <summary>
    /// The anonymised order rows (<see cref="AnonymiseOrder"/>) that <c>journey_events</c> lacks: those an erasure just
    /// took out under the buyer's key, to put back under the order's (the next run replaces any above its mark).
    /// </summary>
    public const string AnonymisedOrderNotInJourneys = """
        workspace = $ws AND type = 'conversion' AND order_id IS NOT NULL AND anonymous_id = 'order:' || order_id
        AND message_id NOT IN (SELECT message_id FROM journey_events WHERE workspace = $ws)
        """;

    /// <summary>
    /// A bad event's raw payload names key <c>k</c>: a hash anywhere (it may appear as "sha256:&lt;hex&gt;"), an id as a JSON
    /// string, or a numeric id (Shopify's customer ids are JSON numbers) not inside a longer number.
    /// </summary>
    public const string PayloadNames = """
        (k.kind IN ('e', 'p') AND contains(b.payload, k.v))
        OR (k.kind IN ('a', 'u') AND (contains(b.payload, '"' || k.v || '"')
            OR (regexp_full_match(k.v, '[0-9]+') AND regexp_matches(b.payload, '(^|[^0-9])' || k.v || '([^0-9]|$)'))))
        """;

    public static string Kind(PersonKeyKind kind) => kind switch
    {
        PersonKeyKind.Anonymous => "a",
        PersonKeyKind.User => "u",
        PersonKeyKind.EmailSha256 => "e",
        PersonKeyKind.PhoneSha256 => "p",
        _ => "o",
    };
}
