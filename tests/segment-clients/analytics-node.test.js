// @segment/analytics-node 3.1.0, unchanged, against the real collector: one POST /v1/batch with
// Basic auth and writeKey in the body (JSON, not gzipped). Every call must land as its own row.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Analytics } from '@segment/analytics-node';
import {
  assertAllAccepted, assertNothingInClear, assertRow, basic, beforePinned, clearEmail, clearPhone, emailSha256, firstTouchRevenue,
  landing, one, phoneSha256, products, propertiesOf, sentJson, sentMessageIds, startSegmentCollector, startTap, waitForRows,
} from './lib.js';

let collector;

before(async () => { collector = await startSegmentCollector(); });
after(async () => { await collector?.stop(); });

/** A client pointed at `host` that only sends when told to (flush), with its errors collected. */
function segment(host, options = {}) {
  const analytics = new Analytics({
    writeKey: collector.writeKey, host, flushAt: 100, flushInterval: 60_000, maxRetries: 3, httpRequestTimeout: 10_000, ...options,
  });
  const errors = [];
  analytics.on('error', (error) => errors.push(error));
  return { analytics, errors };
}

test('analytics-node: track, page, identify, alias, screen and group are stored as Segment means them', { timeout: 60_000 }, async () => {
  const tap = await startTap(collector.base);
  const { analytics, errors } = segment(tap.base);
  const url = landing('spring');
  analytics.page({ anonymousId: 'seg-anon', name: 'Home', properties: { url, referrer: 'https://www.google.com/', title: 'Trail Shop', path: '/' } });
  analytics.track({
    userId: 'seg-user', event: 'Order Completed',
    properties: { order_id: '1001', revenue: 59.9, total: 64.9, shipping: 5, currency: 'EUR', products },
  });
  analytics.identify({ userId: 'seg-user', traits: { email: clearEmail, phone: clearPhone, firstName: 'Jane' } });
  analytics.alias({ previousId: 'seg-anon', userId: 'seg-user' });
  analytics.screen({ userId: 'seg-user', name: 'Order confirmation', properties: { order_id: '1001' } });
  analytics.group({ userId: 'seg-user', groupId: 'acme', traits: { name: 'Acme Corp', plan: 'pro' } });
  await analytics.closeAndFlush({ timeout: 20_000 });
  await tap.close();
  assert.deepEqual(errors, []);

  // What the real client put on the wire: one batch, Basic auth and writeKey both, plain JSON.
  assert.equal(tap.exchanges.length, 1, JSON.stringify(tap.exchanges.map((e) => [e.path, e.status])));
  const [exchange] = tap.exchanges;
  assert.equal(exchange.path, '/v1/batch');
  assert.equal(exchange.headers.authorization, basic(collector.writeKey));
  assert.equal(exchange.headers['content-encoding'], undefined);
  const sent = sentJson(exchange).batch;
  assert.deepEqual(sent.map((e) => e.type), ['page', 'track', 'identify', 'alias', 'screen', 'group']);
  assertAllAccepted(tap.exchanges);

  const ids = sentMessageIds(tap.exchanges);
  const rows = await waitForRows(collector, (r) => ids.includes(r.messageId), ids.length);
  assert.equal(rows.length, 6);
  const [pageId, trackId, identifyId, aliasId, screenId, groupId] = ids;

  assertRow(one(rows, pageId), {
    messageId: pageId, type: 'page', anonymousId: 'seg-anon', pageUrl: url, pageReferrer: 'https://www.google.com/', pageTitle: 'Trail Shop',
    utmSource: 'google', utmMedium: 'cpc', utmCampaign: 'spring',
  }, 'page');
  assert.equal(one(rows, pageId).channel, 'Paid Search');

  const order = one(rows, trackId);
  assertRow(order, { messageId: trackId, type: 'conversion', userId: 'seg-user', orderId: '1001', revenue: 59.9, currency: 'EUR' }, 'Order Completed');
  assert.equal(order.event, 'Order Completed');
  assert.deepEqual(propertiesOf(order)?.products, products, 'products kept in properties');

  assertRow(one(rows, identifyId), { messageId: identifyId, type: 'identify', userId: 'seg-user', emailSha256, phoneSha256 }, 'identify');
  assertRow(one(rows, aliasId), { messageId: aliasId, type: 'alias', userId: 'seg-user', previousId: 'seg-anon' }, 'alias');
  // A screen's name is its title; an order_id in any event's properties is kept as its orderId.
  assertRow(one(rows, screenId), { messageId: screenId, type: 'screen', userId: 'seg-user', pageTitle: 'Order confirmation', orderId: '1001' }, 'screen');
  assertRow(one(rows, groupId), { messageId: groupId, type: 'group', userId: 'seg-user', groupId: 'acme' }, 'group');

  await assertNothingInClear(collector);
});

