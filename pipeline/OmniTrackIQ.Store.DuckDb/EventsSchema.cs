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
        ad_platform VARCHAR
        """;

    public static readonly string CreateEvents =
        $"CREATE TABLE IF NOT EXISTS events ({Columns}, PRIMARY KEY (workspace, message_id));";

    /// <summary>Staging table without the key: the appender fills it, one INSERT OR IGNORE moves new rows.</summary>
    public static readonly string CreateStaging =
        $"CREATE TABLE IF NOT EXISTS events_staging ({Columns}); DELETE FROM events_staging;";

    public const string CreateBadEvents = """
        CREATE TABLE IF NOT EXISTS bad_events (
            workspace VARCHAR,
            payload VARCHAR NOT NULL,
            reason VARCHAR NOT NULL,
            received_at TIMESTAMP NOT NULL);
        """;
}
