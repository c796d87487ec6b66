// src/otq.js on a fake browser (test/fake-browser.js) with node:test's mocked setTimeout: the loader's
// queue, ids, batching, retries with Retry-After, the offline queue, consent and GPC, identify's hash,
// SPA page views and first/last touch.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { fakeBrowser, tick, until } from './fake-browser.js';

const endpoint = 'https://collect.test';
const landing = 'https://shop.test/?utm_source=google&utm_medium=cpc&utm_campaign=spring&gclid=TESTGCLID';
// The clock too: the SDK stamps an event and its first touch with separate reads of the time, which a real clock can put
// a millisecond apart; tests never depend on the wall clock.
const timers = (t) => t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: Date.parse('2026-03-02T10:00:00.000Z') });
const ids = (events) => events.map((e) => e.messageId);
// identify's e-mail hash runs on libuv's thread pool (crypto.subtle), outside the mocked timers: digests queued
// after it finish after it is taken, so awaiting a few means the snippet's has settled (else a loaded machine
// can send identify in a later batch than the test expects).
const hashesSettled = async () => { for (let i = 0; i < 32; i++) { await crypto.subtle.digest('SHA-256', new Uint8Array(8)); } };

test('calls made before the script loaded are replayed in order, init first, after the automatic page view', async (t) => {
  timers(t);
  const b = fakeBrowser({ url: landing, title: 'Trail Shop' });
  b.otq('track', 'early', { a: 1 });
  b.otq('init', 'wk_test', { endpoint });
  b.otq('conversion', { orderId: 'o-1', revenue: 42.5, currency: 'EUR' });
  b.boot();
  b.otq('track', 'late');
  await tick(t.mock, 999);
  assert.equal(b.requests.length, 0, 'batched: nothing before the 1 s timer');
  await tick(t.mock, 1);
  assert.equal(b.requests.length, 1);
  const [request] = b.requests;
  assert.equal(request.url, `${endpoint}/v1/batch`);
  assert.equal(request.init.method, 'POST');
  assert.equal(request.init.keepalive, true);
  assert.deepEqual(request.init.headers, { 'Content-Type': 'text/plain' });
  assert.equal(request.body.writeKey, 'wk_test');
  assert.ok(!Number.isNaN(Date.parse(request.body.sentAt)));
  assert.equal(request.body.context, undefined, 'no consent stated, none sent');
  const events = request.body.batch;
  assert.deepEqual(events.map((e) => [e.type, e.event ?? null]), [['page', null], ['track', 'early'], ['conversion', null], ['track', 'late']]);
  assert.deepEqual(events[1].properties, { a: 1 });
  assert.deepEqual(events[2].properties, { orderId: 'o-1', revenue: 42.5, currency: 'EUR' });
  assert.equal(new Set(ids(events)).size, 4, 'one messageId per event');
  assert.equal(new Set(events.map((e) => e.anonymousId)).size, 1);
  for (const e of events) {
    assert.deepEqual(e.context.page, { url: landing, referrer: '', title: 'Trail Shop' });
    assert.deepEqual(e.context.campaign, { source: 'google', medium: 'cpc', name: 'spring' });
    assert.deepEqual(e.context.clickIds, { gclid: 'TESTGCLID' });
    assert.ok(!Number.isNaN(Date.parse(e.timestamp)));
  }
  assert.equal(typeof b.window.otq, 'function');
  await tick(t.mock, 5000);
  assert.equal(b.requests.length, 1);
  assert.deepEqual(b.saved().q, [], 'the sent events left the offline queue');
});

