// Issue 20: the web pixel's register() callback in a harness that is Shopify's strict sandbox as documented
// (analytics.subscribe, browser.cookie, init, customerPrivacy), fed the documented event payloads; what it would
// POST to the collector is recorded instead of sent.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { otqIsCheckoutPage, otqOrderId, otqPixel } from '../shopify/pixel/otq-pixel.js';

const shop = 'https://trail-shop.myshopify.com';

/** A sandbox: subscribers by event name, a cookie jar, init, a consent subscription, and the posted events. */
function sandbox({ cookie = '', analyticsAllowed = true, consentCollected = true } = {}) {
  const subscribers = {};
  const consent = [];
  const posted = [];
  const api = {
    analytics: { subscribe: (name, callback) => { (subscribers[name] ||= []).push(callback); } },
    browser: { cookie: { get: async (name) => (name === '_otq_id' ? cookie : '') } },
    init: {
      context: { document: { location: { href: `${shop}/` }, referrer: '', title: 'Trail Shop' }, navigator: { userAgent: 'UA' } },
      data: { customer: { id: 'gid://shopify/Customer/7390000000001' } },
      customerPrivacy: consentCollected ? { analyticsProcessingAllowed: analyticsAllowed, marketingAllowed: false } : undefined,
    },
    customerPrivacy: { subscribe: (name, callback) => { if (name === 'visitorConsentCollected') { consent.push(callback); } } },
    fetch: async (url, options) => { posted.push({ url, options, event: JSON.parse(options.body).batch[0] }); return { status: 200 }; },
  };
  otqPixel(api, { writeKey: 'wk_test', collectorUrl: 'https://collect.example/' });
  return {
    posted,
    publish: (name, event) => Promise.all((subscribers[name] ?? []).map((callback) => callback(event))),
    collectConsent: (customerPrivacy) => consent.forEach((callback) => callback({ customerPrivacy })),
  };
}

const pageViewed = (id, href) => ({
  id, name: 'page_viewed', clientId: 'cid-1', timestamp: '2026-11-23T12:00:00.000Z',
  context: { document: { location: { href }, referrer: '', title: 'page' }, navigator: { userAgent: 'UA' } }, data: {},
});

/** checkout_completed as the Web Pixels API documents it, with a gid order id and the cart attributes the snippet wrote. */
const checkoutCompleted = (order = { id: 'gid://shopify/OrderIdentity/5551234' }) => ({
  id: 'evt-cc-1', name: 'checkout_completed', clientId: 'cid-1', timestamp: '2026-11-23T12:05:00.000Z',
  context: { document: { location: { href: `${shop}/checkouts/cn/c1/thank-you` }, referrer: `${shop}/checkouts/cn/c1`, title: 'Thank you' }, navigator: { userAgent: 'UA' } },
  data: {
    checkout: {
      token: 'ck-1', currencyCode: 'EUR', email: ' Buyer@Example.org ', order,
      attributes: [{ key: 'gift', value: 'no' }, { key: '_otq_id', value: 'otq-from-cart' }],
      totalPrice: { amount: 99.9, currencyCode: 'EUR' },
    },
  },
});

test('a storefront page view is not sent (the snippet sends it) but a checkout page view is: no double count', async () => {
  const pixel = sandbox({ cookie: 'otq-cookie' });
  await pixel.publish('page_viewed', pageViewed('evt-pv-product', `${shop}/products/trail-shoe`));
  await pixel.publish('page_viewed', pageViewed('evt-pv-home', `${shop}/`));
  await pixel.publish('page_viewed', pageViewed('evt-pv-checkout', `${shop}/checkouts/cn/c1/information`));
  await pixel.publish('page_viewed', pageViewed('evt-pv-status', `${shop}/70000000001/orders/abc123`));

  assert.deepEqual(pixel.posted.map((p) => p.event.messageId), ['shopify-evt-pv-checkout', 'shopify-evt-pv-status']);
  assert.equal(pixel.posted[0].url, 'https://collect.example/v1/batch');
  assert.equal(pixel.posted[0].event.anonymousId, 'otq-cookie');
  assert.equal(pixel.posted[0].event.type, 'page');
});

