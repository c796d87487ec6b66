// @rudderstack/rudder-sdk-node 3.0.13, unchanged: POST /v1/batch with Basic auth only (no writeKey in
// the body), gzip JSON labelled application/x-www-form-urlencoded by default, application/json with
// gzip:false. Its first event ever goes out alone; later ones are batched.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Analytics from '@rudderstack/rudder-sdk-node';
import {
  assertAllAccepted, assertNothingInClear, assertRow, basic, clearEmail, clearPhone, emailSha256, landing, one, phoneSha256,
  products, propertiesOf, sentJson, sentMessageIds, startSegmentCollector, startTap, waitForRows,
} from './lib.js';

let collector;

before(async () => { collector = await startSegmentCollector(); });
after(async () => { await collector?.stop(); });

/** A Rudder client through a tap; errors (the errorHandler and the per-call callbacks) are collected, never thrown. */
function rudder(host, options = {}) {
  const errors = [];
  const client = new Analytics(collector.writeKey, {
    dataPlaneUrl: host, flushAt: 100, flushInterval: 60_000, logLevel: 'error', retryCount: 3,
    errorHandler: (error) => errors.push(error), ...options,
  });
  const done = (error) => { if (error) { errors.push(error); } };
  return { client, errors, done };
}

/** The six Segment calls, ids prefixed so runs do not mix; flushes until the queue is empty. */
async function sendAll(prefix, options) {
  const tap = await startTap(collector.base);
  const { client, errors, done } = rudder(tap.base, options);
  const anon = `${prefix}-anon`;
  const user = `${prefix}-user`;
  const url = landing(`${prefix}_spring`);
  client.page({ anonymousId: anon, name: 'Home', properties: { url, referrer: 'https://www.google.com/', title: 'Trail Shop', path: '/' } }, done);
  client.track({
    userId: user, event: 'Order Completed',
    properties: { order_id: `${prefix}-1001`, revenue: 59.9, total: 64.9, currency: 'EUR', products },
  }, done);
  client.identify({ userId: user, traits: { email: clearEmail, phone: clearPhone, firstName: 'Jane' } }, done);
  client.alias({ previousId: anon, userId: user }, done);
  client.screen({ userId: user, name: 'Order confirmation', properties: { order_id: `${prefix}-1001` } }, done);
  client.group({ userId: user, groupId: `${prefix}-acme`, traits: { name: 'Acme Corp' } }, done);
  await client.flush(); // waits for the lone first event, then sends the other five
  await client.flush();
  await tap.close();
  return { tap, errors, anon, user, url };
}

async function assertSixRows({ tap, errors, anon, user, url }, prefix) {
  assert.deepEqual(errors.map(String), []);
  assertAllAccepted(tap.exchanges);
  const ids = sentMessageIds(tap.exchanges);
  assert.equal(ids.length, 6);
  const rows = await waitForRows(collector, (r) => ids.includes(r.messageId), 6);
  assert.equal(rows.length, 6);
  const [pageId, trackId, identifyId, aliasId, screenId, groupId] = ids;

  // Rudder stamps channel:'server' on every event; the stored channel is the collector's classification.
  assertRow(one(rows, pageId), {
    messageId: pageId, type: 'page', anonymousId: anon, pageUrl: url, pageReferrer: 'https://www.google.com/', pageTitle: 'Trail Shop',
    utmSource: 'google', utmMedium: 'cpc', utmCampaign: `${prefix}_spring`,
  }, 'page');
  assert.equal(one(rows, pageId).channel, 'Paid Search');

  const order = one(rows, trackId);
  assertRow(order, { messageId: trackId, type: 'conversion', userId: user, orderId: `${prefix}-1001`, revenue: 59.9, currency: 'EUR' }, 'Order Completed');
  assert.equal(order.event, 'Order Completed');
  assert.deepEqual(propertiesOf(order)?.products, products);

  // Rudder also copies the traits into context.traits: neither copy may survive in clear.
  assertRow(one(rows, identifyId), { messageId: identifyId, type: 'identify', userId: user, emailSha256, phoneSha256 }, 'identify');
  assertRow(one(rows, aliasId), { messageId: aliasId, type: 'alias', userId: user, previousId: anon }, 'alias');
  assertRow(one(rows, screenId), { messageId: screenId, type: 'screen', userId: user, pageTitle: 'Order confirmation', orderId: `${prefix}-1001` }, 'screen');
  assertRow(one(rows, groupId), { messageId: groupId, type: 'group', userId: user, groupId: `${prefix}-acme` }, 'group');
  await assertNothingInClear(collector);
}

test('rudder-sdk-node (gzip, Basic auth only): every call is stored', { timeout: 60_000 }, async () => {
  const run = await sendAll('rs-gz');
  assert.equal(run.tap.exchanges.length, 2, 'the first event alone, then the other five');
  assert.deepEqual(run.tap.exchanges.map((e) => sentJson(e).batch.length), [1, 5]);
  for (const exchange of run.tap.exchanges) {
    assert.equal(exchange.path, '/v1/batch');
    assert.equal(exchange.headers.authorization, basic(collector.writeKey));
    assert.equal(exchange.headers['content-encoding'], 'gzip');
    assert.match(exchange.headers['content-type'], /^application\/x-www-form-urlencoded/);
    assert.equal(sentJson(exchange).writeKey, undefined, 'no writeKey in the body: Basic auth only');
  }
  await assertSixRows(run, 'rs-gz');
});

test('rudder-sdk-node (gzip:false): every call is stored', { timeout: 60_000 }, async () => {
  const run = await sendAll('rs-plain', { gzip: false });
  assert.equal(run.tap.exchanges.length, 2);
  for (const exchange of run.tap.exchanges) {
    assert.equal(exchange.headers['content-encoding'], undefined);
    assert.match(exchange.headers['content-type'], /^application\/json/);
    assert.equal(sentJson(exchange).writeKey, undefined);
  }
  await assertSixRows(run, 'rs-plain');
});

test('rudder-sdk-node: a batch whose 200 was lost is retried and stored once', { timeout: 60_000 }, async () => {
  const tap = await startTap(collector.base, { answer: (_exchange, index) => (index === 0 ? { status: 503, body: { error: 'lost' } } : null) });
  const { client, errors, done } = rudder(tap.base);
  client.track({ userId: 'rs-lost', event: 'Checkout Started', properties: { value: 59.9 } }, done);
  await client.flush();
  await tap.close();
  assert.deepEqual(errors.map(String), []);
  assert.equal(tap.exchanges.length, 2, JSON.stringify(tap.exchanges.map((e) => [e.status, e.replacedWith])));
  assert.equal(tap.exchanges[0].status, 200, `first delivery: ${tap.exchanges[0].responseText}`);
  const ids = sentMessageIds(tap.exchanges.slice(0, 1));
  assert.deepEqual(sentMessageIds(tap.exchanges.slice(1)), ids);
  assertAllAccepted(tap.exchanges.slice(1));
  const rows = await waitForRows(collector, (r) => r.userId === 'rs-lost', 1);
  assert.equal(rows.length, 1, JSON.stringify(rows));
  assertRow(rows[0], { messageId: ids[0], type: 'track', userId: 'rs-lost' }, 'track');
});
