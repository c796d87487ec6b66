namespace OmniTrackIQ.Attribution.Paths;

/// <summary>
/// What the enrichment stage knows about a touchpoint. The models only look at these bits, never at
/// channel names, so the worker decides once (from the GA4-style channel grouping) what counts as direct,
/// paid, organic or email.
/// </summary>
[Flags]
public enum TouchFlags : byte
{
    None = 0,

    /// <summary>A direct visit (no source); skipped by last-non-direct and by "paid clicks first".</summary>
    Direct = 1,

    /// <summary>A paid click or paid medium (cpc, ppc, paid social, display ...).</summary>
    Paid = 2,

    /// <summary>The lead-creation touch for W-shaped: the touch of the person's first identify.</summary>
    LeadCreation = 4,

    /// <summary>Organic search or organic social; ignored by "paid clicks first" when a paid touch exists.</summary>
    Organic = 8,

    /// <summary>E-mail; ignored by "paid clicks first" when a paid touch exists.</summary>
    Email = 16,
}
