using System.Reflection;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Spool;
using OmniTrackIQ.Store.ClickHouse;

namespace OmniTrackIQ.StoreBench;

/// <summary>
/// The store's own internals, reached by reflection (the ClickHouse store has no InternalsVisibleTo for bench
/// projects): the events column list and RowBinary row writer the store inserts with, and the store's insert without
/// its existence check. So the "raw" insert is byte-for-byte the RowBinary the store sends, minus the existence query
/// and the serialising.
/// </summary>
internal static class Internals
{
    private static readonly Assembly ClickHouse = typeof(ClickHouseDatabase).Assembly;

    public static readonly IReadOnlyList<string> EventColumnNames = (string[])Field(ClickHouse, "OmniTrackIQ.Store.ClickHouse.EventsColumns", "Names");

    private static readonly Type RowBinaryBuffer = ClickHouse.GetType("OmniTrackIQ.Store.ClickHouse.RowBinaryBuffer", throwOnError: true)!;

    private static readonly MethodInfo WriteRow = ClickHouse.GetType("OmniTrackIQ.Store.ClickHouse.EventRow", throwOnError: true)!
        .GetMethod("Write", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>The RowBinary body the store sends for <paramref name="rows"/> (its own <c>EventRow.Write</c>), as bytes.</summary>
    public static byte[] RowBinary(IReadOnlyList<TrackedEvent> rows, ulong loadMs)
    {
        using var buffer = (IDisposable)Activator.CreateInstance(RowBinaryBuffer, 1 << 20)!;
        for (var i = 0; i < rows.Count; i++) { WriteRow.Invoke(null, [buffer, rows[i], loadMs, (uint)i]); }
        using var stream = (Stream)RowBinaryBuffer.GetMethod("AsStream")!.Invoke(buffer, null)!;
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }

    /// <summary><c>ClickHouseEventStore.InsertAsync</c>: the write without the existence check.</summary>
    public static Task InsertWithoutCheckAsync(ClickHouseEventStore store, IReadOnlyList<TrackedEvent> rows, CancellationToken cancellationToken) =>
        (Task)typeof(ClickHouseEventStore).GetMethod("InsertAsync", BindingFlags.NonPublic | BindingFlags.Instance)!
            .Invoke(store, [rows, cancellationToken])!;

    private static object Field(Assembly assembly, string type, string name) =>
        assembly.GetType(type, throwOnError: true)!.GetField(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
}
