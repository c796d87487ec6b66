namespace OmniTrackIQ.Store.DuckDb;

/// <summary>
/// DDL of the ingest tables (README "Tables" documents every column). Column order matters: the
/// appender in <see cref="DuckDbEventStore"/> writes values in exactly this order.
/// </summary>
internal static class EventsSchema
{
    public const string Columns = """
        workspace VARCHAR NOT NULL,
        message_id VARCHAR NOT NULL,
        type VARCHAR NOT NULL,
        event VARCHAR,
        anonymous_id VARCHAR,
        user_id VARCHAR,
        ts TIMESTAMP NOT NULL,
        client_ts TIMESTAMP,
        received_at TIMESTAMP NOT NULL,
        properties VARCHAR,
        revenue DECIMAL(18,4),
        currency VARCHAR,
        order_id VARCHAR,
        page_url VARCHAR,
        page_referrer VARCHAR,
        page_title VARCHAR,
        utm_source VARCHAR,
        utm_medium VARCHAR,
        utm_campaign VARCHAR,
        utm_term VARCHAR,
        utm_content VARCHAR,
        click_id_type VARCHAR,
        click_id VARCHAR,
        email_sha256 VARCHAR,
        consent_analytics BOOLEAN,
        consent_ads BOOLEAN,
        gpc BOOLEAN NOT NULL,
        ip VARCHAR,
        user_agent VARCHAR,
        country VARCHAR,
        region VARCHAR,
        city VARCHAR,
        asn UINTEGER,
        asn_org VARCHAR,
        browser VARCHAR,
        browser_version VARCHAR,
        os VARCHAR,
        os_version VARCHAR,
        device_family VARCHAR,
        device_brand VARCHAR,
        device_model VARCHAR,
        device_class VARCHAR,
        is_bot BOOLEAN NOT NULL,
        channel VARCHAR,
        ad_platform VARCHAR,
        previous_id VARCHAR,
        group_id VARCHAR,
        phone_sha256 VARCHAR,
        flags VARCHAR,
        order_source VARCHAR,
        order_status VARCHAR,
        refunded DECIMAL(18,4),
        net_revenue DECIMAL(18,4),
        source_name VARCHAR,
        order_updated_at TIMESTAMP
        """;

    /// <summary>Columns added after the first release: databases made before them get them by ALTER (at the end).</summary>
    private const string AddedColumns = """
        ALTER TABLE events ADD COLUMN IF NOT EXISTS previous_id VARCHAR;
        ALTER TABLE events ADD COLUMN IF NOT EXISTS group_id VARCHAR;
        ALTER TABLE events ADD COLUMN IF NOT EXISTS phone_sha256 VARCHAR;
        ALTER TABLE events ADD COLUMN IF NOT EXISTS flags VARCHAR;
        ALTER TABLE events ADD COLUMN IF NOT EXISTS order_source VARCHAR;
        ALTER TABLE events ADD COLUMN IF NOT EXISTS order_status VARCHAR;
        ALTER TABLE events ADD COLUMN IF NOT EXISTS refunded DECIMAL(18,4);
        ALTER TABLE events ADD COLUMN IF NOT EXISTS net_revenue DECIMAL(18,4);
        ALTER TABLE events ADD COLUMN IF NOT EXISTS source_name VARCHAR;
        ALTER TABLE events ADD COLUMN IF NOT EXISTS order_updated_at TIMESTAMP;
        """;

    /// <summary>The column names of <see cref="Columns"/>, in order: rows move by name, since upgraded tables order them differently.</summary>
    public static readonly string ColumnNames = string.Join(", ",
        Columns.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(line => line[..line.IndexOf(' ', StringComparison.Ordinal)]));

    /// <summary>
    /// <c>events</c> has one column more than staging: <c>load_seq</c>, drawn from a sequence as rows are
    /// moved in. It orders rows by when they became visible (received_at does not: a spool replay after a
    /// crash loads old events late), so the attribution worker can ask for "everything loaded since".
    /// The ALTER upgrades databases created before the column existed.
    /// </summary>
    public static readonly string CreateEvents = $"""
        CREATE SEQUENCE IF NOT EXISTS events_load_seq;
        CREATE TABLE IF NOT EXISTS events ({Columns}, load_seq BIGINT, PRIMARY KEY (workspace, message_id));
        ALTER TABLE events ADD COLUMN IF NOT EXISTS load_seq BIGINT;
        {AddedColumns}
        """;

    /// <summary>
    /// Whether the appender can write into <c>events</c> itself: its columns are <see cref="Columns"/> then <c>load_seq</c>,
    /// as a file made with today's schema has them (files upgraded by the ALTERs above have them in another order).
    /// </summary>
    public static bool AppendsInTableOrder(DuckDB.NET.Data.DuckDBConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT string_agg(column_name, ', ' ORDER BY column_index) FROM duckdb_columns() " +
            "WHERE database_name = current_database() AND schema_name = 'main' AND table_name = 'events'";
        return command.ExecuteScalar() as string == ColumnNames + ", load_seq";
    }

    public static readonly string MoveStaged =
        $"INSERT OR IGNORE INTO events ({ColumnNames}, load_seq) SELECT {ColumnNames}, nextval('events_load_seq') FROM events_staging";

    /// <summary>
    /// Staging table without the key: the appender fills it, one INSERT OR IGNORE moves new rows. It holds nothing
    /// between writes (each write empties it in its transaction), so it is made anew at start, with today's columns.
    /// </summary>
    public static readonly string CreateStaging =
        $"DROP TABLE IF EXISTS events_staging; CREATE TABLE events_staging ({Columns});";

    /// <summary><c>event_index</c> and <c>field</c> name the rejected event of a batch and the field at fault (null for whole payloads).</summary>
    public const string CreateBadEvents = """
        CREATE TABLE IF NOT EXISTS bad_events (
            workspace VARCHAR,
            payload VARCHAR NOT NULL,
            reason VARCHAR NOT NULL,
            received_at TIMESTAMP NOT NULL);
        ALTER TABLE bad_events ADD COLUMN IF NOT EXISTS event_index INTEGER;
        ALTER TABLE bad_events ADD COLUMN IF NOT EXISTS field VARCHAR;
        """;
}