test('checkout_completed with a gid order id and cart attributes is one conversion with the numeric id, the token and the cart\'s _otq_id', async () => {
  const pixel = sandbox({ cookie: 'otq-cookie' });
  await pixel.publish('checkout_completed', checkoutCompleted());

  assert.equal(pixel.posted.length, 1);
  const { event, options } = pixel.posted[0];
  assert.equal(options.headers['Content-Type'], 'text/plain');
  assert.equal(event.type, 'conversion');
  assert.equal(event.messageId, 'shopify-evt-cc-1');
  assert.equal(event.anonymousId, 'otq-from-cart');
  assert.equal(event.userId, '7390000000001');
  assert.deepEqual(event.properties, { orderId: '5551234', revenue: 99.9, currency: 'EUR', checkoutToken: 'ck-1' });
  assert.equal(event.context.traits.emailSha256, createHash('sha256').update('buyer@example.org').digest('hex'));
  assert.ok(!options.body.toLowerCase().includes('buyer@example'), 'the clear e-mail left the browser');
  assert.deepEqual(event.context.consent, { analytics: true, ads: false });
});

test('without the cart attribute the cookie, then Shopify\'s clientId, is the visitor', async () => {
  const withCookie = sandbox({ cookie: 'otq-cookie' });
  const bare = checkoutCompleted();
  bare.data.checkout.attributes = [];
  await withCookie.publish('checkout_completed', bare);
  const noCookie = sandbox();
  await noCookie.publish('checkout_completed', bare);

  assert.equal(withCookie.posted[0].event.anonymousId, 'otq-cookie');
  assert.equal(noCookie.posted[0].event.anonymousId, 'shopify-cid-1');
});

test('a null checkout.order does not throw: the step is kept as a track event with the checkout token, not a conversion', async () => {
  const pixel = sandbox();
  await pixel.publish('checkout_completed', checkoutCompleted(null));

  assert.equal(pixel.posted.length, 1);
  assert.equal(pixel.posted[0].event.type, 'track');
  assert.equal(pixel.posted[0].event.event, 'checkout_completed');
  assert.equal(pixel.posted[0].event.properties.checkoutToken, 'ck-1');
  assert.equal(pixel.posted[0].event.properties.orderId, undefined);
});

test('consent denied sends nothing; once visitorConsentCollected grants it, events go with the consent given', async () => {
  const pixel = sandbox({ analyticsAllowed: false });
  await pixel.publish('checkout_started', { id: 'evt-cs-1', clientId: 'cid-1', data: { checkout: { token: 'ck-1', totalPrice: { amount: 10 }, currencyCode: 'EUR' } } });
  assert.deepEqual(pixel.posted, []);

  pixel.collectConsent({ analyticsProcessingAllowed: true, marketingAllowed: true });
  await pixel.publish('checkout_completed', checkoutCompleted());

  assert.deepEqual(pixel.posted.map((p) => p.event.messageId), ['shopify-evt-cc-1']);
  assert.deepEqual(pixel.posted[0].event.context.consent, { analytics: true, ads: true });
});

test('before any consent answer events are sent without a consent claim (the collector applies the workspace rule)', async () => {
  const pixel = sandbox({ consentCollected: false });
  await pixel.publish('checkout_completed', checkoutCompleted());

  assert.equal(pixel.posted.length, 1);
  assert.equal(pixel.posted[0].event.context.consent, undefined);
});

test('order ids: numeric text, numbers and any Shopify gid become the numeric id; checkout pages are recognised by path', () => {
  assert.equal(otqOrderId('gid://shopify/OrderIdentity/5551234'), '5551234');
  assert.equal(otqOrderId('gid://shopify/Order/9007199254740993?key=abc'), '9007199254740993');
  assert.equal(otqOrderId('5551234'), '5551234');
  assert.equal(otqOrderId(5551234), '5551234');
  assert.equal(otqOrderId(null), undefined);
  assert.equal(otqOrderId('#1001'), '#1001');
  assert.equal(otqIsCheckoutPage(`${shop}/checkouts/cn/c1/thank-you`), true);
  assert.equal(otqIsCheckoutPage(`${shop}/account/orders/123`), true);
  assert.equal(otqIsCheckoutPage(`${shop}/collections/orders-of-the-day`), false);
  assert.equal(otqIsCheckoutPage(`${shop}/products/thank-you-card`), false);
  assert.equal(otqIsCheckoutPage('not a url'), false);
});
