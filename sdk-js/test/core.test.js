// The snippet's pure helpers: campaign parsing, backoff with Retry-After, the batch and offline-queue bounds,
// ids, cookies and the e-mail hash.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { CLICK_IDS, backoff, bound, cookie, hex, parseTouch, sha256, take, uuid } from '../src/core.js';

test('parseTouch: every utm_* (utm_campaign as name) and each known click id, case as sent', () => {
  assert.deepEqual(parseTouch('?utm_source=google&utm_medium=cpc&utm_campaign=spring&utm_term=shoes&utm_content=ad1&utm_id=42&gclid=TESTGCLID&x=1'), {
    campaign: { source: 'google', medium: 'cpc', name: 'spring', term: 'shoes', content: 'ad1', id: '42' },
    clickIds: { gclid: 'TESTGCLID' },
  });
  const all = Object.fromEntries(CLICK_IDS.map((k, i) => [k, `v${i}`]));
  assert.deepEqual(parseTouch(`?${new URLSearchParams(all)}`), { clickIds: all });
  assert.deepEqual(CLICK_IDS, ['gclid', 'gbraid', 'wbraid', 'fbclid', 'ttclid', 'msclkid', 'li_fat_id', 'ScCid', 'epik']);
  assert.deepEqual(parseTouch('?sccid=lower&GCLID=upper'), undefined, 'names are case-sensitive (ScCid, gclid)');
  assert.deepEqual(parseTouch('?utm_source=news%20letter&utm_medium='), { campaign: { source: 'news letter' } }, 'decoded; empty values skipped');
  assert.equal(parseTouch(''), undefined);
  assert.equal(parseTouch('?page=2&ref=home'), undefined);
});

test('backoff: Retry-After in seconds or as an HTTP date wins; otherwise 0.5–1 s doubling, capped at 60 s', () => {
  assert.equal(backoff(1, '7'), 7000);
  assert.equal(backoff(9, '120'), 120000, 'a long Retry-After is honoured, not capped');
  const date = new Date(Date.now() + 30_000).toUTCString();
  const fromDate = backoff(1, date);
  assert.ok(fromDate > 28_000 && fromDate <= 30_000, `HTTP-date Retry-After → ${fromDate}`);
  assert.equal(backoff(1, null, 1), 1000);
  assert.equal(backoff(1, null, 0), 500);
  assert.equal(backoff(2, null, 1), 2000);
  assert.equal(backoff(3, '', 1), 4000);
  assert.equal(backoff(3, 'garbage', 1), 4000);
  assert.equal(backoff(3, '0', 1), 4000, 'Retry-After: 0 falls back to the exponential delay');
  assert.equal(backoff(20, null, 1), 60000);
  assert.equal(backoff(20, null, 0), 30000);
  for (let n = 1; n < 12; n++) { assert.ok(backoff(n, null) >= backoff(n, null, 0) && backoff(n, null) <= backoff(n, null, 1)); }
});

test('take: at most 50 events and ~60,000 characters per request, never nothing', () => {
  const small = Array.from({ length: 120 }, (_, i) => ({ i }));
  assert.equal(take(small).length, 50);
  assert.deepEqual(take(small.slice(0, 3)), small.slice(0, 3));
  const big = Array.from({ length: 10 }, () => ({ s: 'x'.repeat(25_000) }));
  assert.equal(take(big).length, 2);
  assert.equal(take([{ s: 'x'.repeat(70_000) }]).length, 1);
  assert.deepEqual(take([]), []);
});

test('bound: the offline queue keeps the newest 500 events / ~200 KB and counts the dropped', () => {
  const q = Array.from({ length: 600 }, (_, i) => ({ i }));
  assert.equal(bound(q, 3), 103);
  assert.equal(q.length, 500);
  assert.equal(q[0].i, 100, 'the oldest went first');
  const heavy = Array.from({ length: 100 }, (_, i) => ({ i, s: 'x'.repeat(5000) }));
  const dropped = bound(heavy);
  assert.ok(JSON.stringify(heavy).length <= 200_000);
  assert.equal(dropped + heavy.length, 100);
  assert.equal(heavy.at(-1).i, 99);
});

test('sha256: hex SHA-256 of the trimmed lower-cased e-mail (what the collector hashes)', async () => {
  const expected = createHash('sha256').update('jane.doe@example.com').digest('hex');
  assert.equal(await sha256('  Jane.Doe@Example.COM \n'), expected);
  assert.equal(hex(new Uint8Array([0, 15, 255])), '000fff');
  await assert.rejects(sha256('a@b.c', {}), 'no crypto.subtle (http:) rejects, so nothing is sent in clear');
});

test('uuid: randomUUID where there is one, 128 random bits in hex otherwise; all distinct', () => {
  const ids = new Set(Array.from({ length: 1000 }, () => uuid()));
  assert.equal(ids.size, 1000);
  for (const id of ids) { assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/); }
  const insecure = { getRandomValues: (a) => crypto.getRandomValues(a) };
  const fallback = new Set(Array.from({ length: 1000 }, () => uuid(insecure)));
  assert.equal(fallback.size, 1000);
  for (const id of fallback) { assert.match(id, /^[0-9a-f]{32}$/); }
});

test('cookie: reads one cookie out of document.cookie', () => {
  assert.equal(cookie('a=1; _otq_id=abc-123; b=2', '_otq_id'), 'abc-123');
  assert.equal(cookie('_otq_id=first; x=_otq_id=nope', '_otq_id'), 'first');
  assert.equal(cookie('x_otq_id=no', '_otq_id'), undefined);
  assert.equal(cookie('', '_otq_id'), undefined);
});
