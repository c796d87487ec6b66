// Load for the order routes of a running collector (bench/RESULTS.md "Orders"), loopback only.
//   node bench/orders/orders-load.mjs webhook <base> <secret> <shop domain> <workspace> [rate/s=200] [seconds=10]
//     signed orders/paid deliveries at a fixed rate, each a new order and event id; prints answer-time percentiles
//   node bench/orders/orders-load.mjs s2s <base> <secret key> [connections=8] [orders per request=100] [seconds=10]
//     POST /v1/conversions as fast as the collector answers; prints conversions/s
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

const [mode, base, ...rest] = process.argv.slice(2);
const fixture = readFileSync(new URL('../../tests/OmniTrackIQ.Pipeline.Tests/Orders/Fixtures/orders-paid.json', import.meta.url), 'utf8');
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function webhook(secret, shop, workspace, rate = 200, seconds = 10) {
  const latencies = [];
  const statuses = {};
  const total = rate * seconds;
  const started = performance.now();
  const inFlight = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) { await new Promise((r) => setTimeout(r, wait)); }
    const body = fixture.replace('"id": 450789469', `"id": ${1_000_000 + i}`);
    const signature = createHmac('sha256', secret).update(body, 'utf8').digest('base64');
    const sent = performance.now();
    inFlight.push(fetch(`${base}/v1/webhooks/shopify/${workspace}`, {
      method: 'POST', body,
      headers: { 'Content-Type': 'application/json', 'X-Shopify-Topic': 'orders/paid', 'X-Shopify-Hmac-Sha256': signature,
        'X-Shopify-Shop-Domain': shop, 'X-Shopify-Event-Id': `bench-${Date.now()}-${i}` },
    }).then(async (response) => { await response.arrayBuffer(); statuses[response.status] = (statuses[response.status] ?? 0) + 1; latencies.push(performance.now() - sent); }));
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(`webhook: ${total} deliveries in ${elapsed.toFixed(2)} s (${(total / elapsed).toFixed(0)}/s), statuses ${JSON.stringify(statuses)}`);
  console.log(`answer ms: p50=${percentile(latencies, 50).toFixed(2)} p90=${percentile(latencies, 90).toFixed(2)} p99=${percentile(latencies, 99).toFixed(2)} max=${latencies.at(-1).toFixed(2)}`);
}

async function s2s(secretKey, connections = 8, perRequest = 100, seconds = 10) {
  const stopAt = performance.now() + seconds * 1000;
  let accepted = 0;
  let requests = 0;
  let sequence = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: Number(connections) }, async () => {
    while (performance.now() < stopAt) {
      const orders = Array.from({ length: Number(perRequest) }, () => {
        const n = sequence++;
        return { orderId: `bench-${n}`, timestamp: '2026-11-23T10:00:00Z', revenue: 10 + (n % 90), currency: 'EUR', anonymousId: `anon-${n % 5000}`, email: `buyer${n % 5000}@example.com` };
      });
      const response = await fetch(`${base}/v1/conversions`, { method: 'POST', body: JSON.stringify({ orders }), headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${secretKey}` } });
      const answer = await response.json();
      accepted += answer.accepted ?? 0;
      requests++;
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  console.log(`s2s: ${accepted} orders accepted in ${requests} requests over ${elapsed.toFixed(2)} s: ${(accepted / elapsed).toFixed(0)} conversions/s`);
}

if (mode === 'webhook') { await webhook(rest[0], rest[1], rest[2], Number(rest[3] ?? 200), Number(rest[4] ?? 10)); }
else if (mode === 's2s') { await s2s(rest[0], rest[1] ?? 8, rest[2] ?? 100, Number(rest[3] ?? 10)); }
else { console.error('usage: see the header of this file'); process.exit(64); }
