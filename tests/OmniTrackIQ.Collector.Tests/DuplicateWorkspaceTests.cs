using Microsoft.Extensions.Options;
using OmniTrackIQ.Collector.Workspaces;
using OmniTrackIQ.Pipeline.Workspaces;

namespace OmniTrackIQ.Collector.Tests;

/// <summary>Issue 15: a duplicated workspace entry used to overwrite the earlier one silently; now the collector refuses to start.</summary>
public sealed class DuplicateWorkspaceTests
{
    private static WorkspaceSettings Ws(string id, string writeKey, string? secret = null, params string[] readTokens) =>
        new() { Id = id, WriteKey = writeKey, SecretKeySha256 = secret, ReadTokenSha256 = [.. readTokens] };

    [Fact]
    public void Each_shared_credential_is_named_with_both_entries()
    {
        var failures = WorkspaceListValidation.Failures(
        [
            Ws("a", "wk_a", "AB12", "rt1"),
            Ws("b", "wk_b", "ab12", "rt2", "rt2"),
            Ws("a", "wk_c"),
            Ws("d", "wk_a", null, "RT1"),
        ]);

        Assert.Equal(
        [
            "OmniTrack:Workspaces:0 (Id 'a') and OmniTrack:Workspaces:1 (Id 'b') have the same SecretKeySha256; each workspace needs its own",
            "OmniTrack:Workspaces:0 (Id 'a') and OmniTrack:Workspaces:2 (Id 'a') have the same Id; each workspace needs its own",
            "OmniTrack:Workspaces:0 (Id 'a') and OmniTrack:Workspaces:3 (Id 'd') have the same WriteKey; each workspace needs its own",
            "OmniTrack:Workspaces:0 (Id 'a') and OmniTrack:Workspaces:3 (Id 'd') have the same ReadTokenSha256; each workspace needs its own",
        ], failures);
    }

    [Fact]
    public void Distinct_entries_pass()
    {
        Assert.Empty(WorkspaceListValidation.Failures([Ws("a", "wk_a", "s1", "rt1", "rt1"), Ws("b", "wk_b", "s2", "rt2")]));
    }

    [Fact]
    public void The_collector_does_not_start_with_two_entries_for_one_write_key()
    {
        using var factory = new CollectorFactory();
        // The factory's second workspace ("other") gets the first one's write key.
        factory.Settings["OmniTrack:Workspaces:1:WriteKey"] = CollectorFactory.WriteKey;

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());
        Assert.Equal(
            "OmniTrack:Workspaces:0 (Id 'shop') and OmniTrack:Workspaces:1 (Id 'other') have the same WriteKey; each workspace needs its own",
            Assert.Single(error.Failures));
    }
}
