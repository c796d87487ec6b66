// sdk-js/dist/otq.js in headless Chromium against the real collector process: a Paid Search landing on a
// storefront served from another origin, SPA navigations, an add-to-cart, a collector outage (the event made
// meanwhile waits in the offline queue) and a restart on the same port and data directory, then a reload;
// consent-required mode; the Shopify theme snippet's rendered output with a fake /cart/update.js; and the
// Shopify custom pixel in a harness that provides the Web Pixels API's analytics, browser and init objects.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import {
  browserUserAgent, consentWorkspace, html, newDataDir, propertiesOf, readBadEvents, readEvents, removeDataDir, renderLiquid,
  sha256, sleep, startForwarder, startOn, startShop, waitForRows,
} from './lib.js';

const chromiumPath = process.env.OTQ_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(chromiumPath);
const skip = !haveChromium && process.env.CI !== 'true' ? `${chromiumPath} is missing (apt-get install chromium); skipped outside CI` : false;
const distPath = new URL('../../sdk-js/dist/otq.js', import.meta.url);
const snippetPath = new URL('../../sdk-js/shopify/otq.liquid', import.meta.url);
const pixelPath = new URL('../../sdk-js/shopify/custom-pixel.js', import.meta.url);
const landingSearch = '?utm_source=google&utm_medium=cpc&utm_campaign=spring&gclid=TESTGCLID';

let dataDir;
let forwarder;
let collector;
let shop;
let browser;
const cart = { attributes: {} };

// The collector embeds dist/otq.js and serves it at GET /otq.js: the pages load it from there, as a shop would.
const scriptUrl = () => `${forwarder.base}/otq.js`;
/** The loader exactly as sdk-js/README.md documents it, with this test's URLs. */
const loader = (writeKey, options) => `<script>!function(w,d,u){w.otq=w.otq||function(){(w.otq.q=w.otq.q||[]).push(arguments)};var s=d.createElement('script');s.async=1;s.src=u;d.head.appendChild(s)}(window,document,${JSON.stringify(scriptUrl())});otq('init',${JSON.stringify(writeKey)},${JSON.stringify({ endpoint: forwarder.base, ...options })});</script>`;
const storefront = (title, writeKey, options = {}) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title><link rel="icon" href="data:,">
${loader(writeKey, options)}
</head><body><h1>${title}</h1></body></html>`;

/** The custom pixel's sandbox as Shopify documents it: globals analytics, browser, init (+ a publish hook for the test). */
const pixelHarness = (pixelCode) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Thank you</title><link rel="icon" href="data:,">
<script>
  const subscribers = {};
  window.analytics = { subscribe(name, callback) { (subscribers[name] ||= []).push(callback); return Promise.resolve(); } };
  window.browser = { cookie: { get: async (name) => (document.cookie.match('(^|; )' + name + '=([^;]*)') || [])[2] || '' } };
  window.init = {
    context: { document: { location: { href: location.href }, referrer: document.referrer, title: document.title }, navigator: { userAgent: navigator.userAgent } },
    data: { customer: null, cart: null },
    customerPrivacy: { analyticsProcessingAllowed: true, marketingAllowed: false, preferencesProcessingAllowed: true, saleOfDataAllowed: false },
  };
  window.__publish = (name, event) => Promise.all((subscribers[name] || []).map((callback) => callback(event)));
</script>
<script>${pixelCode}</script>
</head><body><h1>Thank you</h1></body></html>`;