test('anonymous id: a 400-day first-party cookie _otq_id (SameSite=Lax, Secure on https, domain option) with a localStorage fallback', async (t) => {
  timers(t);
  const https = fakeBrowser({ url: 'https://www.shop.test/' });
  https.otq('init', 'wk', { endpoint, domain: '.shop.test' });
  https.boot();
  const id = https.jar.get('_otq_id');
  assert.ok(id, 'cookie set');
  assert.deepEqual(id.attrs, { 'max-age': '34560000', path: '/', samesite: 'lax', domain: '.shop.test', secure: true });
  assert.equal(https.saved().i, id.value, 'and kept in localStorage');
  await tick(t.mock, 1000);
  assert.equal(https.events()[0].anonymousId, id.value);

  const http = fakeBrowser({ url: 'http://shop.test/' });
  http.otq('init', 'wk', { endpoint });
  http.boot();
  assert.deepEqual(http.jar.get('_otq_id').attrs, { 'max-age': '34560000', path: '/', samesite: 'lax' }, 'no Secure on http, no domain unless asked');

  // The cookie wins; without it (cleared, ITP, blocked) the localStorage copy restores the same id.
  const again = fakeBrowser({ jar: new Map([['_otq_id', { value: 'from-cookie' }]]), store: new Map([['_otq', JSON.stringify({ i: 'from-storage' })]]) });
  again.otq('init', 'wk', { endpoint });
  again.boot();
  await tick(t.mock, 1000);
  assert.equal(again.events()[0].anonymousId, 'from-cookie');
  const noCookie = fakeBrowser({ cookiesBlocked: true, store: new Map([['_otq', JSON.stringify({ i: 'from-storage' })]]) });
  noCookie.otq('init', 'wk', { endpoint });
  noCookie.boot();
  await tick(t.mock, 1000);
  assert.equal(noCookie.events()[0].anonymousId, 'from-storage');
  const store = new Map();
  const first = fakeBrowser({ cookiesBlocked: true, store });
  first.otq('init', 'wk', { endpoint });
  first.boot();
  const second = fakeBrowser({ cookiesBlocked: true, store });
  second.otq('init', 'wk', { endpoint });
  second.boot();
  await tick(t.mock, 1000);
  assert.equal(first.events()[0].anonymousId, second.events()[0].anonymousId, 'one id across page loads without cookies');
});

test('batching: ten queued events go at once, more than 50 are split', async (t) => {
  timers(t);
  const b = fakeBrowser();
  b.otq('init', 'wk', { endpoint, autoPage: false });
  b.boot();
  for (let i = 0; i < 10; i++) { b.otq('track', `e${i}`); }
  await tick(t.mock, 0);
  assert.equal(b.requests.length, 1);
  assert.equal(b.requests[0].body.batch.length, 10);
  for (let i = 0; i < 120; i++) { b.otq('track', `f${i}`); }
  for (let i = 0; i < 4; i++) { await tick(t.mock, 0); }
  assert.deepEqual(b.requests.map((r) => r.body.batch.length), [10, 50, 50, 20]);
  assert.equal(new Set(ids(b.events())).size, 130);
});

test('retries: 503 with Retry-After waits exactly that long, network errors back off exponentially, the same messageIds are resent', async (t) => {
  timers(t);
  const replies = [{ status: 503, headers: { 'Retry-After': '3' } }, new TypeError('Failed to fetch'), new TypeError('Failed to fetch'), { status: 429, headers: { 'Retry-After': '2' } }, { status: 200 }];
  const b = fakeBrowser({ answer: (_r, i) => replies[i] ?? { status: 200 } });
  b.otq('init', 'wk', { endpoint });
  b.otq('track', 'add_to_cart', { sku: 'A' });
  b.boot();
  await tick(t.mock, 1000);
  assert.equal(b.requests.length, 1);
  await tick(t.mock, 2999);
  assert.equal(b.requests.length, 1, 'Retry-After: 3 honoured');
  await tick(t.mock, 1);
  assert.equal(b.requests.length, 2);
  await tick(t.mock, 999); // 2nd failure: 1–2 s
  await tick(t.mock, 1001);
  assert.equal(b.requests.length, 3);
  b.otq('track', 'during_backoff');
  await tick(t.mock, 10);
  assert.equal(b.requests.length, 3, 'a new event does not cut the backoff short');
  await tick(t.mock, 4000); // 3rd failure: 2–4 s
  assert.equal(b.requests.length, 4);
  await tick(t.mock, 1999);
  assert.equal(b.requests.length, 4, '429 Retry-After: 2');
  await tick(t.mock, 1);
  assert.equal(b.requests.length, 5);
  const first = ids(b.requests[0].body.batch);
  for (const r of b.requests.slice(1)) { assert.deepEqual(ids(r.body.batch).slice(0, 2), first, 'a retry resends the same messageIds'); }
  assert.deepEqual(b.requests[4].body.batch.map((e) => e.event ?? e.type), ['page', 'add_to_cart', 'during_backoff']);
  assert.deepEqual(b.saved().q, []);
  await tick(t.mock, 60_000);
  assert.equal(b.requests.length, 5);
});

