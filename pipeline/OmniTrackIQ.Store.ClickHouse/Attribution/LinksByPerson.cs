namespace OmniTrackIQ.Store.ClickHouse.Attribution;

/// <summary>
/// <c>identity_links_by_person</c>: the rows of <c>identity_links</c> sorted by <c>person_key</c>. A tick follows its
/// scope's links hop by hop (<see cref="IdentityLinks.ReadNamingAsync"/>), each hop asking for the links that name a key
/// on either side; <c>identity_links</c> is sorted by <c>id_key</c>, so the <c>person_key</c> half read every link of
/// the workspace (301k rows at 1M conversions, 23–77 ms of server CPU per hop, growing with history). Here that half
/// reads the granules of its keys by the primary index.
/// <para>
/// Kept as <see cref="EventsByLoad"/> is: a materialized view copies each insert into <c>identity_links</c> (the same
/// INSERT writes both, so a run that added links finds them here), the schema step copies the links stored before it (an
/// upgraded database; rows that both see are there twice, harmless: the reads group by link and take the earliest
/// time), an erasure deletes the person's rows from both. Plain MergeTree, as <c>identity_links</c>.
/// </para>
/// </summary>
internal static class LinksByPerson
{
    public const string Table = "identity_links_by_person";

    private const string Columns = "workspace, id_key, person_key, source, first_seen";

    public static string Create(string db) => $"""
        CREATE TABLE IF NOT EXISTS {db}.{Table} (workspace String, id_key String, person_key String, source String, first_seen Int64)
        ENGINE = MergeTree
        ORDER BY (workspace, person_key, id_key, source)
        """;

    public static string CreateView(string db) => $"""
        CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.{Table}_mv TO {db}.{Table}
        AS SELECT {Columns} FROM {db}.identity_links
        """;

    /// <summary>The links stored before the view existed (and, harmlessly, copies of those added since).</summary>
    public static string Fill(string db) => $"INSERT INTO {db}.{Table} ({Columns}) SELECT {Columns} FROM {db}.identity_links";

    public static readonly Migration Step = new(31, Table, db => [Create(db), CreateView(db), Fill(db)]);
}
