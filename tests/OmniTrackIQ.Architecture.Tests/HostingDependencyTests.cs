using NetArchTest.Rules;

namespace OmniTrackIQ.Architecture.Tests;

/// <summary>
/// Libraries do not depend on ASP.NET Core hosting: requests, responses, routing and the web host belong to
/// the collector. Durability's background loops use the generic host (Microsoft.Extensions.Hosting), which is
/// not the web host. The one ASP.NET Core type a library reads today is Ingest's QueryStringEnumerable (the pixel's
/// query string, PixelQueryParser); every other library uses no Microsoft.AspNetCore type at all.
/// </summary>
public sealed class HostingDependencyTests
{
    private static readonly string[] WebHost =
    [
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Mvc", "Microsoft.AspNetCore.Server", "Microsoft.AspNetCore.Http.HttpContext",
        "Microsoft.AspNetCore.Http.HttpRequest", "Microsoft.AspNetCore.Http.HttpResponse",
        "Microsoft.AspNetCore.Http.IResult", "Microsoft.AspNetCore.Http.Results", "Microsoft.AspNetCore.Http.TypedResults",
    ];

    [Theory]
    [MemberData(nameof(Layers.Libraries), MemberType = typeof(Layers))]
    public void No_library_uses_the_web_host(string library)
    {
        var result = Types.InAssembly(TypeDependencyTests.Load(library)).Should().NotHaveDependencyOnAny(WebHost).GetResult();

        Assert.Empty(result.FailingTypeNames ?? []);
    }

    [Theory]
    [MemberData(nameof(Layers.Libraries), MemberType = typeof(Layers))]
    public void Only_ingest_reads_an_AspNetCore_type(string library)
    {
        var result = Types.InAssembly(TypeDependencyTests.Load(library)).Should().NotHaveDependencyOn("Microsoft.AspNetCore").GetResult();

        var failing = result.FailingTypeNames ?? [];
        Assert.Equal(library == Layers.Ingest ? ["OmniTrackIQ.Pipeline.Ingest.PixelQueryParser"] : [], failing);
    }
}