test('a 4xx (not 408/429) or an event rejected in a 200 is never retried', async (t) => {
  timers(t);
  const replies = [{ status: 400 }, { status: 200 }];
  const b = fakeBrowser({ answer: (_r, i) => replies[i] });
  b.otq('init', 'wk', { endpoint, autoPage: false });
  b.otq('track', 'one');
  b.boot();
  await tick(t.mock, 1000);
  b.otq('track', 'two');
  await tick(t.mock, 1000);
  await tick(t.mock, 60_000);
  assert.deepEqual(b.requests.map((r) => r.body.batch.map((e) => e.event)), [['one'], ['two']]);
  const timeout = fakeBrowser({ answer: (_r, i) => (i === 0 ? { status: 408 } : { status: 200 }) });
  timeout.otq('init', 'wk', { endpoint, autoPage: false });
  timeout.otq('track', 'x');
  timeout.boot();
  await tick(timeout.mock ?? t.mock, 1000);
  await tick(t.mock, 1000);
  assert.equal(timeout.requests.length, 2, '408 is retried');
});

test('offline queue: unsent events stay in localStorage and go out on the next page load; bounded at 500, oldest dropped and counted', async (t) => {
  timers(t);
  const store = new Map();
  let online = false;
  const answer = () => (online ? { status: 200 } : new TypeError('Failed to fetch'));
  const first = fakeBrowser({ store, answer });
  first.otq('init', 'wk', { endpoint });
  first.otq('track', 'offline_event');
  first.boot();
  await tick(t.mock, 1000);
  assert.equal(first.requests.length, 1);
  assert.deepEqual(first.saved().q.map((e) => e.event ?? e.type), ['page', 'offline_event']);
  first.pagehide();
  assert.equal(first.beacons.length, 0, 'no beacon into a collector known to be down: the events wait for the next page');
  const queued = ids(first.saved().q);
  online = true;
  const next = fakeBrowser({ store, answer });
  next.otq('init', 'wk', { endpoint });
  next.boot();
  await tick(t.mock, 0);
  assert.equal(next.requests.length, 1, 'the stored queue goes at init');
  assert.deepEqual(ids(next.requests[0].body.batch), queued);
  await tick(t.mock, 1000);
  assert.equal(next.events().length, 3);
  assert.deepEqual(next.saved().q, []);

  const full = fakeBrowser({ answer: () => new TypeError('offline') });
  full.otq('init', 'wk', { endpoint, autoPage: false });
  full.boot();
  for (let i = 0; i < 600; i++) { full.otq('track', `e${i}`); }
  await tick(full.mock ?? t.mock, 0);
  const saved = full.saved();
  assert.equal(saved.q.length, 500);
  assert.equal(saved.d, 100);
  assert.equal(saved.q[0].event, 'e100');
  assert.ok(JSON.stringify(saved.q).length <= 200_000);
});

test('pagehide / visibilitychange=hidden: the queue goes by sendBeacon (text body) and is not sent again', async (t) => {
  timers(t);
  const b = fakeBrowser();
  b.otq('init', 'wk', { endpoint });
  b.otq('track', 'click');
  b.boot();
  await tick(t.mock, 0);
  b.hide();
  assert.equal(b.beacons.length, 1);
  assert.equal(b.beacons[0].url, `${endpoint}/v1/batch`);
  assert.equal(b.beacons[0].body.writeKey, 'wk');
  assert.deepEqual(b.beacons[0].body.batch.map((e) => e.event ?? e.type), ['page', 'click']);
  await tick(t.mock, 5000);
  assert.equal(b.requests.length, 0);
  assert.deepEqual(b.saved().q, []);
  b.pagehide();
  assert.equal(b.beacons.length, 1, 'nothing left to send');

  const refused = fakeBrowser({ beacon: () => false });
  refused.otq('init', 'wk', { endpoint });
  refused.boot();
  await tick(t.mock, 0);
  refused.pagehide();
  assert.equal(refused.saved().q.length, 1, 'a beacon the browser refused leaves the event queued');
  await tick(t.mock, 1000);
  assert.equal(refused.requests.length, 1);
});

