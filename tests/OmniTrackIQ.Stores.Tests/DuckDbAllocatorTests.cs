using Microsoft.Extensions.DependencyInjection;
using OmniTrackIQ.Store.DuckDb;

namespace OmniTrackIQ.Pipeline.Tests;

/// <summary>
/// <c>OmniTrack:DuckDb:AllocatorDecayMs</c> reaches DuckDB's bundled jemalloc, and without it the store leaves the
/// allocator as DuckDB ships it (bench/RESULTS.md "Session 15": 0 saves memory but costs CPU). The setting is
/// process-wide, so these run alone, after the assembly's other classes, and put DuckDB's own back.
/// </summary>
[Collection(DuckDbAllocatorCollection.Name)]
public sealed class DuckDbAllocatorTests : IDisposable
{
    private const long DuckDbsOwn = 1000;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "otq-duck-alloc-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void The_configured_decay_reaches_duckdbs_allocator()
    {
        var services = new ServiceCollection().AddSingleton(TimeProvider.System)
            .AddDuckDbStore(new DuckDbStoreOptions { Path = Path.Combine(_dir, "c.duckdb"), AllocatorDecayMs = 0 }).BuildServiceProvider();
        try
        {
            Assert.True(services.GetRequiredService<DuckDbDatabase>().AllocatorDecayApplied);
            Assert.Equal((0L, 0L), DuckDbAllocator.Decay(0));
        }
        finally
        {
            services.Dispose();
            Assert.True(DuckDbAllocator.TrySetDecay(DuckDbsOwn));
        }
    }

    [Fact]
    public void Without_the_setting_the_store_leaves_the_allocator_alone()
    {
        Assert.True(DuckDbAllocator.TrySetDecay(250)); // not DuckDB's own, so a store that set anything would show

        try
        {
            using var database = new DuckDbDatabase(Path.Combine(_dir, "t.duckdb"));

            Assert.False(database.AllocatorDecayApplied);
            Assert.Equal((250L, 250L), DuckDbAllocator.Decay(0));
        }
        finally
        {
            Assert.True(DuckDbAllocator.TrySetDecay(DuckDbsOwn));
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DuckDbAllocatorCollection
{
    public const string Name = "DuckDB's process-wide allocator";
}
