// Segment-shaped HTTP by hand: per-event acceptance in a batch, every route of the tracking API with
// each way a client passes its write key and encodes its body, /v1/m, the settings analytics.js
// loads, and the CORS preflight a browser sends first.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import {
  assertRow, basic, browserUserAgent, one, readBadEvents, readEvents, sleep, startSegmentCollector, waitForBadRows, waitForRows,
} from './lib.js';

const shopOrigin = 'http://shop.example.test:8080';
let collector;

before(async () => { collector = await startSegmentCollector({ allowedOrigins: [shopOrigin] }); });
after(async () => { await collector?.stop(); });

/** POST a body (object → JSON text) as a client would; returns { status, headers, body }. */
async function post(path, body, { headers = {}, gzip = false, contentType = 'application/json' } = {}) {
  let data = typeof body === 'string' ? body : JSON.stringify(body);
  const sent = { 'User-Agent': browserUserAgent, 'Content-Type': contentType, ...headers };
  if (gzip) { data = gzipSync(data); sent['Content-Encoding'] = 'gzip'; }
  const response = await fetch(collector.base + path, { method: 'POST', headers: sent, body: data });
  const text = await response.text();
  let parsed = text;
  try { parsed = JSON.parse(text); } catch { /* not JSON */ }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

test('a batch with one invalid event: the valid ones are accepted, the invalid one is reported by index and kept as a bad event', { timeout: 30_000 }, async () => {
  const sent = await post('/v1/batch', {
    sentAt: new Date().toISOString(),
    context: { library: { name: 'hand-rolled', version: '1.0.0' } },
    batch: [
      { type: 'track', messageId: 'raw-ok-1', userId: 'raw-user', event: 'Product Viewed', properties: { product_id: 'p-trail' }, timestamp: new Date().toISOString() },
      { type: 'track', messageId: 'raw-bad-1', userId: 'raw-user', properties: { product_id: 'p-sock' }, timestamp: new Date().toISOString() },
      { type: 'page', messageId: 'raw-ok-2', anonymousId: 'raw-anon', name: 'Home', properties: { url: 'https://shop.example/', title: 'Trail Shop' } },
    ],
  }, { headers: { Authorization: basic(collector.writeKey) } });
  assert.equal(sent.status, 200, sent.text);
  assert.equal(sent.body.accepted, 2, sent.text);
  assert.equal(sent.body.rejected.length, 1, sent.text);
  const [rejected] = sent.body.rejected;
  assert.equal(rejected.index, 1, sent.text);
  assert.equal(rejected.field, 'batch[1].event', sent.text);
  assert.equal(typeof rejected.reason, 'string', sent.text);
  assert.ok(rejected.reason.length > 0, sent.text);

  const rows = await waitForRows(collector, (r) => r.messageId.startsWith('raw-ok-') || r.messageId.startsWith('raw-bad-'), 2);
  assert.deepEqual(rows.map((r) => r.messageId).sort(), ['raw-ok-1', 'raw-ok-2']);
  assertRow(one(rows, 'raw-ok-1'), { messageId: 'raw-ok-1', type: 'track', userId: 'raw-user' }, 'raw-ok-1');
  assertRow(one(rows, 'raw-ok-2'), { messageId: 'raw-ok-2', type: 'page', anonymousId: 'raw-anon', pageUrl: 'https://shop.example/', pageTitle: 'Trail Shop' }, 'raw-ok-2');

  const bad = await waitForBadRows(collector, (b) => String(b.payload).includes('raw-bad-1'), 1);
  assert.equal(bad.length, 1, JSON.stringify((await readBadEvents(collector)).rows));
  assert.equal(bad[0].index, 1, JSON.stringify(bad[0]));
  assert.equal(bad[0].field, 'batch[1].event', JSON.stringify(bad[0]));
  assert.ok(typeof bad[0].reason === 'string' && bad[0].reason.length > 0, JSON.stringify(bad[0]));
  assert.ok(!String(bad[0].payload).includes('raw-ok-'), `the bad event's payload is that event only: ${bad[0].payload}`);
});

// Every route, each with another way to pass the write key and to encode the body. Long forms follow
// the HTTP API (the route gives the type, the body need not); short forms are what analytics.js posts.
const wk = () => collector.writeKey;
const basicKey = () => ({ Authorization: basic(wk()) });
const routes = [
  { path: '/v1/track', how: 'body writeKey, application/json',
    body: () => ({ writeKey: wk(), userId: 'route-u', event: 'Product Viewed', properties: { product_id: 'p1' } }),
    expect: { type: 'track', userId: 'route-u' } },
  { path: '/v1/t', how: 'Basic with colon, text/plain', headers: basicKey, contentType: 'text/plain',
    body: () => ({ type: 'track', userId: 'route-u', event: 'Product Viewed' }),
    expect: { type: 'track', userId: 'route-u' } },
  { path: '/v1/page', how: 'Basic without colon, page fields in properties', headers: () => ({ Authorization: basic(wk(), false) }),
    body: () => ({ anonymousId: 'route-a', name: 'Home', properties: { url: 'https://shop.example/home', title: 'Home' } }),
    expect: { type: 'page', anonymousId: 'route-a', pageUrl: 'https://shop.example/home', pageTitle: 'Home' } },
  { path: '/v1/p', how: 'X-Write-Key, page fields in context.page', headers: () => ({ 'X-Write-Key': wk() }), contentType: 'text/plain',
    body: () => ({ type: 'page', anonymousId: 'route-a', context: { page: { url: 'https://shop.example/p', title: 'P', referrer: 'https://www.bing.com/' } } }),
    expect: { type: 'page', anonymousId: 'route-a', pageUrl: 'https://shop.example/p', pageTitle: 'P', pageReferrer: 'https://www.bing.com/' } },
  { path: '/v1/identify', how: 'X-OTQ-Key', headers: () => ({ 'X-OTQ-Key': wk() }),
    body: () => ({ userId: 'route-u', traits: { plan: 'pro' } }),
    expect: { type: 'identify', userId: 'route-u' } },
  { path: '/v1/i', how: '?writeKey=', query: () => `?writeKey=${wk()}`,
    body: () => ({ type: 'identify', userId: 'route-u', traits: { plan: 'pro' } }),
    expect: { type: 'identify', userId: 'route-u' } },
  { path: '/v1/screen', how: 'gzip labelled application/x-www-form-urlencoded (as Rudder sends)', headers: basicKey, gzip: true, contentType: 'application/x-www-form-urlencoded',
    body: () => ({ userId: 'route-u', name: 'Main' }),
    expect: { type: 'screen', userId: 'route-u', pageTitle: 'Main' } },
  { path: '/v1/s', how: 'gzip application/json, body writeKey', gzip: true,
    body: () => ({ type: 'screen', userId: 'route-u', name: 'Main', writeKey: wk() }),
    expect: { type: 'screen', userId: 'route-u', pageTitle: 'Main' } },
  { path: '/v1/group', how: 'body writeKey',
    body: () => ({ writeKey: wk(), userId: 'route-u', groupId: 'route-g1', traits: { name: 'Acme' } }),
    expect: { type: 'group', userId: 'route-u', groupId: 'route-g1' } },
  { path: '/v1/g', how: 'body writeKey, text/plain', contentType: 'text/plain',
    body: () => ({ type: 'group', userId: 'route-u', groupId: 'route-g2', writeKey: wk() }),
    expect: { type: 'group', userId: 'route-u', groupId: 'route-g2' } },
  { path: '/v1/alias', how: 'body writeKey',
    body: () => ({ writeKey: wk(), userId: 'route-u', previousId: 'route-a' }),
    expect: { type: 'alias', userId: 'route-u', previousId: 'route-a' } },
  { path: '/v1/a', how: 'Basic with colon, text/plain', headers: basicKey, contentType: 'text/plain',
    body: () => ({ type: 'alias', userId: 'route-u', previousId: 'route-prev' }),
    expect: { type: 'alias', userId: 'route-u', previousId: 'route-prev' } },
];

test('every tracking route stores its type, whichever way the write key and the body come', { timeout: 30_000 }, async () => {
  const failures = [];
  for (const [i, route] of routes.entries()) {
    route.messageId = `route-${i}`;
    const sent = await post(route.path + (route.query?.() ?? ''), { ...route.body(), messageId: route.messageId }, {
      headers: route.headers?.() ?? {}, gzip: route.gzip, contentType: route.contentType,
    });
    if (sent.status !== 200 || sent.body?.accepted !== 1 || JSON.stringify(sent.body?.rejected) !== '[]') {
      failures.push(`POST ${route.path} (${route.how}) → ${sent.status} ${sent.text}`);
    }
  }
  assert.deepEqual(failures, []);

  const ids = routes.map((r) => r.messageId);
  const rows = await waitForRows(collector, (r) => ids.includes(r.messageId), ids.length);
  for (const route of routes) {
    assertRow(one(rows, route.messageId), { messageId: route.messageId, ...route.expect }, `${route.path} (${route.how})`);
  }

  // The short batch route of analytics.js's batching mode.
  const batch = await post('/v1/b', {
    writeKey: wk(), sentAt: new Date().toISOString(),
    batch: [
      { type: 'track', messageId: 'route-b-1', anonymousId: 'route-a', event: 'Add to Cart', properties: { product_id: 'p1' } },
      { type: 'page', messageId: 'route-b-2', anonymousId: 'route-a', context: { page: { url: 'https://shop.example/cart', title: 'Cart' } } },
    ],
  }, { contentType: 'text/plain' });
  assert.equal(batch.status, 200, batch.text);
  assert.equal(batch.body.accepted, 2, batch.text);
  const batched = await waitForRows(collector, (r) => r.messageId.startsWith('route-b-'), 2);
  assertRow(one(batched, 'route-b-1'), { messageId: 'route-b-1', type: 'track', anonymousId: 'route-a' }, '/v1/b track');
  assertRow(one(batched, 'route-b-2'), { messageId: 'route-b-2', type: 'page', anonymousId: 'route-a', pageUrl: 'https://shop.example/cart', pageTitle: 'Cart' }, '/v1/b page');
});

test('POST /v1/m (analytics.js metrics) answers 200 and stores nothing', { timeout: 30_000 }, async () => {
  const before = await readEvents(collector);
  const badBefore = await readBadEvents(collector);
  const metrics = await post('/v1/m', {
    series: [{ type: 'Counter', metric: 'analytics_js.invoke', value: 1, tags: { library: 'analytics.js', library_version: 'next-1.84.3' } }],
  }, { contentType: 'text/plain' });
  assert.equal(metrics.status, 200, metrics.text);
  // A marker sent after it: once it is stored, anything /v1/m stored would be too.
  const marker = await post('/v1/track', { writeKey: wk(), messageId: 'after-metrics', userId: 'm-user', event: 'Marker' });
  assert.equal(marker.status, 200, marker.text);
  await waitForRows(collector, (r) => r.messageId === 'after-metrics', 1);
  await sleep(200);
  const after = await readEvents(collector);
  assert.deepEqual(after.rows.map((r) => r.messageId), [...before.rows.map((r) => r.messageId), 'after-metrics']);
  assert.equal((await readBadEvents(collector)).rows.length, badBefore.rows.length, 'no bad event either');
});

test('GET /v1/projects/{writeKey}/settings sends analytics.js to this collector; an unknown key is a 404 problem', async () => {
  const response = await fetch(`${collector.base}/v1/projects/${wk()}/settings`);
  const text = await response.text();
  assert.equal(response.status, 200, text);
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  const host = new URL(collector.base).host;
  assert.deepEqual(JSON.parse(text), {
    integrations: { 'Segment.io': { apiKey: wk(), apiHost: `${host}/v1`, protocol: 'http' } },
    metrics: { sampleRate: 0 },
  });

  const unknown = await fetch(`${collector.base}/v1/projects/wk_nobody/settings`);
  const problem = await unknown.text();
  assert.equal(unknown.status, 404, problem);
  assert.match(unknown.headers.get('content-type') ?? '', /^application\/problem\+json/, problem);
  assert.ok(!problem.includes(wk()), 'the problem does not leak a real key');
});

test('CORS: the preflight analytics.js sends (Authorization, X-Retry-Count) is allowed for the workspace origin only', async () => {
  const preflight = (path, origin) => fetch(collector.base + path, {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type,x-retry-count' },
  });
  for (const path of ['/v1/t', '/v1/p', '/v1/i', '/v1/a', '/v1/g', '/v1/s', '/v1/b', '/v1/batch']) {
    const allowed = await preflight(path, shopOrigin);
    assert.ok(allowed.status >= 200 && allowed.status < 300, `OPTIONS ${path}: ${allowed.status}`);
    assert.equal(allowed.headers.get('access-control-allow-origin'), shopOrigin, `OPTIONS ${path} allow-origin`);
    const headers = (allowed.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(',').map((h) => h.trim());
    for (const header of ['authorization', 'content-type', 'x-retry-count']) {
      assert.ok(headers.includes(header), `OPTIONS ${path} allow-headers lacks ${header}: ${headers}`);
    }
    assert.match(allowed.headers.get('access-control-allow-methods') ?? '', /POST/i, `OPTIONS ${path} allow-methods`);

    const stranger = await preflight(path, 'http://evil.example');
    assert.notEqual(stranger.headers.get('access-control-allow-origin'), 'http://evil.example', `OPTIONS ${path} from a stranger`);
    assert.notEqual(stranger.headers.get('access-control-allow-origin'), '*', `OPTIONS ${path} from a stranger`);
  }

  const sent = await post('/v1/t', { type: 'track', messageId: 'cors-1', userId: 'cors-user', event: 'Product Viewed' }, {
    headers: { Authorization: basic(wk()), Origin: shopOrigin }, contentType: 'text/plain',
  });
  assert.equal(sent.status, 200, sent.text);
  assert.equal(sent.headers.get('access-control-allow-origin'), shopOrigin, 'POST /v1/t allow-origin');
  const settings = await fetch(`${collector.base}/v1/projects/${wk()}/settings`, { headers: { Origin: shopOrigin } });
  assert.equal(settings.status, 200);
  assert.equal(settings.headers.get('access-control-allow-origin'), shopOrigin, 'GET settings allow-origin');
  await waitForRows(collector, (r) => r.messageId === 'cors-1', 1);
});
