// A fake window/document for src/otq.js in node (no jsdom): the location/history pair, a cookie jar that
// honours max-age=0, localStorage, navigator.sendBeacon, fetch (answers scripted per test) and the
// loader's stub `otq`, each recording what the snippet did.
import { boot } from '../src/otq.js';

export const flushMicrotasks = () => new Promise((resolve) => setImmediate(resolve));

/** Advances node:test's mocked setTimeout by `ms` and lets the promises it started settle. */
export async function tick(mock, ms = 0) {
  for (let i = 0; i < 4; i++) { await flushMicrotasks(); }
  mock.timers.tick(ms);
  for (let i = 0; i < 4; i++) { await flushMicrotasks(); }
}

/** Waits (without timers: they may be mocked) until `condition()` holds. */
export async function until(condition, rounds = 100_000) {
  for (let i = 0; i < rounds && !condition(); i++) { await flushMicrotasks(); }
  if (!condition()) { throw new Error(`not reached: ${condition}`); }
}

export function fakeBrowser({
  url = 'http://shop.test/', referrer = '', title = 'Home', store = new Map(), jar = new Map(), cookiesBlocked = false,
  gpc, answer = () => ({ status: 200 }), beacon = () => true,
} = {}) {
  let current = new URL(url);
  const listeners = {};
  const on = (target) => (name, fn) => { (listeners[`${target}:${name}`] ||= []).push(fn); };
  const emit = (target, name) => { for (const fn of listeners[`${target}:${name}`] ?? []) { fn(); } };
  const requests = [];
  const beacons = [];
  const cookieWrites = [];
  const storageWrites = [];
  const location = {
    get href() { return current.href; }, get search() { return current.search; },
    get host() { return current.host; }, get protocol() { return current.protocol; },
  };
  const history = {
    pushState(_state, _title, to) { current = new URL(to, current); },
    replaceState(_state, _title, to) { if (to !== undefined && to !== null) { current = new URL(to, current); } },
  };
  const document = {
    referrer, title, visibilityState: 'visible',
    get cookie() { return cookiesBlocked ? '' : [...jar].map(([k, v]) => `${k}=${v.value}`).join('; '); },
    set cookie(text) {
      cookieWrites.push(text);
      if (cookiesBlocked) { return; }
      const [pair, ...attributes] = text.split(';');
      const eq = pair.indexOf('=');
      const attrs = Object.fromEntries(attributes.map((a) => { const [k, v] = a.trim().split('='); return [k.toLowerCase(), v ?? true]; }));
      if (attrs['max-age'] === '0') { jar.delete(pair.slice(0, eq)); } else { jar.set(pair.slice(0, eq), { value: pair.slice(eq + 1), attrs }); }
    },
    addEventListener: on('document'),
  };
  const localStorage = {
    getItem: (k) => (store.has(k) ? store.get(k) : null),
    setItem: (k, v) => { storageWrites.push(k); store.set(k, String(v)); },
    removeItem: (k) => { storageWrites.push(`-${k}`); store.delete(k); },
  };
  const window = {
    location, history, document, localStorage, crypto: globalThis.crypto,
    navigator: {
      globalPrivacyControl: gpc,
      sendBeacon(to, body) { beacons.push({ url: to, body: JSON.parse(body) }); return beacon(); },
    },
    async fetch(to, init) {
      const request = { url: to, init, body: JSON.parse(init.body) };
      requests.push(request);
      const reply = answer(request, requests.length - 1);
      if (reply instanceof Error) { throw reply; }
      const headers = reply.headers ?? {};
      return { status: reply.status, headers: { get: (n) => headers[n] ?? null } };
    },
    addEventListener: on('window'),
  };
  // The documented loader's stub: calls made before the script loads wait in otq.q.
  window.otq = function () { (window.otq.q = window.otq.q || []).push(arguments); };
  return {
    window, document, jar, store, requests, beacons, cookieWrites, storageWrites,
    otq: (...args) => window.otq(...args),
    boot: () => boot(window, document),
    /** Events in the order they were sent (fetch and beacon). */
    events: () => requests.flatMap((r) => r.body.batch),
    saved: () => JSON.parse(store.get('_otq') ?? 'null'),
    navigate(to, newTitle) { history.pushState({}, '', to); if (newTitle) { document.title = newTitle; } },
    back(to) { current = new URL(to, current); emit('window', 'popstate'); },
    hide() { document.visibilityState = 'hidden'; emit('document', 'visibilitychange'); },
    pagehide() { emit('window', 'pagehide'); },
  };
}