test('analytics-node: an order with total but no revenue takes total as revenue', { timeout: 60_000 }, async () => {
  const { analytics, errors } = segment(collector.base);
  analytics.track({
    userId: 'seg-total', event: 'Order Completed', messageId: 'seg-total-order',
    properties: { order_id: '1002', total: 64.9, currency: 'USD', products: products.slice(0, 1) },
  });
  await analytics.closeAndFlush({ timeout: 20_000 });
  assert.deepEqual(errors, []);
  const rows = await waitForRows(collector, (r) => r.userId === 'seg-total', 1);
  assert.equal(rows.length, 1);
  assertRow(rows[0], { messageId: 'seg-total-order', type: 'conversion', userId: 'seg-total', orderId: '1002', revenue: 64.9, currency: 'USD' }, 'order');
  assert.deepEqual(propertiesOf(rows[0])?.products, products.slice(0, 1));
});

// Segment's e-commerce spec makes no property of Order Completed required. The contract turns it into a
// conversion only "with order_id + total or revenue + currency"; without those it is still a track event
// the client sent, to be stored as one, not refused and not counted as a conversion.
test('analytics-node: an Order Completed without order_id is stored as a track event, not refused', { timeout: 60_000 }, async () => {
  const tap = await startTap(collector.base);
  const { analytics, errors } = segment(tap.base);
  analytics.track({ userId: 'seg-noid', event: 'Order Completed', messageId: 'seg-noid-order', properties: { revenue: 20, currency: 'EUR', products } });
  await analytics.closeAndFlush({ timeout: 20_000 });
  await tap.close();
  assert.deepEqual(errors, []);
  assertAllAccepted(tap.exchanges);
  const rows = await waitForRows(collector, (r) => r.userId === 'seg-noid', 1, { timeoutMs: 3_000 });
  assert.equal(rows.length, 1);
  assert.equal(rows[0].type, 'track', JSON.stringify(rows[0]));
  assert.equal(rows[0].event, 'Order Completed');
  assert.equal(rows[0].orderId, null);
});

test('analytics-node: an Order Completed with order_id but neither revenue nor total is no conversion', { timeout: 60_000 }, async () => {
  const { analytics, errors } = segment(collector.base);
  analytics.track({ userId: 'seg-noamount', event: 'Order Completed', messageId: 'seg-noamount-order', properties: { order_id: '1004', currency: 'EUR', products } });
  await analytics.closeAndFlush({ timeout: 20_000 });
  assert.deepEqual(errors, []);
  const rows = await waitForRows(collector, (r) => r.userId === 'seg-noamount', 1);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].type, 'track', JSON.stringify(rows[0]));
  assert.equal(rows[0].event, 'Order Completed');
  assert.equal(rows[0].revenue, null);
});

test('analytics-node: the same event sent twice with the same messageId (a retry) is stored once', { timeout: 60_000 }, async () => {
  const tap = await startTap(collector.base);
  const { analytics, errors } = segment(tap.base);
  const event = { userId: 'seg-retry', event: 'Product Viewed', messageId: 'seg-retry-1', properties: { product_id: 'p-trail', attempt: 1 } };
  analytics.track(event);
  await analytics.flush({ timeout: 20_000 });
  await waitForRows(collector, (r) => r.messageId === 'seg-retry-1', 1);

  // The same message again, now next to a new one that shows when the second batch is in.
  analytics.track({ ...event, properties: { product_id: 'p-trail', attempt: 2 } });
  analytics.track({ userId: 'seg-retry', event: 'Product Viewed', messageId: 'seg-retry-2', properties: { product_id: 'p-sock' } });
  await analytics.closeAndFlush({ timeout: 20_000 });
  await tap.close();
  assert.deepEqual(errors, []);
  assert.equal(tap.exchanges.length, 2);
  assert.deepEqual(sentMessageIds(tap.exchanges), ['seg-retry-1', 'seg-retry-1', 'seg-retry-2']);
  assert.ok(tap.exchanges.every((e) => e.status === 200), JSON.stringify(tap.exchanges.map((e) => [e.status, e.responseText])));

  const rows = await waitForRows(collector, (r) => r.userId === 'seg-retry', 2);
  assert.deepEqual(rows.map((r) => r.messageId).sort(), ['seg-retry-1', 'seg-retry-2']);
  assert.equal(propertiesOf(one(rows, 'seg-retry-1')).attempt, 1, 'the first copy stays');
  for (const row of rows) {
    assertRow(row, { messageId: row.messageId, type: 'track', userId: 'seg-retry' }, row.messageId);
    assert.equal(row.event, 'Product Viewed');
  }
});

