using System.Reflection;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Spool;
using OmniTrackIQ.Store.ClickHouse;

namespace OmniTrackIQ.StoreBench;

/// <summary>
/// The store's own internals, reached by reflection (the bench may not edit product code, and the ClickHouse store
/// has no InternalsVisibleTo for bench projects): the events column list and row builder the store inserts with, the
/// store's insert without its existence check.
/// So the "raw" insert is byte-for-byte the RowBinary the store sends, minus the existence query.
/// </summary>
internal static class Internals
{
    private static readonly Assembly ClickHouse = typeof(ClickHouseDatabase).Assembly;

    public static readonly IReadOnlyList<string> EventColumnNames = (string[])Field(ClickHouse, "OmniTrackIQ.Store.ClickHouse.EventsColumns", "Names");

    public static readonly IReadOnlyDictionary<string, string> EventColumnTypes =
        (IReadOnlyDictionary<string, string>)Field(ClickHouse, "OmniTrackIQ.Store.ClickHouse.EventsColumns", "Types");

    public static readonly Func<TrackedEvent, ulong, uint, object?[]> EventRow = ClickHouse
        .GetType("OmniTrackIQ.Store.ClickHouse.EventRow", throwOnError: true)!
        .GetMethod("Values", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!
        .CreateDelegate<Func<TrackedEvent, ulong, uint, object?[]>>();

    /// <summary><c>ClickHouseEventStore.InsertAsync</c>: the write without the existence check.</summary>
    public static Task InsertWithoutCheckAsync(ClickHouseEventStore store, IReadOnlyList<TrackedEvent> rows, CancellationToken cancellationToken) =>
        (Task)typeof(ClickHouseEventStore).GetMethod("InsertAsync", BindingFlags.NonPublic | BindingFlags.Instance)!
            .Invoke(store, [rows, cancellationToken])!;

    private static object Field(Assembly assembly, string type, string name) =>
        assembly.GetType(type, throwOnError: true)!.GetField(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
}
