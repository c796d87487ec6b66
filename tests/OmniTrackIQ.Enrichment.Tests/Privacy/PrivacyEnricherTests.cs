using System.Net;
using OmniTrackIQ.Enrichment.Privacy;
using OmniTrackIQ.Pipeline.Enrichment;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Workspaces;

namespace OmniTrackIQ.Enrichment.Tests.Privacy;

public sealed class PrivacyEnricherTests
{
    // printf '%s' 'jane.doe@example.com' | sha256sum
    private const string JaneHash = "86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d";

    private static readonly PrivacyEnricher Enricher = new();

    private static EnrichmentVerdict Run(TrackedEvent evt, WorkspaceSettings? workspace = null, string ip = "198.51.100.23", bool gpc = false) =>
        Enricher.Enrich(evt, new IngestRequest(IPAddress.Parse(ip), null, gpc, workspace ?? new WorkspaceSettings()));

    [Fact]
    public void Clear_text_email_is_normalised_hashed_and_cleared()
    {
        var evt = new TrackedEvent { EmailClearText = "  Jane.Doe@Example.COM \t" };
        Assert.False(Run(evt).IsRejected);
        Assert.Equal(JaneHash, evt.EmailSha256);
        Assert.Null(evt.EmailClearText);
    }

    [Fact]
    public void Clear_text_wins_over_a_client_hash()
    {
        var evt = new TrackedEvent { EmailClearText = "jane.doe@example.com", EmailSha256 = new string('a', 64) };
        Run(evt);
        Assert.Equal(JaneHash, evt.EmailSha256);
    }

    [Fact]
    public void Blank_clear_text_keeps_a_valid_client_hash()
    {
        var evt = new TrackedEvent { EmailClearText = "   ", EmailSha256 = JaneHash };
        Run(evt);
        Assert.Equal(JaneHash, evt.EmailSha256);
        Assert.Null(evt.EmailClearText);
    }

    [Fact]
    public void Non_ascii_emails_hash_their_utf8_bytes()
    {
        // printf '%s' 'jürgen@example.de' | sha256sum
        var evt = new TrackedEvent { EmailClearText = "JÜRGEN@example.de" };
        Run(evt);
        Assert.Equal("433d93962222da2479d57daad934c3373a92df0b72b4d95b308aeace385bc445", evt.EmailSha256);
    }

    [Fact]
    public void Very_long_input_is_hashed_through_pooled_buffers()
    {
        var longEmail = new string('x', 10_000) + "@example.com";
        var evt = new TrackedEvent { EmailClearText = longEmail.ToUpperInvariant() };
        Run(evt);
        Assert.Equal(System.Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(longEmail))), evt.EmailSha256);
    }

    [Fact]
    public void Upper_case_client_hash_is_lower_cased_and_a_lower_case_one_kept_as_is()
    {
        var upper = new TrackedEvent { EmailSha256 = JaneHash.ToUpperInvariant() };
        Run(upper);
        Assert.Equal(JaneHash, upper.EmailSha256);

        var lower = new TrackedEvent { EmailSha256 = JaneHash };
        Run(lower);
        Assert.Same(JaneHash, lower.EmailSha256);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("jane.doe@example.com")]
    [InlineData("z6e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d")]
    [InlineData("86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133da")]
    [InlineData("ｆ6e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133")]
    public void Invalid_client_hash_is_rejected_naming_the_field(string hash)
    {
        var evt = new TrackedEvent { EmailSha256 = hash };
        var verdict = Run(evt);
        Assert.True(verdict.IsRejected);
        Assert.Equal("context.traits.emailSha256", verdict.RejectedField);
        Assert.Null(evt.EmailSha256);
    }

    [Fact]
    public void Empty_client_hash_means_absent()
    {
        var evt = new TrackedEvent { EmailSha256 = "" };
        Assert.False(Run(evt).IsRejected);
        Assert.Null(evt.EmailSha256);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void Workspaces_requiring_consent_reject_events_without_it(bool? consent, bool rejected)
    {
        var evt = new TrackedEvent { ConsentAnalytics = consent, EmailClearText = "jane.doe@example.com" };
        var verdict = Run(evt, new WorkspaceSettings { RequireAnalyticsConsent = true });
        Assert.Equal(rejected, verdict.IsRejected);
        Assert.Null(evt.EmailClearText);
        if (rejected)
        {
            Assert.Equal(("context.consent.analytics", "analytics consent required by this workspace"), (verdict.RejectedField, verdict.Reason));
        }
    }

    [Fact]
    public void Workspaces_without_the_requirement_accept_events_without_consent()
    {
        var evt = new TrackedEvent { ConsentAnalytics = false };
        Assert.False(Run(evt).IsRejected);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Gpc_is_recorded(bool gpc)
    {
        var evt = new TrackedEvent { GlobalPrivacyControl = !gpc };
        Run(evt, gpc: gpc);
        Assert.Equal(gpc, evt.GlobalPrivacyControl);
    }

    [Theory]
    [InlineData("198.51.100.23", 24, 48, "198.51.100.0")]
    [InlineData("198.51.100.23", 16, 48, "198.51.0.0")]
    [InlineData("2001:db8:1:2:3:4:5:6", 24, 48, "2001:db8:1::")]
    [InlineData("2001:db8:1:2:3:4:5:6", 24, 64, "2001:db8:1:2::")]
    public void Ip_is_anonymised_with_the_workspace_prefixes(string ip, int v4, int v6, string expected)
    {
        var evt = new TrackedEvent();
        Run(evt, new WorkspaceSettings { IpV4PrefixLength = v4, IpV6PrefixLength = v6 }, ip);
        Assert.Equal(expected, evt.Ip);
    }
}