test('analytics-node: a batch whose 200 was lost is retried by the client (X-Retry-Count) and stored once', { timeout: 60_000 }, async () => {
  // The tap delivers the first request to the collector, then tells the client 503: its retry resends the same batch.
  const tap = await startTap(collector.base, { answer: (_exchange, index) => (index === 0 ? { status: 503, body: { error: 'lost' } } : null) });
  const { analytics, errors } = segment(tap.base);
  analytics.track({ userId: 'seg-lost', event: 'Checkout Started', properties: { value: 59.9 } });
  analytics.page({ anonymousId: 'seg-lost-anon', name: 'Cart', properties: { url: 'https://shop.example/cart', title: 'Cart' } });
  await analytics.closeAndFlush({ timeout: 30_000 });
  await tap.close();
  assert.deepEqual(errors, []);
  assert.equal(tap.exchanges.length, 2, JSON.stringify(tap.exchanges.map((e) => [e.status, e.replacedWith, e.headers['x-retry-count']])));
  assert.equal(tap.exchanges[0].status, 200, `first delivery: ${tap.exchanges[0].responseText}`);
  assert.equal(tap.exchanges[1].headers['x-retry-count'], '1');
  const ids = sentMessageIds(tap.exchanges.slice(0, 1));
  assert.deepEqual(sentMessageIds(tap.exchanges.slice(1)), ids, 'the retry resends the same messages');
  assertAllAccepted(tap.exchanges.slice(1));

  const rows = await waitForRows(collector, (r) => ids.includes(r.messageId), 2);
  assert.equal(rows.length, 2, JSON.stringify(rows));
  assertRow(one(rows, ids[0]), { messageId: ids[0], type: 'track', userId: 'seg-lost' }, 'track');
  assertRow(one(rows, ids[1]), { messageId: ids[1], type: 'page', anonymousId: 'seg-lost-anon', pageUrl: 'https://shop.example/cart', pageTitle: 'Cart' }, 'page');
});

test('analytics-node: alias links the anonymous visit to the buyer (first-touch credit to its campaign)', { timeout: 60_000 }, async () => {
  const { analytics, errors } = segment(collector.base);
  // Times before the pinned clock, in journey order (the collector keeps them: the skew to the wall clock is not plausible).
  analytics.page({ anonymousId: 'link-anon', name: 'Home', timestamp: beforePinned(48), properties: { url: landing('alias_link'), title: 'Trail Shop' } });
  analytics.alias({ previousId: 'link-anon', userId: 'link-user', timestamp: beforePinned(36) });
  analytics.track({
    userId: 'link-user', event: 'Order Completed', timestamp: beforePinned(24),
    properties: { order_id: '1003', revenue: 30, currency: 'EUR', products: products.slice(1) },
  });
  await analytics.closeAndFlush({ timeout: 20_000 });
  assert.deepEqual(errors, []);
  const rows = await waitForRows(collector, (r) => ['link-anon', 'link-user'].includes(r.anonymousId ?? r.userId), 3);
  assert.deepEqual(rows.map((r) => r.type).sort(), ['alias', 'conversion', 'page']);

  const { revenue, rows: summary } = await firstTouchRevenue(collector, 'alias_link');
  assert.equal(revenue, 30, `first-touch revenue of alias_link; summary: ${JSON.stringify(summary)}`);
});
