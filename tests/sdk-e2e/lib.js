// Helpers of the snippet's browser suite: the collector of tests/report-e2e (reused, not copied) on a data
// directory this suite owns, behind a loopback forwarder whose port never changes (so the browser's
// endpoint survives a collector restart), a storefront server on another origin, the collector's read API,
// and a small renderer for the Liquid the Shopify snippet uses.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { connect, createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browserUserAgent, startCollector } from '../report-e2e/collector.js';

export { browserUserAgent };
export const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex');
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A second workspace of the same collector that refuses events without context.consent.analytics = true. */
export const consentWorkspace = { id: 'consent', writeKey: 'wk_sdk_consent', readToken: 'rt_sdk_consent' };

/**
 * startCollector() of tests/report-e2e on `dataDir` (the later --OmniTrack:DataDirectory wins over the temp
 * directory it makes and deletes), with `origins` allowed in both workspaces.
 */
export function startOn(dataDir, origins) {
  const allow = (ws) => origins.flatMap((origin, i) => [`--OmniTrack:Workspaces:${ws}:AllowedOrigins:${i}`, origin]);
  return startCollector({
    extraArgs: [
      '--OmniTrack:DataDirectory', dataDir,
      ...allow(0),
      '--OmniTrack:Workspaces:1:Id', consentWorkspace.id,
      '--OmniTrack:Workspaces:1:WriteKey', consentWorkspace.writeKey,
      '--OmniTrack:Workspaces:1:ReadTokenSha256:0', sha256(consentWorkspace.readToken),
      '--OmniTrack:Workspaces:1:RequireAnalyticsConsent', 'true',
      ...allow(1),
    ],
  });
}

export const newDataDir = () => mkdtempSync(join(tmpdir(), 'otq-sdk-e2e-'));
export const removeDataDir = (dir) => rmSync(dir, { recursive: true, force: true });

/**
 * A TCP forwarder on a fixed loopback port to the current collector: `to(collector)` points it at one,
 * `to(null)` refuses every connection (and drops the open ones), as a stopped collector would.
 */
export async function startForwarder() {
  let target = null;
  const open = new Set();
  const server = createTcpServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => {});
    if (!target) { client.destroy(); return; }
    const upstream = connect(Number(new URL(target.base).port), '127.0.0.1');
    open.add(upstream);
    upstream.on('close', () => { open.delete(upstream); client.destroy(); });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    to(collector) { target = collector; if (!collector) { for (const socket of open) { socket.destroy(); } } },
    close: () => new Promise((resolve) => { for (const socket of open) { socket.destroy(); } server.close(resolve); }),
  };
}

/** The storefront: `handler(req, res, body)` answers; the server records every request as { method, path, body }. */
export async function startShop(handler) {
  const requests = [];
  const server = createHttpServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) { chunks.push(chunk); }
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url, 'http://shop');
    requests.push({ method: req.method, path: url.pathname, search: url.search, headers: req.headers, body });
    try {
      await handler(req, res, { url, body });
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error?.stack ?? error));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

export const html = (res, text) => { res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }); res.end(text); };

/** GET /v1/events?limit=1000 of a workspace → { rows, text }. */
export async function readEvents(collector, token = collector.readToken) {
  const response = await fetch(`${collector.base}/v1/events?limit=1000`, { headers: { Authorization: `Bearer ${token}` } });
  const text = await response.text();
  assert.equal(response.status, 200, `GET /v1/events: ${response.status} ${text.slice(0, 500)}`);
  return { rows: JSON.parse(text).events, text };
}

/** GET /v1/events/bad?limit=100 → { rows, text }. */
export async function readBadEvents(collector, token = collector.readToken) {
  const response = await fetch(`${collector.base}/v1/events/bad?limit=100`, { headers: { Authorization: `Bearer ${token}` } });
  const text = await response.text();
  assert.equal(response.status, 200, `GET /v1/events/bad: ${response.status} ${text.slice(0, 500)}`);
  return { rows: JSON.parse(text).badEvents, text };
}

/** Waits (bounded) until `count` stored rows pass `filter`, then a little longer so a late duplicate would show. */
export async function waitForRows(collector, filter, count, { token, timeoutMs = 20_000 } = {}) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const { rows } = await readEvents(collector, token);
    const found = rows.filter(filter);
    if (found.length >= count) { break; }
    if (performance.now() > deadline) {
      const bad = await readBadEvents(collector, token);
      assert.fail(`expected ${count} stored rows, found ${found.length} after ${timeoutMs} ms: ${JSON.stringify(found, null, 1)}\nbad: ${bad.text.slice(0, 2000)}`);
    }
    await sleep(100);
  }
  await sleep(400);
  return (await readEvents(collector, token)).rows.filter(filter);
}

/** The row's properties (JSON text in the API). */
export const propertiesOf = (row) => (typeof row.properties === 'string' ? JSON.parse(row.properties) : row.properties);

/**
 * Renders the subset of Liquid that sdk-js/shopify/otq.liquid uses — comments, `assign x = y | default: z`,
 * `{{ expr | append: '…' | json | default: … }}` — with `vars` (dotted names, e.g. 'cart.attributes').
 * It stands in for Shopify: the test serves what the snippet renders to, from the snippet file itself.
 */
export function renderLiquid(source, vars) {
  const scope = { ...vars };
  const literal = (token) => {
    token = token.trim();
    if (/^'.*'$/.test(token) || /^".*"$/.test(token)) { return token.slice(1, -1); }
    if (token === 'false') { return false; }
    if (token === 'true') { return true; }
    return scope[token];
  };
  const evaluate = (expression) => {
    const [head, ...filters] = expression.split('|');
    let value = literal(head);
    for (const filter of filters) {
      const [name, arg] = filter.split(/:(.*)/s).map((s) => s?.trim());
      if (name === 'default') { if (value === undefined || value === null || value === '' || value === false) { value = literal(arg); } }
      else if (name === 'append') { value = String(value ?? '') + literal(arg); }
      else if (name === 'json') { value = JSON.stringify(value ?? null); }
      else { throw new Error(`filter ${name} is not simulated`); }
    }
    return value;
  };
  return source
    .replace(/{%-?\s*comment\s*-?%}[\s\S]*?{%-?\s*endcomment\s*-?%}\s*/g, '')
    .replace(/\s*{%-?\s*assign\s+(\w+)\s*=\s*([^%]*?)\s*-?%}\s*/g, (_m, name, expression) => { scope[name] = evaluate(expression); return ''; })
    .replace(/{{-?\s*([\s\S]*?)\s*-?}}/g, (_m, expression) => String(evaluate(expression)));
}
