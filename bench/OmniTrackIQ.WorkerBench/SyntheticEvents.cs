using DuckDB.NET.Data;

namespace OmniTrackIQ.WorkerBench;

/// <summary>
/// Fills <c>events</c> with a deterministic synthetic shop straight in SQL (the appender path is measured
/// elsewhere): 1–4 visits per person over 8 channels a day apart, a conversion for the first
/// <c>converting</c> people, and pairs of people linked by an identify with a shared user id (every 10th
/// and 10th+1), so stitching has work to do.
/// </summary>
internal static class SyntheticEvents
{
    private const string Channels = "['Paid Search','Paid Social','Organic Search','Email','Direct','Referral','Organic Social','Display']";

    public static void Insert(DuckDBConnection connection, long firstPerson, long people, long converting, string tag)
    {
        Execute(connection, $"""
            INSERT INTO events (workspace, message_id, type, anonymous_id, ts, received_at, gpc, is_bot, channel, utm_source, utm_campaign, load_seq)
            SELECT 'bench', '{tag}p' || p || '-' || k, 'page', 'a' || p,
                   TIMESTAMP '2026-01-01' + INTERVAL (p % 200) DAY + INTERVAL (k) DAY, now(), false, false,
                   {Channels}[1 + CAST(hash(p * 7 + k) % 8 AS INTEGER)], 'src' || (hash(p + k) % 5), 'camp' || (hash(p * 3 + k) % 40),
                   nextval('events_load_seq')
            FROM range({firstPerson}, {firstPerson + people}) t(p), range(0, 4) u(k)
            WHERE k <= hash(p) % 4;
            INSERT INTO events (workspace, message_id, type, anonymous_id, ts, received_at, gpc, is_bot, order_id, revenue, currency, load_seq)
            SELECT 'bench', '{tag}c' || p, 'conversion', 'a' || p,
                   TIMESTAMP '2026-01-01' + INTERVAL (p % 200) DAY + INTERVAL (hash(p) % 4) DAY + INTERVAL 1 HOUR, now(), false, false,
                   'o' || p, 10 + hash(p) % 200, 'EUR', nextval('events_load_seq')
            FROM range({firstPerson}, {firstPerson + converting}) t(p);
            INSERT INTO events (workspace, message_id, type, anonymous_id, user_id, ts, received_at, gpc, is_bot, load_seq)
            SELECT 'bench', '{tag}i' || p, 'identify', 'a' || p, 'u' || (p // 10),
                   TIMESTAMP '2026-01-01' + INTERVAL (p % 200) DAY, now(), false, false, nextval('events_load_seq')
            FROM range({firstPerson}, {firstPerson + people}) t(p)
            WHERE p % 10 IN (0, 1);
            """);
    }

    /// <summary>
    /// Brings back <paramref name="people"/> people of the first <paramref name="history"/>, spread evenly over it (their
    /// events lie all over the stored history): each views one more page a week after their last visit and converts with a
    /// new order. A tick of returning people, whose stored rows the tick must find and replace.
    /// </summary>
    public static void Return(DuckDBConnection connection, long history, long people, string tag)
    {
        var stride = Math.Max(1, history / people);
        Execute(connection, $"""
            INSERT INTO events (workspace, message_id, type, anonymous_id, ts, received_at, gpc, is_bot, channel, utm_source, utm_campaign, load_seq)
            SELECT 'bench', '{tag}p' || p, 'page', 'a' || p,
                   TIMESTAMP '2026-01-01' + INTERVAL (p % 200) DAY + INTERVAL 10 DAY, now(), false, false,
                   {Channels}[1 + CAST(hash(p * 5) % 8 AS INTEGER)], 'src' || (hash(p) % 5), 'camp' || (hash(p * 3) % 40),
                   nextval('events_load_seq')
            FROM (SELECT i * {stride} + 1 AS p FROM range(0, {people}) t(i));
            INSERT INTO events (workspace, message_id, type, anonymous_id, ts, received_at, gpc, is_bot, order_id, revenue, currency, load_seq)
            SELECT 'bench', '{tag}c' || p, 'conversion', 'a' || p,
                   TIMESTAMP '2026-01-01' + INTERVAL (p % 200) DAY + INTERVAL 10 DAY + INTERVAL 1 HOUR, now(), false, false,
                   '{tag}o' || p, 10 + hash(p * 11) % 200, 'EUR', nextval('events_load_seq')
            FROM (SELECT i * {stride} + 1 AS p FROM range(0, {people}) t(i));
            """);
    }

    public static long Count(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