before(async () => {
  if (skip) { return; }
  if (!haveChromium) { throw new Error(`CI=true but ${chromiumPath} is missing`); }
  dataDir = newDataDir();
  forwarder = await startForwarder();
  shop = await startShop(async (req, res, { url, body }) => {
    const path = url.pathname;
    if (path.startsWith('/shop/')) {
      html(res, storefront('Trail Shop', collector.writeKey));
    } else if (path.startsWith('/consent/')) {
      html(res, storefront('Consent Shop', consentWorkspace.writeKey, { requireConsent: true }));
    } else if (path.startsWith('/liquid/')) {
      // What Shopify renders for {% render 'otq', … %} in theme.liquid's <head>, from the snippet file itself.
      const rendered = renderLiquid(readFileSync(snippetPath, 'utf8'), {
        write_key: collector.writeKey, collector_url: forwarder.base,
        'cart.attributes': cart.attributes, 'routes.cart_update_url': '/cart/update',
      });
      html(res, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Liquid Shop</title><link rel="icon" href="data:,">\n${rendered}\n</head><body><h1>Liquid Shop</h1></body></html>`);
    } else if (path === '/cart/update.js' && req.method === 'POST') {
      const update = JSON.parse(body);
      cart.attributes = { ...cart.attributes, ...update.attributes };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ token: 'cart-1', attributes: cart.attributes, items: [] }));
    } else if (path.startsWith('/pixel/')) {
      const code = readFileSync(pixelPath, 'utf8')
        .replace(/const OTQ_WRITE_KEY = '[^']*';/, `const OTQ_WRITE_KEY = ${JSON.stringify(collector.writeKey)};`)
        .replace(/const OTQ_COLLECTOR = '[^']*';/, `const OTQ_COLLECTOR = ${JSON.stringify(forwarder.base)};`);
      assert.ok(code.includes(collector.writeKey) && code.includes(forwarder.base), 'custom-pixel.js constants replaced');
      html(res, pixelHarness(code));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  collector = await startOn(dataDir, [shop.origin]);
  forwarder.to(collector);
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-quic', '--no-first-run', '--disable-sync', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
  });
});

after(async () => {
  await browser?.close();
  await collector?.stop();
  await forwarder?.close();
  await shop?.close();
  if (dataDir) { removeDataDir(dataDir); }
});

/** A browser context that records its requests to the collector (through the forwarder) and its errors. */
async function openContext() {
  const context = await browser.newContext({ userAgent: browserUserAgent });
  const log = { batches: [], failed: [], thirdHost: [], errors: [] };
  context.on('request', (r) => {
    const url = new URL(r.url());
    if (url.origin === forwarder.base && url.pathname === '/v1/batch') { log.batches.push({ time: performance.now(), body: JSON.parse(r.postData()) }); }
    if (![forwarder.base, shop.origin].includes(url.origin) && url.protocol !== 'data:') { log.thirdHost.push(r.url()); }
  });
  context.on('requestfailed', (r) => { log.failed.push({ url: r.url(), error: r.failure()?.errorText }); });
  const page = await context.newPage();
  page.on('pageerror', (e) => log.errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource|ERR_CONNECTION|ERR_EMPTY_RESPONSE/.test(m.text())) { log.errors.push(m.text()); } });
  return { context, page, log };
}

const cookieId = (page) => page.evaluate(() => (document.cookie.match(/(?:^|; )_otq_id=([^;]*)/) || [])[1] ?? null);
const stored = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('_otq')));
async function until(what, condition, timeoutMs = 20_000) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) { return value; }
    if (performance.now() > deadline) { assert.fail(`timed out waiting for ${what}`); }
    await sleep(100);
  }
}

test('storefront: a Paid Search landing, two SPA navigations, an add-to-cart, an outage with an offline event, a restart and a reload are stored once each, under one anonymous id, all Paid Search', { skip, timeout: 180_000 }, async () => {
  const { context, page, log } = await openContext();
  const base = `${shop.origin}/shop/`;
  const landing = `${base}${landingSearch}`;
  await page.goto(landing);
  await page.waitForFunction(() => typeof window.otq === 'function' && window.otq.l === 1);
  const anonymousId = await until('the _otq_id cookie', () => cookieId(page));

  await page.evaluate(() => { history.pushState({}, '', '/shop/products/trail'); document.title = 'Trail shoe'; });
  await sleep(100);
  await page.evaluate(() => { history.pushState({}, '', '/shop/cart'); document.title = 'Cart'; });
  await sleep(100);
  await page.evaluate(() => otq('track', 'add_to_cart', { sku: 'SKU-TRAIL-42', price: 49.9, quantity: 1, currency: 'EUR' }));
  const mine = (r) => r.anonymousId === anonymousId;
  const online = await waitForRows(collector, mine, 4);
  assert.equal(online.length, 4, JSON.stringify(online.map((r) => [r.type, r.event, r.pageUrl])));

  // Outage: the collector stops; the next event fails to send and waits in localStorage.
  forwarder.to(null);
  await collector.stop();
  collector = null;
  await page.evaluate(() => otq('track', 'wishlist_add', { sku: 'SKU-SOCK-3' }));
  const queued = await until('the offline event in the queue after a failed send', async () => {
    const s = await stored(page);
    const event = s?.q?.find((e) => e.event === 'wishlist_add');
    return event && log.failed.some((f) => f.url.startsWith(`${forwarder.base}/v1/batch`)) ? event : null;
  });
  assert.equal((await readBatchesWith(log, queued.messageId)).length >= 1, true, 'the browser tried to send it');

  // The collector comes back on the same port (the forwarder's) and data directory; the shopper reloads.
  collector = await startOn(dataDir, [shop.origin]);
  forwarder.to(collector);
  const reloadAt = performance.now();
  await page.reload();
  await page.waitForFunction(() => typeof window.otq === 'function' && window.otq.l === 1);

  const rows = await waitForRows(collector, mine, 6);
  const summary = rows.map((r) => [r.type, r.event ?? null, r.pageUrl]);
  const sorted = (list) => [...list].map((x) => JSON.stringify(x)).sort();
  assert.deepEqual(sorted(summary), sorted([
    ['page', null, landing],
    ['page', null, `${shop.origin}/shop/products/trail`],
    ['page', null, `${shop.origin}/shop/cart`],
    ['track', 'add_to_cart', `${shop.origin}/shop/cart`],
    ['track', 'wishlist_add', `${shop.origin}/shop/cart`],
    ['page', null, `${shop.origin}/shop/cart`],
  ]), JSON.stringify(summary, null, 1));
  assert.equal(new Set(rows.map((r) => r.messageId)).size, 6, 'no duplicate messageIds');
  assert.equal(rows.length, 6, 'each event stored once');
  const all = (await readEvents(collector)).rows;
  assert.equal(all.filter((r) => rows.some((x) => x.messageId === r.messageId)).length, 6);

  const byUrl = (type, url) => rows.filter((r) => r.type === type && r.pageUrl === url);
  const [landed] = byUrl('page', landing);
  assert.equal(landed.pageTitle, 'Trail Shop');
  const [product] = byUrl('page', `${shop.origin}/shop/products/trail`);
  assert.equal(product.pageReferrer, landing);
  assert.equal(product.pageTitle, 'Trail shoe');
  const cartPages = byUrl('page', `${shop.origin}/shop/cart`);
  assert.ok(cartPages.some((r) => r.pageReferrer === `${shop.origin}/shop/products/trail` && r.pageTitle === 'Cart'), JSON.stringify(cartPages));
  for (const row of rows) {
    assert.equal(row.anonymousId, anonymousId);
    assert.equal(row.channel, 'Paid Search', `${row.type} ${row.event} ${row.pageUrl}: channel ${row.channel}`);
    assert.equal(row.utmSource, 'google');
    assert.equal(row.utmMedium, 'cpc');
    assert.equal(row.utmCampaign, 'spring');
    assert.equal(row.clickIdType, 'gclid');
    assert.equal(row.clickId, 'TESTGCLID');
    assert.equal(row.isBot, false);
  }
  const [cartAdd] = rows.filter((r) => r.event === 'add_to_cart');
  assert.deepEqual(propertiesOf(cartAdd), { sku: 'SKU-TRAIL-42', price: 49.9, quantity: 1, currency: 'EUR' });
  const [offline] = rows.filter((r) => r.event === 'wishlist_add');
  assert.equal(offline.messageId, queued.messageId, 'the queued offline event arrived with the messageId it was made with');

  const after = await stored(page);
  assert.deepEqual(after.q, [], 'nothing left in the offline queue');
  assert.equal(after.i, anonymousId);
  assert.equal(after.f.campaign.source, 'google');
  const resent = log.batches.filter((b) => b.time > reloadAt && b.body.batch.some((e) => e.messageId === queued.messageId));
  console.log(`# offline event delivered by ${resent.length ? 'the reloaded page (stored queue)' : 'a retry before the reload'}`);
  assert.deepEqual(log.thirdHost, []);
  assert.deepEqual(log.errors, []);
  await context.close();
});

function readBatchesWith(log, messageId) {
  return log.batches.filter((b) => b.body.batch.some((e) => e.messageId === messageId));
}

test('requireConsent: nothing reaches the collector and nothing identifying is stored before otq("consent", {analytics: true}); afterwards the held events are accepted by a consent-requiring workspace', { skip, timeout: 90_000 }, async () => {
  const { context, page, log } = await openContext();
  const toCollector = [];
  page.on('request', (r) => { if (r.url().startsWith(forwarder.base) && !/\/otq(\.[\w-]+)?\.js$/.test(new URL(r.url()).pathname)) { toCollector.push(`${r.method()} ${r.url()}`); } });
  await page.goto(`${shop.origin}/consent/${landingSearch}`);
  await page.waitForFunction(() => typeof window.otq === 'function' && window.otq.l === 1);
  await page.evaluate(() => { history.pushState({}, '', '/consent/products/trail'); document.title = 'Trail shoe'; });
  await page.evaluate(() => otq('track', 'add_to_cart', { sku: 'SKU-TRAIL-42' }));
  await sleep(3000);
  assert.deepEqual(toCollector, [], 'no request to the collector before consent');
  assert.equal(await cookieId(page), null, 'no _otq_id cookie before consent');
  assert.equal(await page.evaluate(() => localStorage.length), 0, 'nothing in localStorage before consent');

  await page.evaluate(() => otq('consent', { analytics: true, ads: false }));
  const anonymousId = await until('the _otq_id cookie after consent', () => cookieId(page));
  const rows = await waitForRows(collector, (r) => r.anonymousId === anonymousId, 3, { token: consentWorkspace.readToken });
  assert.deepEqual(rows.map((r) => [r.type, r.event ?? null, r.pageUrl]).sort(), [
    ['page', null, `${shop.origin}/consent/${landingSearch}`],
    ['page', null, `${shop.origin}/consent/products/trail`],
    ['track', 'add_to_cart', `${shop.origin}/consent/products/trail`],
  ].sort());
  for (const row of rows) { assert.equal(row.channel, 'Paid Search'); }
  assert.ok(toCollector.length > 0);
  for (const batch of log.batches) { assert.deepEqual(batch.body.context, { consent: { analytics: true, ads: false } }); }
  const bad = await readBadEvents(collector, consentWorkspace.readToken);
  assert.deepEqual(bad.rows, [], 'no event refused for missing consent');
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('Shopify theme snippet (rendered Liquid): the page loads otq.js and writes _otq_id and first/last touch into the cart attributes, again only when they change', { skip, timeout: 90_000 }, async () => {
  const { context, page, log } = await openContext();
  const updates = () => shop.requests.filter((r) => r.path === '/cart/update.js');
  const before = updates().length;
  const email = `${shop.origin}/liquid/?utm_source=newsletter&utm_medium=email&utm_campaign=winter`;
  await page.goto(email);
  await until('POST /cart/update.js', () => updates().length > before);
  const first = updates().at(-1);
  assert.equal(first.method, 'POST');
  assert.match(first.headers['content-type'], /^application\/json/);
  const sent = JSON.parse(first.body);
  const anonymousId = await cookieId(page);
  assert.deepEqual(Object.keys(sent), ['attributes']);
  assert.equal(sent.attributes._otq_id, anonymousId);
  const firstTouch = JSON.parse(sent.attributes._otq_first_touch);
  const lastTouch = JSON.parse(sent.attributes._otq_last_touch);
  assert.deepEqual(firstTouch.campaign, { source: 'newsletter', medium: 'email', name: 'winter' });
  assert.equal(firstTouch.url, email);
  assert.deepEqual(lastTouch, firstTouch);

  // Same visitor, same touches: Liquid now renders them in cart.attributes, so nothing is written.
  await page.reload();
  await page.waitForFunction(() => typeof window.otq === 'function' && window.otq.l === 1);
  await sleep(1500);
  assert.equal(updates().length, before + 1, 'unchanged attributes are not written again');

  // A new campaign changes the last touch only.
  await page.goto(`${shop.origin}/liquid/?utm_source=facebook&utm_medium=paid_social&utm_campaign=retarget&fbclid=FB1`);
  await until('a second POST /cart/update.js', () => updates().length > before + 1);
  const second = JSON.parse(updates().at(-1).body).attributes;
  assert.equal(second._otq_id, anonymousId);
  assert.deepEqual(JSON.parse(second._otq_first_touch), firstTouch);
  assert.deepEqual(JSON.parse(second._otq_last_touch).campaign, { source: 'facebook', medium: 'paid_social', name: 'retarget' });
  assert.deepEqual(JSON.parse(second._otq_last_touch).clickIds, { fbclid: 'FB1' });
  assert.deepEqual(cart.attributes, second);

  const rows = await waitForRows(collector, (r) => r.anonymousId === anonymousId, 3);
  assert.deepEqual(rows.map((r) => r.channel), ['Email', 'Email', 'Paid Social']);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('Shopify custom pixel: storefront page views are left to the snippet (no double count); checkout_completed with a gid order id reaches the store as one conversion with the cart\'s _otq_id, the numeric order id, the checkout token and the e-mail only as SHA-256', { skip, timeout: 90_000 }, async () => {
  const { context, page, log } = await openContext();
  await page.goto(`${shop.origin}/shop/?utm_source=google&utm_medium=cpc&utm_campaign=pixel`);
  const anonymousId = await until('the _otq_id cookie', () => cookieId(page));
  await page.goto(`${shop.origin}/pixel/thank-you`);
  await page.waitForFunction(() => typeof window.__publish === 'function');
  const href = `${shop.origin}/checkouts/cn/c1/thank-you`;
  const ctx = { document: { location: { href }, referrer: `${shop.origin}/checkouts/cn/c1`, title: 'Thank you' }, navigator: { userAgent: browserUserAgent } };
  const clearEmail = '  Buyer.Person@Example.ORG ';
  // As Shopify documents checkout_completed: some shops give the order as a gid; the cart attributes carry _otq_id.
  const checkout = {
    token: 'ck-1', currencyCode: 'EUR', email: clearEmail, order: { id: 'gid://shopify/OrderIdentity/5551234' },
    attributes: [{ key: '_otq_id', value: anonymousId }],
    totalPrice: { amount: 99.9, currencyCode: 'EUR' }, subtotalPrice: { amount: 89.9, currencyCode: 'EUR' },
  };
  const at = () => new Date().toISOString();
  const events = [
    // A storefront page: the snippet already sent it; the pixel must not send it again.
    ['page_viewed', { id: 'evt-pv-1', name: 'page_viewed', clientId: 'cid-1', timestamp: at(), context: { ...ctx, document: { ...ctx.document, location: { href: `${shop.origin}/products/trail` }, title: 'Trail shoe' } }, data: {} }],
    ['page_viewed', { id: 'evt-pv-2', name: 'page_viewed', clientId: 'cid-1', timestamp: at(), context: { ...ctx, document: { ...ctx.document, location: { href: `${shop.origin}/checkouts/cn/c1/information` }, title: 'Checkout' } }, data: {} }],
    ['checkout_started', { id: 'evt-cs-1', name: 'checkout_started', clientId: 'cid-1', timestamp: at(), context: ctx, data: { checkout } }],
    ['checkout_completed', { id: 'evt-cc-1', name: 'checkout_completed', clientId: 'cid-1', timestamp: at(), context: ctx, data: { checkout } }],
  ];
  for (const [name, event] of events) { await page.evaluate(([n, e]) => window.__publish(n, e), [name, event]); }
  // Shopify may deliver an event twice (e.g. a reload of the thank-you page): same event id, one row.
  await page.evaluate(([n, e]) => window.__publish(n, e), events[3]);

  const rows = await waitForRows(collector, (r) => r.anonymousId === anonymousId && r.messageId?.startsWith('shopify-'), 3);
  assert.deepEqual(rows.map((r) => r.messageId).sort(), ['shopify-evt-cc-1', 'shopify-evt-cs-1', 'shopify-evt-pv-2']);
  assert.ok(!log.batches.some((b) => JSON.stringify(b).includes('evt-pv-1')), 'the storefront page_viewed was sent by the pixel');
  const [conversion] = rows.filter((r) => r.type === 'conversion');
  assert.equal(conversion.messageId, 'shopify-evt-cc-1');
  assert.equal(conversion.orderId, '5551234');
  assert.equal(Number(conversion.revenue), 99.9);
  assert.equal(conversion.currency, 'EUR');
  assert.equal(conversion.emailSha256, sha256('buyer.person@example.org'));
  assert.equal(conversion.pageUrl, href);
  assert.equal(propertiesOf(conversion).checkoutToken, 'ck-1');
  assert.equal(rows.find((r) => r.type === 'page').pageUrl, `${shop.origin}/checkouts/cn/c1/information`);
  const { text } = await readEvents(collector);
  const { text: badText } = await readBadEvents(collector);
  for (const where of [text, badText, JSON.stringify(log.batches)]) {
    assert.ok(!/buyer\.person|example\.org/i.test(where), 'the clear e-mail reached the collector');
  }
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('the collector serves dist/otq.js at GET /otq.js and at the versioned URL it names in X-OTQ-Versioned-Url', {
  skip,
}, async () => {
  const dist = readFileSync(distPath);
  const response = await fetch(`${collector.base}/otq.js`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /javascript/);
  assert.ok(Buffer.from(await response.arrayBuffer()).equals(dist), 'GET /otq.js is not dist/otq.js');
  const versioned = response.headers.get('x-otq-versioned-url');
  assert.ok(versioned, 'no X-OTQ-Versioned-Url header');
  const url = new URL(versioned, collector.base);
  assert.match(url.pathname, /^\/v1\/otq\.[0-9a-zA-Z_-]+\.js$/);
  assert.equal(url.pathname, `/v1/otq.${sha256(dist.toString('utf8')).slice(0, 16)}.js`, 'the hash is the first 16 hex digits of the SHA-256 of dist/otq.js');
  const pinned = await fetch(new URL(url.pathname, collector.base));
  assert.equal(pinned.status, 200);
  assert.ok(Buffer.from(await pinned.arrayBuffer()).equals(dist), `${url.pathname} is not dist/otq.js`);
});
