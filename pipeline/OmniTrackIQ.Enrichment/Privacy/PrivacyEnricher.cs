using OmniTrackIQ.Pipeline.Enrichment;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Privacy;

namespace OmniTrackIQ.Enrichment.Privacy;

/// <summary>
/// Applies the workspace's privacy rules: analytics consent (reject when required and not given),
/// IP anonymisation into <see cref="TrackedEvent.Ip"/>, email hashing (clear text never leaves this
/// step) and the Global Privacy Control flag. Runs after the geo enricher, which needs the raw IP.
/// </summary>
public sealed class PrivacyEnricher : IEventEnricher
{
    internal const string ConsentField = "context.consent.analytics";
    internal const string EmailHashField = "context.traits.emailSha256";
    internal const string PhoneHashField = "context.traits.phoneSha256";

    public EnrichmentVerdict Enrich(TrackedEvent evt, in IngestRequest request)
    {
        ArgumentNullException.ThrowIfNull(evt);
        var workspace = request.Workspace;

        // Whatever the verdict, clear text must not survive this step.
        var clearText = evt.EmailClearText;
        evt.EmailClearText = null;
        var phone = evt.PhoneClearText;
        evt.PhoneClearText = null;
        evt.GlobalPrivacyControl = request.GlobalPrivacyControl;
        evt.Ip = workspace is null
            ? IpAnonymizer.Anonymize(request.ClientIp, 24, 48)
            : IpAnonymizer.Anonymize(request.ClientIp, workspace.IpV4PrefixLength, workspace.IpV6PrefixLength);

        if (workspace?.RequireAnalyticsConsent == true && evt.ConsentAnalytics != true)
        {
            return EnrichmentVerdict.Reject(ConsentField, "analytics consent required by this workspace");
        }

        if (phone is not null)
        {
            // Only an international number has one E.164 form to hash; a national one is dropped and said so.
            evt.PhoneSha256 = PhoneHasher.Hash(phone);
            if (evt.PhoneSha256 is null) { evt.Flag("dropped:traits.phone (not an international number: +country code and digits)"); }
        }
        else if (evt.PhoneSha256 is not null)
        {
            evt.PhoneSha256 = EmailHasher.NormaliseClientHash(evt.PhoneSha256);
            if (evt.PhoneSha256 is null) { return EnrichmentVerdict.Reject(PhoneHashField, "must be a SHA-256 hex digest (64 hex characters)"); }
        }

        // A server-computed hash wins over one the client sent alongside the clear text.
        if (clearText is not null && EmailHasher.Hash(clearText) is { } hashed)
        {
            evt.EmailSha256 = hashed;
        }
        else if (string.IsNullOrEmpty(evt.EmailSha256))
        {
            evt.EmailSha256 = null; // "emailSha256": "" means absent
        }
        else
        {
            evt.EmailSha256 = EmailHasher.NormaliseClientHash(evt.EmailSha256);
            if (evt.EmailSha256 is null)
            {
                return EnrichmentVerdict.Reject(EmailHashField, "must be a SHA-256 hex digest (64 hex characters)");
            }
        }

        return EnrichmentVerdict.Accept;
    }
}
