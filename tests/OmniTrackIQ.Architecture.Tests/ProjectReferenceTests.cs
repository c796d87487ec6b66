using System.Xml.Linq;

namespace OmniTrackIQ.Architecture.Tests;

/// <summary>
/// The project files themselves: a ProjectReference that breaks the graph fails here even while no type uses it
/// yet (the compiler leaves an unused reference out of the assembly, so the type checks cannot see it).
/// </summary>
public sealed class ProjectReferenceTests
{
    [Theory]
    [MemberData(nameof(Layers.Libraries), MemberType = typeof(Layers))]
    public void A_library_references_only_projects_below_it(string library)
    {
        var wrong = WrongReferences(library, Layers.MayUse[library]);

        Assert.Empty(wrong);
    }

    [Fact]
    public void Every_library_project_has_its_place_in_the_graph()
    {
        var libraries = Directory.GetFiles(Path.Combine(Repository.Root(), "pipeline"), "*.csproj", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Path.Combine(Repository.Root(), "attribution"), "*.csproj", SearchOption.AllDirectories))
            .Select(Path.GetFileNameWithoutExtension)
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(Layers.MayUse.Keys.Order(StringComparer.Ordinal), libraries);
    }

    [Fact]
    public void A_reference_outside_the_allowed_set_is_reported()
    {
        // The check itself can fail: Durability really references Stores, so a graph without it is broken.
        var wrong = WrongReferences(Layers.Durability, [Layers.Core, Layers.Attribution]);

        Assert.Equal([Layers.Stores], wrong);
    }

    private static List<string> WrongReferences(string library, string[] mayUse) =>
        References(library).Where(reference => !mayUse.Contains(reference)).ToList();

    private static IEnumerable<string> References(string library)
    {
        var project = Directory.GetFiles(Repository.Root(), library + ".csproj", SearchOption.AllDirectories)
            .Single(path => !path.Contains($"{Path.DirectorySeparatorChar}tests{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        return XDocument.Load(project).Descendants("ProjectReference")
            .Select(reference => Path.GetFileNameWithoutExtension(reference.Attribute("Include")!.Value.Replace('\\', '/')));
    }
}
