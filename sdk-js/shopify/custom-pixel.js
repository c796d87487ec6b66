// OmniTrackIQ custom pixel: paste this file into Shopify admin → Settings → Customer events →
// Add custom pixel, set the two constants below, Save, then Connect. It runs in Shopify's pixel sandbox,
// which gives it only the documented Web Pixels API objects (no access to the shop's DOM):
//   analytics.subscribe(name, callback)          https://shopify.dev/docs/api/web-pixels-api/standard-api/analytics
//   browser.cookie.get(name) → Promise<string>   https://shopify.dev/docs/api/web-pixels-api/standard-api/browser
//   init.context, init.data.customer              https://shopify.dev/docs/api/web-pixels-api/standard-api/init
//   init.customerPrivacy {analyticsProcessingAllowed, marketingAllowed}
//                                                https://shopify.dev/docs/api/web-pixels-api/standard-api/customerprivacy
//   page_viewed: no data; the page is event.context.document.location.href, .referrer, .title
//                                                https://shopify.dev/docs/api/web-pixels-api/standard-events/page_viewed
//   product_added_to_cart: event.data.cartLine {merchandise {id, sku, product {id, title}}, quantity, cost.totalAmount}
//                                                https://shopify.dev/docs/api/web-pixels-api/standard-events/product_added_to_cart
//   checkout_started / checkout_completed: event.data.checkout {token, order.id, totalPrice.amount, currencyCode, email}
//                                                https://shopify.dev/docs/api/web-pixels-api/standard-events/checkout_completed
// Every event goes to POST {collector}/v1/batch as text/plain (no CORS preflight) with the storefront
// snippet's anonymous id (cookie _otq_id), so the order joins the visits and their campaigns. The buyer's
// e-mail leaves the browser only as its SHA-256 (trimmed, lower-cased): context.traits.emailSha256.
const OTQ_WRITE_KEY = 'wk_REPLACE_ME';
const OTQ_COLLECTOR = 'https://collect.example';

const otqHash = async (text) => {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(String(text).trim().toLowerCase()));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
};

let otqPrivacy = init.customerPrivacy;
if (typeof customerPrivacy !== 'undefined' && customerPrivacy.subscribe) {
  customerPrivacy.subscribe('visitorConsentCollected', (e) => { otqPrivacy = e.customerPrivacy; });
}

/** Posts one event; a network error, 408, 429 or 5xx is retried (same messageId: stored once). */
async function otqPost(event, attempt = 0) {
  const body = JSON.stringify({ writeKey: OTQ_WRITE_KEY, sentAt: new Date().toISOString(), batch: [event] });
  let status = 0;
  try {
    status = (await fetch(`${OTQ_COLLECTOR}/v1/batch`, { method: 'POST', keepalive: true, headers: { 'Content-Type': 'text/plain' }, body })).status;
  } catch { /* offline or collector down */ }
  if ((status === 0 || status === 408 || status === 429 || status >= 500) && attempt < 4) {
    setTimeout(() => otqPost(event, attempt + 1), 1000 * 2 ** attempt);
  }
}

async function otqSend(type, event, extra = {}) {
  const doc = event.context?.document ?? init.context?.document ?? {};
  const anonymousId = (await browser.cookie.get('_otq_id')) || (event.clientId ? `shopify-${event.clientId}` : undefined);
  const customerId = init.data?.customer?.id;
  const context = {
    page: { url: doc.location?.href, referrer: doc.referrer, title: doc.title },
    userAgent: event.context?.navigator?.userAgent,
    ...(otqPrivacy && { consent: { analytics: Boolean(otqPrivacy.analyticsProcessingAllowed), ads: Boolean(otqPrivacy.marketingAllowed) } }),
    ...extra.context,
  };
  await otqPost({
    type,
    messageId: event.id ? `shopify-${event.id}` : crypto.randomUUID(), // Shopify's event id: a resend is stored once
    anonymousId,
    ...(customerId && { userId: String(customerId) }),
    timestamp: event.timestamp ?? new Date().toISOString(),
    ...extra,
    context,
  });
}

analytics.subscribe('page_viewed', (event) => otqSend('page', event));

analytics.subscribe('product_added_to_cart', (event) => {
  const line = event.data?.cartLine;
  return otqSend('track', event, {
    event: 'product_added_to_cart',
    properties: {
      productId: line?.merchandise?.product?.id, variantId: line?.merchandise?.id, sku: line?.merchandise?.sku,
      name: line?.merchandise?.product?.title, quantity: line?.quantity,
      value: Number(line?.cost?.totalAmount?.amount), currency: line?.cost?.totalAmount?.currencyCode,
    },
  });
});

analytics.subscribe('checkout_started', (event) => {
  const checkout = event.data?.checkout;
  return otqSend('track', event, {
    event: 'checkout_started',
    properties: { checkoutToken: checkout?.token, value: Number(checkout?.totalPrice?.amount), currency: checkout?.currencyCode },
  });
});

analytics.subscribe('checkout_completed', async (event) => {
  const checkout = event.data.checkout;
  let traits;
  try {
    if (checkout.email) { traits = { emailSha256: await otqHash(checkout.email) }; }
  } catch { /* no crypto.subtle: the e-mail is left out, never sent in clear */ }
  return otqSend('conversion', event, {
    properties: { orderId: String(checkout.order.id), revenue: Number(checkout.totalPrice.amount), currency: checkout.currencyCode },
    context: traits && { traits },
  });
});
