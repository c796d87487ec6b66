// The storefront snippet. boot(window, document) replaces the loader's stub `otq` and replays the calls
// it queued; everything it touches comes from `w` and `d`, so test/otq.test.js runs it in node on fakes.
// Besides the _otq_id cookie it keeps one localStorage entry, `_otq` (JSON): i anonymous id (the cookie's
// fallback), u user id, f / l first / last touch, c consent, q unsent events, d events dropped from a full queue.
import { J, backoff, bound, cookie, parseTouch, sha256, take, uuid } from './core.js';

export function boot(w, d) {
  if (w.otq?.l) return;
  const L = w.location, N = w.navigator, H = w.history;
  const now = () => new Date().toISOString();
  const S = (v, s) => { try { s = w.localStorage; return v ? s.setItem('_otq', J(v)) : JSON.parse(s.getItem('_otq')); } catch (e) { /* storage blocked or full */ } };
  const s = S() || {};
  // O options (+ w: write key), G gate (0 hold in memory, 1 send, 2 denied), Q queue, D dropped, T timer,
  // F failures in a row, B a request in flight, C consent, X GPC (1 ads off, 2 nothing), A anonymous id,
  // U user id, FT/LT first/last touch, R referrer, P the last page URL sent, Z order of the calls.
  let O = {}, G = 0, Q = s.q || [], D = s.d || 0, T, F = 0, B, X, P, Z = Promise.resolve();
  let C = s.c, U = s.u, FT = s.f, LT = s.l, R = d.referrer, A = cookie(d.cookie, '_otq_id') || s.i || uuid();

  const setCookie = (v, age) => d.cookie = '_otq_id=' + v + ';max-age=' + age + ';path=/;samesite=lax'
    + (O.domain ? ';domain=' + O.domain : '') + (L.protocol == 'https:' ? ';secure' : '');
  // Bounds the queue; persists it and the ids only once sending is allowed (a refusal keeps only itself).
  const keep = () => {
    D = bound(Q, D);
    if (G == 1) S({ i: A, u: U, f: FT, l: LT, c: C, q: Q, d: D }), setCookie(A, 34560000); // 400 days
    if (G == 2) S({ c: C }), setCookie('', 0);
  };
  const gate = () => {
    G = X == 2 || C?.analytics === false ? 2 : O.requireConsent && !C?.analytics ? 0 : 1;
    if (G == 2) Q = [];
    keep();
    flush();
  };
  const url = () => O.endpoint + '/v1/batch';
  const body = (b) => J({ writeKey: O.w, sentAt: now(), context: X || C ? { consent: { ...C, ...X && { ads: false } } } : undefined, batch: b });
  const sent = (b) => { Q = Q.filter((e) => !b.includes(e)); keep(); };
  const sched = (ms) => { if (!F && (!T || !ms)) { clearTimeout(T); T = setTimeout(flush, ms); } };
  const flush = async () => {
    T = 0;
    if (B || G != 1 || !Q.length) return; // G is 1 only after init
    const b = take(Q), j = body(b);
    let r, s;
    B = 1;
    try {
      s = (r = await w.fetch(url(), { method: 'POST', keepalive: j.length < 2e4, headers: { 'Content-Type': 'text/plain' }, body: j })).status;
    } catch (e) { /* offline or collector down */ }
    B = 0;
    // 2xx (rejected events included: never retried) and other 4xx are done; network errors, 408, 429 and 5xx wait.
    if (!s || s == 408 || s == 429 || s > 499) T = setTimeout(flush, backoff(++F, r?.headers.get('Retry-After')));
    else { F = 0; sent(b); Q.length && sched(0); }
  };
  const hide = () => {
    if (!F && G == 1 && Q.length) { const b = take(Q); N.sendBeacon?.(url(), body(b)) && sent(b); }
  };
  // Keeps the calls' order (identify waits for its hash); an event near the collector's 32 KiB limit is dropped.
  const push = (e, p) => Z = Z.then(() => p).catch(() => {}).then(() => {
    if (G < 2 && J(e).length < 32e3) { Q.push(e); keep(); sched(Q.length > 9 ? 0 : 1e3); }
  });
  const ev = (type, x) => ({
    type, messageId: uuid(), anonymousId: A, userId: U, timestamp: now(), ...x,
    context: { page: { url: L.href, referrer: R, title: d.title }, ...LT && { campaign: LT.campaign, clickIds: LT.clickIds }, ...FT && { firstTouch: FT } },
  });
  const page = () => {
    const t = parseTouch(L.search);
    // A new campaign URL is a new last touch (a reload of the same URL is not); the first one stays first.
    if (t) L.href != LT?.url && (LT = { ...t, url: L.href, referrer: R, timestamp: now() }), FT ||= LT;
    else if (!P && R && new URL(R).host != L.host) LT = null; // a referral resets the last touch, a direct visit keeps it
    P = L.href;
    push(ev('page'));
  };
  const nav = () => setTimeout(() => { if (L.href != P) { R = P; page(); } }, 0);
  const api = {
    init(k, o) {
      O = { ...o, w: k };
      X = O.respectGpc && N.globalPrivacyControl ? O.respectGpc == 'strict' ? 2 : 1 : 0;
      gate();
      if (O.autoPage !== false) {
        page();
        ['pushState', 'replaceState'].map((m) => { const f = H[m]; H[m] = (...a) => { f.apply(H, a); nav(); }; });
        w.addEventListener('popstate', nav);
      }
    },
    page,
    track: (e, p) => push(ev('track', { event: e, properties: p })),
    conversion: (p) => push(ev('conversion', { properties: p })),
    identify(u, t) {
      U = u;
      const e = ev('identify');
      push(e, t?.email && sha256(t.email).then((h) => e.context.traits = { emailSha256: h }));
    },
    consent(c) { C = { ...C, ...c }; gate(); },
  };
  const call = (m, ...a) => api[m] && api[m](...a);
  // Replays the stub's queue, init first, then the other calls in the order they were made.
  (w.otq?.q || []).sort((a, b) => (b[0] == 'init') - (a[0] == 'init')).map((a) => call(...a));
  w.otq = call;
  w.otq.l = 1;
  w.addEventListener('pagehide', hide);
  d.addEventListener('visibilitychange', () => d.visibilityState == 'hidden' && hide());
}
