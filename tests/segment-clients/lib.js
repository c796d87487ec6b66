// Shared helpers of the Segment-client suite: the collector of tests/report-e2e (reused, not copied),
// its read API, a recording pass-through "tap" that shows what a real client put on the wire and
// what the collector answered, and the expectations common to every client.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, request as httpRequest } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { browserUserAgent, call, startCollector } from '../report-e2e/collector.js';
import { pinnedNow } from '../report-e2e/seed.js';

export { browserUserAgent, call, pinnedNow };

export const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex');
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** An instant relative to the collector's pinned clock (client timestamps are kept as sent when the skew is implausible). */
export const beforePinned = (hours) => new Date(Date.parse(pinnedNow) - hours * 3_600_000);

/** The shop's Paid Search landing page (utm_medium=cpc + utm_source=google). */
export const landing = (campaign, extra = {}) =>
  `https://shop.example/?${new URLSearchParams({ utm_source: 'google', utm_medium: 'cpc', utm_campaign: campaign, ...extra })}`;

/** The identify traits every client sends, and what may be stored of them. */
export const clearEmail = 'Jane.Doe@Example.com ';
export const clearPhone = '+1 (415) 555-0100';
export const emailSha256 = sha256('jane.doe@example.com');
export const phoneSha256 = sha256('+14155550100');

export const products = [
  { product_id: 'p-trail', sku: 'SKU-TRAIL-42', name: 'Trail shoe', category: 'Shoes', price: 49.9, quantity: 1 },
  { product_id: 'p-sock', sku: 'SKU-SOCK-3', name: 'Socks (3 pairs)', category: 'Socks', price: 10, quantity: 1 },
];

/** startCollector() of tests/report-e2e, with browser origins allowed for its workspace. */
export function startSegmentCollector({ allowedOrigins = [] } = {}) {
  return startCollector({ extraArgs: allowedOrigins.flatMap((origin, i) => [`--OmniTrack:Workspaces:0:AllowedOrigins:${i}`, origin]) });
}

/** GET /v1/events?limit=1000 → { rows, text } (rows in load order, text the raw JSON for leak checks). */
export async function readEvents(collector) {
  const response = await fetch(`${collector.base}/v1/events?limit=1000`, { headers: { Authorization: `Bearer ${collector.readToken}` } });
  const text = await response.text();
  assert.equal(response.status, 200, `GET /v1/events: ${response.status} ${text.slice(0, 500)}`);
  return { rows: JSON.parse(text).events, text };
}

/** GET /v1/events/bad?limit=100 → { rows, text }. */
export async function readBadEvents(collector) {
  const response = await fetch(`${collector.base}/v1/events/bad?limit=100`, { headers: { Authorization: `Bearer ${collector.readToken}` } });
  const text = await response.text();
  assert.equal(response.status, 200, `GET /v1/events/bad: ${response.status} ${text.slice(0, 500)}`);
  return { rows: JSON.parse(text).badEvents, text };
}

/**
 * Waits (bounded) until `count` stored rows pass `filter`, then once more past a few sink batches
 * so that a late duplicate would show, and returns exactly the rows that pass.
 */
export async function waitForRows(collector, filter, count, { timeoutMs = 15_000 } = {}) {
  const deadline = performance.now() + timeoutMs;
  let rows = [];
  for (;;) {
    rows = (await readEvents(collector)).rows.filter(filter);
    if (rows.length >= count) { break; }
    if (performance.now() > deadline) {
      assert.fail(`expected ${count} stored rows, found ${rows.length} after ${timeoutMs} ms: ${JSON.stringify(rows, null, 1)}`);
    }
    await sleep(50);
  }
  await sleep(300); // six sink batches (MaxBatchAge 50 ms)
  return (await readEvents(collector)).rows.filter(filter);
}

/** Bad events that pass `filter`, polled (bounded) until there are `count`. */
export async function waitForBadRows(collector, filter, count, { timeoutMs = 10_000 } = {}) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const rows = (await readBadEvents(collector)).rows.filter(filter);
    if (rows.length >= count || performance.now() > deadline) { return rows; }
    await sleep(50);
  }
}

/** The stored row of one messageId (asserts there is exactly one). */
export function one(rows, messageId) {
  const found = rows.filter((r) => r.messageId === messageId);
  assert.equal(found.length, 1, `rows with messageId ${messageId}: ${JSON.stringify(found)}; all: ${JSON.stringify(rows.map((r) => [r.messageId, r.type]))}`);
  return found[0];
}

/** Only the columns the Segment contract defines (enrichment such as ip, geo and device is not the client's doing). */
export const contractFields = ['messageId', 'type', 'anonymousId', 'userId', 'revenue', 'currency', 'orderId',
  'pageUrl', 'pageReferrer', 'pageTitle', 'utmSource', 'utmMedium', 'utmCampaign', 'utmTerm', 'utmContent',
  'clickIdType', 'clickId', 'emailSha256', 'phoneSha256', 'previousId', 'groupId'];

const nothing = Object.fromEntries(contractFields.map((f) => [f, null]));

/** The row's contract columns, revenue as a number, empty strings as null (the API may print either for "none"). */
export function contractView(row) {
  const view = {};
  for (const field of contractFields) {
    let value = row[field];
    if (value === undefined || value === '') { value = null; }
    if (field === 'revenue' && value !== null) { value = Number(value); }
    view[field] = value;
  }
  return view;
}

