// analytics.js (@segment/analytics-next 1.84.3, its UMD bundle, unchanged) on a storefront page in
// headless Chromium. The shop is one loopback origin, the collector another: analytics.js loads its
// settings from the collector (cdnURL), sends each call cross-origin with Basic auth (so every send is
// preceded by a CORS preflight) and must contact no third host: no CDN, no api.segment.io.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import {
  assertNothingInClear, assertRow, browserUserAgent, clearEmail, emailSha256, one, products, propertiesOf, startSegmentCollector, waitForRows,
} from './lib.js';

const chromiumPath = process.env.OTQ_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(chromiumPath);
// In CI a missing browser is a failure (the before hook throws); on a workstation the test skips.
const skip = !haveChromium && process.env.CI !== 'true' ? `${chromiumPath} is missing (apt-get install chromium); skipped outside CI` : false;
const bundles = fileURLToPath(new URL('./node_modules/@segment/analytics-next/dist/umd/', import.meta.url));
const search = '?utm_source=google&utm_medium=cpc&utm_campaign=spring&gclid=abc';

let shop;
let collector;
let browser;

/** The storefront: its page, and the analytics.js bundle with its lazy chunks at /analytics-next/bundles/ (where the UMD looks for them under analytics._cdn). */
async function startShop() {
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://shop').pathname;
    if (path === '/shop/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(shopPage(shop.origin, collector));
      return;
    }
    const name = path.startsWith('/analytics-next/bundles/') ? path.slice('/analytics-next/bundles/'.length) : null;
    if (name && /^[\w.-]+\.js$/.test(name) && existsSync(join(bundles, name))) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(readFileSync(join(bundles, name)));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }) };
}

/** The shop's HTML: the snippet-free analytics.js setup a storefront would write, then a visit, an order and a login. */
function shopPage(origin, target) {
  const config = {
    writeKey: target.writeKey,
    cdnURL: target.base, // settings from GET {collector}/v1/projects/{writeKey}/settings
    apiHost: `${new URL(target.base).host}/v1`, // also moves analytics.js's own metrics (off: sampleRate 0)
    order: { order_id: '2001', revenue: 42.5, total: 47.5, currency: 'EUR', products },
    email: clearEmail,
  };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Trail Shop</title><link rel="icon" href="data:,">
<script>window.analytics = { _cdn: ${JSON.stringify(origin)} };</script>
<script src="/analytics-next/bundles/index.js"></script>
</head><body><h1>Trail Shop</h1><p id="state">loading</p>
<script>
(async () => {
  const config = ${JSON.stringify(config)};
  const state = document.getElementById('state');
  try {
    const [analytics] = await window.AnalyticsNext.AnalyticsBrowser.load(
      { writeKey: config.writeKey, cdnURL: config.cdnURL },
      { disableClientPersistence: true, integrations: { 'Segment.io': { apiHost: config.apiHost, protocol: 'http' } } });
    const calls = [await analytics.page(), await analytics.track('Order Completed', config.order), await analytics.identify('u1', { email: config.email })];
    window.__shop = {
      messageIds: calls.map((ctx) => ctx.event.messageId),
      anonymousId: analytics.user().anonymousId(),
      failed: calls.map((ctx) => (typeof ctx.failedDelivery === 'function' && ctx.failedDelivery() ? String(ctx.failedDelivery().reason) : null)),
    };
    state.textContent = 'done';
  } catch (error) {
    window.__shop = { error: String(error && error.stack || error) };
    state.textContent = 'error';
  }
})();
</script></body></html>`;
}

before(async () => {
  if (skip) { return; }
  if (!haveChromium) { throw new Error(`CI=true but ${chromiumPath} is missing`); }
  shop = await startShop();
  collector = await startSegmentCollector({ allowedOrigins: [shop.origin] });
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-quic', '--no-first-run', '--disable-sync',
      // Belt and braces: a name that is not loopback does not even resolve (the request listener still sees the attempt).
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
  });
});

after(async () => {
  await browser?.close();
  await collector?.stop();
  await shop?.close();
});

test('analytics.js in Chromium: page, Order Completed and identify from a Paid Search visit are stored, and no third host is contacted', { skip, timeout: 90_000 }, async () => {
  const context = await browser.newContext({ userAgent: browserUserAgent });
  const requests = [];
  const responses = [];
  const failures = [];
  const consoleErrors = [];
  context.on('request', (r) => requests.push({ method: r.method(), url: r.url() }));
  context.on('response', (r) => responses.push({ method: r.request().method(), url: r.url(), status: r.status() }));
  context.on('requestfailed', (r) => failures.push({ method: r.method(), url: r.url(), error: r.failure()?.errorText }));
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') { consoleErrors.push(m.text()); } });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));

  const pageUrl = `${shop.origin}/shop/${search}`;
  await page.goto(pageUrl);
  await page.waitForFunction(() => window.__shop, null, { timeout: 45_000 });
  const result = await page.evaluate(() => window.__shop);
  const network = JSON.stringify({ responses, failures, consoleErrors }, null, 1);
  assert.equal(result.error, undefined, `${result.error}\n${network}`);
  assert.deepEqual(result.failed, [null, null, null], network);

  // Only the two loopback origins, and the collector's endpoints answered.
  const allowed = new Set([shop.origin, collector.base]);
  assert.deepEqual(requests.filter((r) => !allowed.has(new URL(r.url).origin)), [], 'requests to a third host');
  const answered = (method, path) => responses.find((r) => r.method === method && r.url.startsWith(collector.base + path))?.status;
  assert.equal(answered('GET', `/v1/projects/${collector.writeKey}/settings`), 200, network);
  for (const path of ['/v1/p', '/v1/t', '/v1/i']) { assert.equal(answered('POST', path), 200, `POST ${path}\n${network}`); }
  assert.deepEqual(failures, []);
  assert.deepEqual(consoleErrors, []);

  const [pageId, orderId, identifyId] = result.messageIds;
  const anonymousId = result.anonymousId;
  const rows = await waitForRows(collector, (r) => result.messageIds.includes(r.messageId), 3);
  assert.equal(rows.length, 3);
  // analytics.js puts context.page (url, title, referrer '') and context.campaign on every call.
  const visit = {
    anonymousId, pageUrl, pageTitle: 'Trail Shop', utmSource: 'google', utmMedium: 'cpc', utmCampaign: 'spring', clickIdType: 'gclid', clickId: 'abc',
  };
  assertRow(one(rows, pageId), { messageId: pageId, type: 'page', ...visit }, 'page');
  const order = one(rows, orderId);
  assertRow(order, { messageId: orderId, type: 'conversion', ...visit, orderId: '2001', revenue: 42.5, currency: 'EUR' }, 'Order Completed');
  assert.deepEqual(propertiesOf(order)?.products, products);
  assertRow(one(rows, identifyId), { messageId: identifyId, type: 'identify', ...visit, userId: 'u1', emailSha256 }, 'identify');
  for (const row of rows) {
    assert.equal(row.channel, 'Paid Search', `${row.type} channel`);
    assert.equal(row.userAgent, browserUserAgent, `${row.type} userAgent`);
    assert.equal(row.isBot, false, `${row.type} isBot`);
  }
  await assertNothingInClear(collector);
  await context.close();
});
