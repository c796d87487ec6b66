namespace OmniTrackIQ.Pipeline.Ingest;

/// <summary>
/// Which route a batch came in on. Every route runs the same stages (<see cref="IngestPipeline"/>); the route decides
/// only how a refused item is named and quoted, and whether its refusals are answered, kept quietly or both.
/// </summary>
public enum IngestRoute
{
    /// <summary><c>/v1/batch</c>, <c>/v1/b</c>: fields named <c>batch[i].…</c>; each refusal answered and kept with the event's JSON.</summary>
    Batch,

    /// <summary>Segment's single-event routes (<c>/v1/track</c>, <c>/v1/t</c>, …): as <see cref="Batch"/>, fields named from the event's root.</summary>
    SingleEvent,

    /// <summary>
    /// <c>/p.gif</c>: never waits for the disk and is never refused (a broken pixel must not break a page); a refused hit,
    /// a full spool included, is counted and kept with its query string, e-mails and phones hashed.
    /// </summary>
    Pixel,

    /// <summary>
    /// <c>/v1/conversions</c>: an item is an order (its conversion and its landing view go or stay together), fields
    /// named <c>orders[i].…</c>; each refusal answered and kept with the order id.
    /// </summary>
    ConversionApi,

    /// <summary>
    /// Shopify order webhooks: one order a delivery, fields named as <see cref="ConversionApi"/>'s; a refusal is kept
    /// with the signed payload (PII hashed) and not answered (Shopify retries anything but a 200).
    /// </summary>
    ShopifyWebhook,
}
