using System.Reflection;
using NetArchTest.Rules;

namespace OmniTrackIQ.Architecture.Tests;

/// <summary>
/// The compiled types: no type of a library uses a type of a project it may not use. The moved projects keep
/// the namespaces of the old OmniTrackIQ.Pipeline (OmniTrackIQ.Pipeline.Orders lives in both Stores and Ingest),
/// so the forbidden dependencies are named type by type, from the forbidden assemblies themselves.
/// </summary>
public sealed class TypeDependencyTests
{
    [Theory]
    [MemberData(nameof(Layers.Libraries), MemberType = typeof(Layers))]
    public void No_type_uses_a_layer_above_or_beside_its_own(string library)
    {
        var forbidden = Layers.MayUse.Keys.Where(other => other != library && !Layers.MayUse[library].Contains(other));

        Assert.Empty(TypesUsing(library, forbidden));
    }

    [Fact]
    public void The_attribution_core_uses_no_other_OmniTrack_project()
    {
        var result = Types.InAssembly(Load(Layers.Attribution)).Should()
            .NotHaveDependencyOnAny("OmniTrackIQ.Pipeline", "OmniTrackIQ.Store", "OmniTrackIQ.Collector",
                "OmniTrackIQ.Enrichment", "OmniTrackIQ.UserAgents")
            .GetResult();

        Assert.Empty(result.FailingTypeNames ?? []);
    }

    [Fact]
    public void A_use_of_a_forbidden_layer_is_reported()
    {
        // The check itself can fail: the sink writes through the store port, so Durability without Stores is broken.
        var failing = TypesUsing(Layers.Durability, [Layers.Stores]);

        Assert.Contains("OmniTrackIQ.Pipeline.Sink.SinkWriter", failing);
    }

    private static List<string> TypesUsing(string library, IEnumerable<string> forbiddenAssemblies)
    {
        var forbiddenTypes = forbiddenAssemblies.SelectMany(name => Load(name).GetTypes())
            .Select(type => type.FullName!)
            .Where(name => name.StartsWith("OmniTrackIQ.", StringComparison.Ordinal) && !name.Contains('<', StringComparison.Ordinal))
            .ToArray();
        var result = Types.InAssembly(Load(library)).Should().NotHaveDependencyOnAny(forbiddenTypes).GetResult();
        return (result.FailingTypeNames ?? []).ToList();
    }

    internal static Assembly Load(string name) => Assembly.Load(new AssemblyName(name));
}
