// Pure helpers of the snippet (no DOM): unit-tested in node by test/core.test.js.

/** JSON.stringify, short (the snippet is size-budgeted). */
export const J = JSON.stringify;

/** The click ids the collector reads from context.clickIds (and from a page URL). */
export const CLICK_IDS = 'gclid gbraid wbraid fbclid ttclid msclkid li_fat_id ScCid epik'.split(' ');

/**
 * The campaign of a query string: every utm_* parameter into `campaign` (utm_campaign as `name`, the
 * others without their prefix) and the known click ids into `clickIds`; undefined when it has none.
 */
export const parseTouch = (search, t) => {
  new URLSearchParams(search).forEach((v, p) => {
    if (v) {
      if (p.slice(0, 4) == 'utm_') ((t ||= {}).campaign ||= {})[p == 'utm_campaign' ? 'name' : p.slice(4)] = v;
      else if (CLICK_IDS.includes(p)) ((t ||= {}).clickIds ||= {})[p] = v;
    }
  });
  return t;
};

/**
 * Milliseconds to wait before retry number `n` (1, 2, …): the server's Retry-After (seconds or an
 * HTTP date) when it gave one, else 0.5–1 s doubling per failure up to 30–60 s (`r` is the jitter, 0–1).
 */
export const backoff = (n, retryAfter, r = Math.random()) => {
  const s = +retryAfter || (Date.parse(retryAfter) - Date.now()) / 1e3;
  return s > 0 ? s * 1e3 : Math.min(6e4, 500 * 2 ** n) * (1 + r) / 2;
};

/** The head of the queue that goes in one request: at most 50 events and ~60,000 characters (at least one). */
export const take = (q, s = 0, n = 0) => {
  while (n < q.length && n < 50 && (s += J(q[n]).length) < 6e4) n++;
  return q.slice(0, n || 1);
};

/** Drops the oldest events (in place) until the queue holds at most 500 events and ~200 KB; returns `dropped` plus the number dropped. */
export const bound = (q, dropped = 0) => {
  while (q.length > 500 || J(q).length > 2e5) q.shift(), dropped++;
  return dropped;
};

/** SHA-256 (hex) of the trimmed, lower-cased text: the collector's e-mail hash. Rejects without crypto.subtle (http:). */
export const sha256 = async (text, c = crypto) => hex(await c.subtle.digest('SHA-256', new TextEncoder().encode(text.trim().toLowerCase())));

/** Lower-case hex of the bytes of an ArrayBuffer or typed array. */
export const hex = (b) => [...new Uint8Array(b)].map((x) => (x + 256).toString(16).slice(1)).join('');

/** A unique id: crypto.randomUUID (a v4 UUID) where there is one (secure contexts), else 128 random bits in hex. */
export const uuid = (c = crypto) => c.randomUUID ? c.randomUUID() : hex(c.getRandomValues(new Uint8Array(16)));

/** The value of cookie `name` in a document.cookie string. */
export const cookie = (all, name) => (all.match('(^|; )' + name + '=([^;]*)') || [])[2];
