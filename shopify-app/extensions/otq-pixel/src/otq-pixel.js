// The OmniTrackIQ web pixel: one source for the app pixel (extensions/otq-pixel, register() of
// @shopify/web-pixels-extension) and the paste-in custom pixel (../custom-pixel.js, built from this file by
// build-custom-pixel.mjs). It runs in Shopify's strict pixel sandbox with only the documented APIs:
//   analytics.subscribe(name, callback)          https://shopify.dev/docs/api/web-pixels-api/standard-api/analytics
//   browser.cookie.get(name) → Promise<string>   https://shopify.dev/docs/api/web-pixels-api/standard-api/browser
//   init.context, init.data.customer, init.customerPrivacy {analyticsProcessingAllowed, marketingAllowed}
//   customerPrivacy.subscribe('visitorConsentCollected', e => e.customerPrivacy)
//                                                https://shopify.dev/docs/api/web-pixels-api/standard-api/customerprivacy
//   checkout_started / checkout_completed: event.data.checkout {token, order {id} | null, attributes [{key, value}],
//     totalPrice.amount, currencyCode, email}   https://shopify.dev/docs/api/web-pixels-api/standard-events/checkout_completed
// What it sends, and why:
// - Only checkout and order-status events. The storefront snippet (app embed) already sends every storefront page
//   view; page_viewed fires there too, so a pixel sending it would store each page twice. Checkout and order-status
//   pages run no theme code, so their page views come from here only.
// - The order id as Shopify's numeric id: some shops give a gid (gid://shopify/OrderIdentity/123), which would
//   never match the webhook's 123, and one sale would become two orders.
// - checkout.token, which the order webhook carries as checkout_token.
// - The visitor id from the cart attribute _otq_id (written by the snippet, carried into checkout.attributes),
//   then the _otq_id cookie, then Shopify's clientId.
// - Nothing while the visitor has refused analytics (init.customerPrivacy, then each visitorConsentCollected).
// The buyer's e-mail leaves the browser only as its SHA-256 (trimmed, lower-cased): context.traits.emailSha256.

/** Shopify's numeric order id from "123", 123 or any gid ("gid://shopify/OrderIdentity/123?key=…"); else the text as given. */
export function otqOrderId(id) {
  if (id === undefined || id === null || id === '') { return undefined; }
  const text = String(id);
  const gid = /^gid:\/\/shopify\/\w+\/(\d+)(?:[?#].*)?$/.exec(text);
  return gid ? gid[1] : text;
}

/** Checkout and order-status pages: /checkouts/…, /…/thank-you or thank_you, /…/orders/… (and /account/orders). */
export function otqIsCheckoutPage(href) {
  let path = '';
  try { path = new URL(href).pathname; } catch { return false; }
  return /\/checkouts?\/|\/thank[-_]you(\/|$)|\/orders\//.test(path);
}

/**
 * Subscribes the pixel. `api` is what Shopify's sandbox gives (analytics, browser, init, customerPrivacy);
 * `settings` {writeKey, collectorUrl}; `api.fetch` may replace the global fetch (tests).
 */
export function otqPixel(api, settings) {
  const { analytics, browser, init } = api;
  const post = api.fetch ?? ((...args) => fetch(...args));
  const collector = String(settings.collectorUrl ?? '').replace(/\/+$/, '');
  let privacy = init?.customerPrivacy;
  if (api.customerPrivacy?.subscribe) {
    api.customerPrivacy.subscribe('visitorConsentCollected', (e) => { privacy = e?.customerPrivacy ?? privacy; });
  }

  const hash = async (text) => {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(String(text).trim().toLowerCase()));
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  };

  /** Posts one event; a network error, 408, 429 or 5xx is retried (same messageId: stored once). */
  async function send(event, attempt = 0) {
    const body = JSON.stringify({ writeKey: settings.writeKey, sentAt: new Date().toISOString(), batch: [event] });
    let status = 0;
    try {
      status = (await post(`${collector}/v1/batch`, { method: 'POST', keepalive: true, headers: { 'Content-Type': 'text/plain' }, body })).status;
    } catch { /* offline or collector down */ }
    if ((status === 0 || status === 408 || status === 429 || status >= 500) && attempt < 4) {
      setTimeout(() => send(event, attempt + 1), 1000 * 2 ** attempt);
    }
  }

  async function visitorId(event, checkout) {
    const attribute = (checkout?.attributes ?? []).find((a) => a?.key === '_otq_id')?.value;
    if (attribute) { return String(attribute); }
    let cookie = '';
    try { cookie = await browser?.cookie?.get('_otq_id'); } catch { /* no cookie API */ }
    return cookie || (event.clientId ? `shopify-${event.clientId}` : undefined);
  }

  async function track(type, event, extra = {}, checkout = undefined) {
    // Refused analytics: nothing leaves the browser (no consent answer yet is not a refusal).
    if (privacy && privacy.analyticsProcessingAllowed === false) { return; }
    const doc = event.context?.document ?? init?.context?.document ?? {};
    const customerId = init?.data?.customer?.id;
    const context = {
      page: { url: doc.location?.href, referrer: doc.referrer, title: doc.title },
      userAgent: event.context?.navigator?.userAgent,
      ...(privacy && { consent: { analytics: Boolean(privacy.analyticsProcessingAllowed), ads: Boolean(privacy.marketingAllowed) } }),
      ...extra.context,
    };
    await send({
      type,
      messageId: event.id ? `shopify-${event.id}` : crypto.randomUUID(), // Shopify's event id: a resend is stored once
      anonymousId: await visitorId(event, checkout),
      ...(customerId && { userId: otqOrderId(customerId) }),
      timestamp: event.timestamp ?? new Date().toISOString(),
      ...extra,
      context,
    });
  }

  analytics.subscribe('page_viewed', (event) => {
    const href = event?.context?.document?.location?.href ?? init?.context?.document?.location?.href;
    return otqIsCheckoutPage(href) ? track('page', event) : undefined;
  });

  analytics.subscribe('checkout_started', (event) => {
    const checkout = event?.data?.checkout;
    return track('track', event, {
      event: 'checkout_started',
      properties: { checkoutToken: checkout?.token, value: Number(checkout?.totalPrice?.amount), currency: checkout?.currencyCode },
    }, checkout);
  });

  analytics.subscribe('checkout_completed', async (event) => {
    const checkout = event?.data?.checkout ?? {};
    const orderId = otqOrderId(checkout.order?.id);
    let traits;
    try {
      if (checkout.email) { traits = { emailSha256: await hash(checkout.email) }; }
    } catch { /* no crypto.subtle: the e-mail is left out, never sent in clear */ }
    const money = { value: Number(checkout.totalPrice?.amount), currency: checkout.currencyCode };
    // Without an order id there is nothing to join: the webhook reports the order; this is kept as a checkout step.
    return orderId
      ? track('conversion', event, {
        properties: { orderId, revenue: money.value, currency: money.currency, checkoutToken: checkout.token },
        context: traits && { traits },
      }, checkout)
      : track('track', event, { event: 'checkout_completed', properties: { checkoutToken: checkout.token, ...money }, context: traits && { traits } }, checkout);
  });
}