/** Asserts the row's contract columns are exactly `expected` (every column not named must be empty). */
export function assertRow(row, expected, label) {
  assert.ok(row, `${label}: no row`);
  assert.deepEqual(contractView(row), { ...nothing, ...expected }, `${label}: ${JSON.stringify(row)}`);
}

/** The row's properties (stored as JSON text). */
export function propertiesOf(row) {
  if (row.properties === null || row.properties === undefined) { return null; }
  return typeof row.properties === 'string' ? JSON.parse(row.properties) : row.properties;
}

/** Neither the clear e-mail nor the clear phone, in any case or spelling, appears in `text`. */
export function assertNoClearPii(text, where) {
  const lower = text.toLowerCase();
  for (const needle of ['jane.doe@example.com', 'jane.doe', '@example.com', '555-0100', '5550100', '4155550100', '(415)']) {
    assert.ok(!lower.includes(needle), `${where} contains "${needle}" in clear: …${lower.slice(Math.max(0, lower.indexOf(needle) - 200), lower.indexOf(needle) + 100)}…`);
  }
}

/** The stored events and bad events hold no clear e-mail or phone. */
export async function assertNothingInClear(collector) {
  assertNoClearPii((await readEvents(collector)).text, 'GET /v1/events');
  assertNoClearPii((await readBadEvents(collector)).text, 'GET /v1/events/bad');
}

/**
 * A loopback pass-through in front of the collector. It records each exchange byte for byte
 * ({ method, path, headers, body: Buffer, status, responseText }) and forwards it unchanged;
 * `answer(exchange, index)` may replace the collector's reply after it was delivered (a lost response).
 */
export async function startTap(target, { answer } = {}) {
  const upstream = new URL(target);
  const exchanges = [];
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) { chunks.push(chunk); }
    const exchange = { method: req.method, path: req.url, headers: req.headers, body: Buffer.concat(chunks), status: null, responseText: null };
    const index = exchanges.push(exchange) - 1;
    const forward = httpRequest({
      host: upstream.hostname, port: upstream.port, method: req.method, path: req.url,
      headers: { ...req.headers, host: upstream.host },
    }, async (up) => {
      const parts = [];
      for await (const part of up) { parts.push(part); }
      const body = Buffer.concat(parts);
      exchange.status = up.statusCode;
      exchange.responseText = body.toString('utf8');
      const replaced = answer?.(exchange, index);
      if (replaced) {
        exchange.replacedWith = replaced.status;
        res.writeHead(replaced.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(replaced.body ?? {}));
        return;
      }
      const headers = { ...up.headers };
      delete headers['transfer-encoding'];
      headers['content-length'] = String(body.length);
      res.writeHead(up.statusCode, headers);
      res.end(body);
    });
    forward.on('error', (error) => {
      exchange.status = 0;
      exchange.responseText = String(error);
      res.writeHead(502);
      res.end();
    });
    forward.end(exchange.body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    exchanges,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}

/** The JSON a client sent in one exchange, gunzipped when it said Content-Encoding: gzip. */
export function sentJson(exchange) {
  const gzip = /gzip/i.test(exchange.headers['content-encoding'] ?? '');
  return JSON.parse((gzip ? gunzipSync(exchange.body) : exchange.body).toString('utf8'));
}

/** The collector's parsed answer to one exchange. */
export function answerOf(exchange) {
  try { return JSON.parse(exchange.responseText); } catch { return exchange.responseText; }
}

/** Every exchange was a 200 whose body counts its events accepted with nothing rejected. */
export function assertAllAccepted(exchanges) {
  assert.ok(exchanges.length > 0, 'the client sent nothing');
  for (const exchange of exchanges) {
    const events = sentJson(exchange).batch?.length ?? 1;
    assert.equal(exchange.status, 200, `${exchange.method} ${exchange.path} → ${exchange.status} ${exchange.responseText}`);
    const answer = answerOf(exchange);
    assert.equal(answer?.accepted, events, `${exchange.method} ${exchange.path} answer: ${exchange.responseText}`);
    assert.deepEqual(answer.rejected, [], `${exchange.method} ${exchange.path} answer: ${exchange.responseText}`);
  }
}

/** All messageIds the client sent through the tap, in order. */
export const sentMessageIds = (exchanges) => exchanges.flatMap((e) => sentJson(e).batch ?? [sentJson(e)]).map((e) => e.messageId);

/** Basic credentials of a write key: base64("key:"), as the Segment clients build them. */
export const basic = (key, colon = true) => `Basic ${Buffer.from(colon ? `${key}:` : key).toString('base64')}`;

/** POST /v1/attribution/run then the first-touch revenue of one campaign. */
export async function firstTouchRevenue(collector, campaign) {
  const run = await call(collector, 'POST', '/v1/attribution/run', { token: collector.readToken });
  assert.equal(run.status, 200, JSON.stringify(run.body));
  const summary = await call(collector, 'GET', '/v1/attribution/summary?model=first&groupBy=campaign', { token: collector.readToken });
  assert.equal(summary.status, 200, JSON.stringify(summary.body));
  return { revenue: summary.body.rows.find((r) => r.key === campaign)?.revenue ?? 0, rows: summary.body.rows };
}