test('requireConsent: no request, no cookie, nothing stored before consent; then the held events go with context.consent', async (t) => {
  timers(t);
  const b = fakeBrowser({ url: landing });
  b.otq('init', 'wk', { endpoint, requireConsent: true });
  b.otq('track', 'add_to_cart', { sku: 'A' });
  b.otq('identify', 'u-1', { email: 'Jane.Doe@Example.com' });
  b.boot();
  await hashesSettled();
  await tick(t.mock, 10_000);
  b.hide();
  assert.equal(b.requests.length + b.beacons.length, 0);
  assert.deepEqual(b.cookieWrites, []);
  assert.deepEqual(b.storageWrites, []);
  b.document.visibilityState = 'visible';
  b.otq('consent', { analytics: true, ads: false });
  await tick(t.mock, 0);
  assert.equal(b.requests.length, 1);
  assert.deepEqual(b.requests[0].body.context, { consent: { analytics: true, ads: false } });
  assert.deepEqual(b.events().map((e) => e.type), ['page', 'track', 'identify']);
  assert.deepEqual(b.events()[0].context.campaign, { source: 'google', medium: 'cpc', name: 'spring' }, 'the landing campaign was kept in memory');
  assert.ok(b.jar.get('_otq_id'), 'cookie only now');
  assert.deepEqual(b.saved().c, { analytics: true, ads: false });

  // The next page remembers the consent.
  const next = fakeBrowser({ store: b.store, jar: b.jar });
  next.otq('init', 'wk', { endpoint, requireConsent: true });
  next.boot();
  await tick(t.mock, 1000);
  assert.equal(next.requests.length, 1);
  assert.equal(next.events()[0].anonymousId, b.events()[0].anonymousId);
  assert.deepEqual(next.requests[0].body.context, { consent: { analytics: true, ads: false } });

  // Withdrawn: nothing more is sent and the id is forgotten (cookie and storage).
  next.otq('consent', { analytics: false });
  next.otq('track', 'after_withdrawal');
  await tick(t.mock, 10_000);
  assert.equal(next.requests.length, 1);
  assert.equal(next.jar.get('_otq_id'), undefined);
  assert.deepEqual(next.saved(), { c: { analytics: false, ads: false } });
});

test('requireConsent refused: held events are dropped, nothing leaves or stays but the refusal', async (t) => {
  timers(t);
  const b = fakeBrowser();
  b.otq('init', 'wk', { endpoint, requireConsent: true });
  b.boot();
  b.otq('consent', { analytics: false });
  b.otq('track', 'x');
  await tick(t.mock, 10_000);
  b.pagehide();
  assert.equal(b.requests.length + b.beacons.length, 0);
  assert.equal(b.jar.size, 0);
  assert.deepEqual(b.saved(), { c: { analytics: false } });
});

test('Global Privacy Control: respectGpc:true sends consent.ads=false; respectGpc:"strict" sends nothing; ignored unless asked', async (t) => {
  timers(t);
  const soft = fakeBrowser({ gpc: true });
  soft.otq('init', 'wk', { endpoint, respectGpc: true });
  soft.otq('consent', { analytics: true, ads: true });
  soft.boot();
  await tick(t.mock, 1000);
  assert.deepEqual(soft.requests[0].body.context, { consent: { analytics: true, ads: false } });
  const noConsentCall = fakeBrowser({ gpc: true });
  noConsentCall.otq('init', 'wk', { endpoint, respectGpc: true });
  noConsentCall.boot();
  await tick(t.mock, 1000);
  assert.deepEqual(noConsentCall.requests[0].body.context, { consent: { ads: false } });
  const strict = fakeBrowser({ gpc: true });
  strict.otq('init', 'wk', { endpoint, respectGpc: 'strict' });
  strict.boot();
  await tick(t.mock, 10_000);
  strict.pagehide();
  assert.equal(strict.requests.length + strict.beacons.length, 0);
  assert.equal(strict.jar.size, 0);
  const ignored = fakeBrowser({ gpc: true });
  ignored.otq('init', 'wk', { endpoint });
  ignored.boot();
  await tick(t.mock, 1000);
  assert.equal(ignored.requests[0].body.context, undefined);
  const noGpc = fakeBrowser({ gpc: false });
  noGpc.otq('init', 'wk', { endpoint, respectGpc: 'strict' });
  noGpc.boot();
  await tick(t.mock, 1000);
  assert.equal(noGpc.requests.length, 1);
});

test('identify: the e-mail leaves only as context.traits.emailSha256; the user id sticks; call order kept', async (t) => {
  timers(t);
  const b = fakeBrowser();
  b.otq('init', 'wk', { endpoint, autoPage: false });
  b.otq('identify', 'u-42', { email: '  Jane.Doe@Example.COM ', name: 'Jane' });
  b.otq('track', 'after');
  b.boot();
  await until(() => b.saved()?.q.length === 2); // crypto.subtle answers from node's thread pool
  await tick(t.mock, 1000);
  const [identify, after] = b.events();
  assert.equal(identify.type, 'identify');
  assert.equal(identify.userId, 'u-42');
  assert.deepEqual(identify.context.traits, { emailSha256: createHash('sha256').update('jane.doe@example.com').digest('hex') });
  assert.equal(after.event, 'after');
  assert.equal(after.userId, 'u-42');
  const wire = JSON.stringify(b.requests) + JSON.stringify([...b.store.values()]);
  assert.ok(!/jane|example\.com/i.test(wire), wire);
  assert.equal(b.saved().u, 'u-42');
});

