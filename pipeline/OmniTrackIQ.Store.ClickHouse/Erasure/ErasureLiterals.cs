using System.Text;
using OmniTrackIQ.Pipeline.Erasure;

namespace OmniTrackIQ.Store.ClickHouse.Erasure;

/// <summary>
/// The WHERE clauses of <see cref="ClickHouseErasureStore"/> for one person, with every identifier as an escaped
/// literal (<see cref="SqlLiteral"/>): the same rows as DuckDB's ErasureSql picks.
/// </summary>
internal sealed class ErasureLiterals
{
    public const string IsOrder = "type = 'conversion' AND isNotNull(order_id)";

    private readonly string _workspace;
    private readonly Dictionary<PersonKeyKind, List<string>> _byKind = [];
    private readonly List<string> _linkKeys = [];

    public ErasureLiterals(string workspace, IReadOnlyCollection<PersonKey> keys)
    {
        _workspace = SqlLiteral.String(workspace);
        foreach (var key in keys)
        {
            if (!_byKind.TryGetValue(key.Kind, out var values)) { _byKind[key.Kind] = values = []; }
            values.Add(key.Value);
            if (PersonKeyPrefixes.LinkKey(key) is { } link) { _linkKeys.Add(link); }
        }

        var person = new List<string>();
        AddIn(person, "anonymous_id", Values(PersonKeyKind.Anonymous));
        AddIn(person, "user_id", Values(PersonKeyKind.User));
        AddIn(person, "email_sha256", Values(PersonKeyKind.EmailSha256));
        AddIn(person, "phone_sha256", Values(PersonKeyKind.PhoneSha256));
        AddIn(person, "previous_id", [.. Values(PersonKeyKind.Anonymous), .. Values(PersonKeyKind.User)]);
        PersonPredicate = $"workspace = {_workspace} AND ({Or(person)})";

        var orders = new List<string>();
        AddIn(orders, "order_id", Values(PersonKeyKind.Order));
        FindPredicate = orders.Count == 0 ? PersonPredicate : $"({PersonPredicate}) OR (workspace = {_workspace} AND {IsOrder} AND {Or(orders)})";

        var payload = new List<string>();
        foreach (var kind in (PersonKeyKind[])[PersonKeyKind.EmailSha256, PersonKeyKind.PhoneSha256])
        {
            foreach (var hash in Values(kind)) { payload.Add($"position(payload, {SqlLiteral.String(hash)}) > 0"); }
        }

        foreach (var id in (string[])[.. Values(PersonKeyKind.Anonymous), .. Values(PersonKeyKind.User)])
        {
            payload.Add($"position(payload, {SqlLiteral.String("\"" + id + "\"")}) > 0");
            // Shopify's customer ids are JSON numbers: matched where no longer number holds them.
            if (id.All(char.IsAsciiDigit)) { payload.Add($"match(payload, {SqlLiteral.String("(^|[^0-9])" + id + "([^0-9]|$)")})"); }
        }

        BadEventPredicate = $"workspace = {_workspace} AND ({Or(payload)})";
    }

    /// <summary>Event rows that name the person: what is erased.</summary>
    public string PersonPredicate { get; }

    /// <summary>Event rows that lead to the person's identifiers: theirs, and the conversions of their orders.</summary>
    public string FindPredicate { get; }

    /// <summary>bad_events rows whose raw payload names the person (see DuckDB's ErasureSql.PayloadNames).</summary>
    public string BadEventPredicate { get; }

    /// <summary>Rows of the workspace whose <paramref name="columns"/> hold one of the person's identity-link keys.</summary>
    public string LinkPredicate(params string[] columns)
    {
        var terms = new List<string>();
        foreach (var column in columns) { AddIn(terms, column, _linkKeys); }
        return $"workspace = {_workspace} AND ({Or(terms)})";
    }

    /// <summary>The SELECT expression of one events column for the anonymous copy of an order row (DuckDB's ErasureSql.AnonymiseOrder).</summary>
    public static string AnonymisedOrderColumn(string column) => column switch
    {
        "anonymous_id" => "concat('order:', assumeNotNull(order_id))",
        "user_id" or "email_sha256" or "phone_sha256" or "previous_id" or "group_id" or "ip" or "user_agent" or "properties" or "page_url"
            or "page_referrer" or "page_title" or "click_id" or "city" or "region" or "asn" or "asn_org" or "device_model" or "client_ts" => "NULL",
        _ => column,
    };

    private List<string> Values(PersonKeyKind kind) => _byKind.TryGetValue(kind, out var values) ? values : [];

    private static void AddIn(List<string> terms, string column, List<string> values)
    {
        if (values.Count == 0) { return; }
        var list = new StringBuilder();
        foreach (var value in values)
        {
            if (list.Length > 0) { list.Append(", "); }
            SqlLiteral.Append(list, value);
        }

        terms.Add($"{column} IN ({list})");
    }

    private static string Or(List<string> terms) => terms.Count == 0 ? "0" : string.Join(" OR ", terms);
}