test('SPA: pushState, replaceState to a new URL and popstate are page views with the previous URL as referrer and the new title', async (t) => {
  timers(t);
  const b = fakeBrowser({ url: landing, referrer: 'https://www.google.com/', title: 'Home' });
  b.otq('init', 'wk', { endpoint });
  b.boot();
  b.navigate('/products/trail', 'Trail shoe');
  await tick(t.mock, 0);
  b.window.history.replaceState({ scroll: 1 }, ''); // same URL: no page view
  await tick(t.mock, 0);
  b.window.history.replaceState({}, '', '/products/trail?variant=2');
  await tick(t.mock, 0);
  b.back('/products/trail');
  await tick(t.mock, 0);
  await tick(t.mock, 1000);
  const pages = b.events().filter((e) => e.type === 'page').map((e) => e.context.page);
  assert.deepEqual(pages, [
    { url: landing, referrer: 'https://www.google.com/', title: 'Home' },
    { url: 'https://shop.test/products/trail', referrer: landing, title: 'Trail shoe' },
    { url: 'https://shop.test/products/trail?variant=2', referrer: 'https://shop.test/products/trail', title: 'Trail shoe' },
    { url: 'https://shop.test/products/trail', referrer: 'https://shop.test/products/trail?variant=2', title: 'Trail shoe' },
  ]);
  for (const e of b.events()) { assert.equal(e.context.campaign.source, 'google', 'later pages carry the landing campaign'); }
  const manual = fakeBrowser();
  manual.otq('init', 'wk', { endpoint, autoPage: false });
  manual.boot();
  manual.navigate('/x');
  await tick(t.mock, 1000);
  assert.equal(manual.requests.length, 0, 'autoPage:false: no automatic page views');
  manual.otq('page');
  await tick(t.mock, 1000);
  assert.equal(manual.events()[0].context.page.url, 'http://shop.test/x');
});

test('first and last touch: kept across page loads; a new campaign replaces the last touch only; a referral clears it, a direct visit keeps it', async (t) => {
  timers(t);
  const store = new Map();
  const visit = async (url, referrer = '') => {
    const b = fakeBrowser({ url, referrer, store });
    b.otq('init', 'wk', { endpoint });
    b.otq('track', 'add_to_cart');
    b.boot();
    await tick(t.mock, 1000);
    return b.events();
  };
  const [landingPage, cart] = await visit(landing, 'https://www.google.com/');
  const firstTouch = { campaign: { source: 'google', medium: 'cpc', name: 'spring' }, clickIds: { gclid: 'TESTGCLID' }, url: landing, referrer: 'https://www.google.com/', timestamp: landingPage.timestamp };
  assert.deepEqual(landingPage.context.firstTouch, firstTouch);
  assert.deepEqual(cart.context.firstTouch, firstTouch);
  const [direct] = await visit('https://shop.test/cart');
  assert.deepEqual(direct.context.campaign, firstTouch.campaign, 'a direct visit keeps the last touch (the checkout still carries it)');
  assert.deepEqual(direct.context.clickIds, firstTouch.clickIds);
  const [email] = await visit('https://shop.test/?utm_source=newsletter&utm_medium=email&utm_campaign=winter', '');
  assert.deepEqual(email.context.campaign, { source: 'newsletter', medium: 'email', name: 'winter' });
  assert.equal(email.context.clickIds, undefined);
  assert.deepEqual(email.context.firstTouch, firstTouch);
  const [internal] = await visit('https://shop.test/p/1', 'https://shop.test/');
  assert.equal(internal.context.campaign.source, 'newsletter', 'an internal referrer keeps it');
  const [referral] = await visit('https://shop.test/p/2', 'https://www.facebook.com/');
  assert.equal(referral.context.campaign, undefined, 'a referral from another site is a new touch without campaign');
  assert.deepEqual(referral.context.firstTouch, firstTouch);
  const saved = JSON.parse(store.get('_otq'));
  assert.deepEqual(saved.f, firstTouch);
  assert.equal(saved.l, null);
});

test('a second copy of the script does nothing', async (t) => {
  timers(t);
  const b = fakeBrowser();
  b.otq('init', 'wk', { endpoint });
  b.boot();
  const api = b.window.otq;
  b.boot();
  assert.equal(b.window.otq, api);
  await tick(t.mock, 1000);
  assert.equal(b.events().length, 1);
});
