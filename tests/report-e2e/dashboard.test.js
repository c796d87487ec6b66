// The dashboard parts of GET /report in headless Chromium against the real collector: KPI strip, date presets,
// channel filter, daily chart, campaigns and orders tables, pager and CSV downloads must show exactly what the
// JSON APIs answer for the same range, work by keyboard, and fit a 375 px phone.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { artifacts, launchBrowser, skip } from './browser.js';
import { call, postAndStore, startCollector } from './collector.js';
import { collectorNow, hoursAgo, seedEvents, spendRows } from './seed.js';

// A fifth journey whose campaign needs CSV quoting (comma, quotes) and the formula guard (leading "=").
const csvCampaign = '=SUM(1,2) "vip"';
const events = [
  ...seedEvents(),
  { type: 'page', messageId: 'p7', anonymousId: 'anon-e', timestamp: hoursAgo(75),
    context: { page: { url: `https://shop.example/?${new URLSearchParams({ utm_source: 'news', utm_medium: 'email', utm_campaign: csvCampaign })}`, referrer: '', title: 'Shop' } } },
  { type: 'conversion', messageId: 'c5', anonymousId: 'anon-e', timestamp: hoursAgo(74), properties: { orderId: '1005', revenue: 30, currency: 'EUR' } },
];

// The collector's today (its clock is pinned; README "Tests" on OTQ_CLOCK_OFFSET_DAYS) and day arithmetic.
const today = collectorNow.slice(0, 10);
const shiftDay = (date, days) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

let collector;
let browser;

before(async () => {
  if (skip) { return; }
  collector = await startCollector();
  await postAndStore(collector, events);
  const spend = await call(collector, 'POST', '/v1/spend', { token: collector.secretKey, json: spendRows() });
  assert.equal(spend.status, 200, JSON.stringify(spend.body));
  const run = await call(collector, 'POST', '/v1/attribution/run', { token: collector.readToken });
  assert.equal(run.status, 200, JSON.stringify(run.body));
  assert.equal(run.body.conversions, 5);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await collector?.stop();
});

const get = async (path) => {
  const answer = await call(collector, 'GET', path, { token: collector.readToken });
  assert.equal(answer.status, 200, `${path}: ${JSON.stringify(answer.body)}`);
  return answer.body;
};

/** Opens the dashboard and waits until it settles; records every API request and console error. */
async function open(fragment, viewport = { width: 1280, height: 900 }) {
  const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
  const errors = [];
  const asked = [];
  page.on('console', (message) => { if (message.type() === 'error') { errors.push(message.text()); } });
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('request', (request) => { if (request.url().includes('/v1/')) { asked.push(new URL(request.url())); } });
  await page.goto(`${collector.base}/report#token=${collector.readToken}${fragment}`);
  await settled(page);
  return { page, errors, asked };
}

async function settled(page) {
  await page.waitForFunction(() => ['ready', 'error'].includes(document.getElementById('report').dataset.state), null, { timeout: 15_000 });
  assert.equal(await page.getAttribute('#report', 'data-state'), 'ready', await page.textContent('#error'));
}

/** The API range of what the page shows: its inclusive "to" plus one day. */
const pageRange = async (page) => `from=${await page.inputValue('#from')}&to=${shiftDay(await page.inputValue('#to'), 1)}`;

test('KPI strip shows the summary API\'s figures and changes for the default 30-day range', { skip }, async () => {
  const { page, errors } = await open('');
  assert.equal(await page.inputValue('#to'), today);
  assert.equal(await page.inputValue('#from'), shiftDay(today, -29));
  assert.equal(await page.getAttribute('button[data-days="30"]', 'aria-pressed'), 'true');
  const api = await get(`/v1/metrics/summary?${await pageRange(page)}&model=linear`);
  assert.equal(api.current.netRevenue, 255);
  assert.equal(api.current.orders, 5);
  assert.equal(api.current.spend, 25);

  const cards = await page.$$eval('#kpis .kpi', (nodes) => nodes.map((n) => ({
    kpi: n.dataset.kpi, value: n.dataset.value, change: n.dataset.change, text: n.querySelector('.kpi-value').textContent,
  })));
  assert.deepEqual(cards.map((c) => c.kpi), ['netRevenue', 'spend', 'profitAfterAdSpend', 'roas', 'orders', 'cpa', 'aov', 'newCustomers', 'returningCustomers']);
  for (const card of cards) {
    assert.equal(card.value === '' ? null : Number(card.value), api.current[card.kpi], card.kpi);
    assert.equal(card.change === '' ? null : Number(card.change), api.change[card.kpi], `${card.kpi} change`);
  }
  const text = Object.fromEntries(cards.map((c) => [c.kpi, c.text]));
  assert.deepEqual([text.netRevenue, text.spend, text.profitAfterAdSpend, text.roas, text.orders, text.cpa, text.aov], ['255.00', '25.00', '230.00', '10.2×', '5', '5.00', '51.00']);
  assert.equal(await page.textContent('#kpi-range'), `${shiftDay(today, -29)} to ${today}, compared with ${shiftDay(today, -59)} to ${shiftDay(today, -30)}.`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('daily chart has a bar per day with the daily API\'s revenue and spend', { skip }, async () => {
  const { page } = await open('');
  const api = await get(`/v1/metrics/daily?${await pageRange(page)}&model=linear&groupBy=channel`);
  const bars = await page.$$eval('#daily-chart rect.day', (rects) => rects.map((r) => ({
    date: r.dataset.date, revenue: Number(r.dataset.revenue), spend: Number(r.dataset.spend), height: r.getBoundingClientRect().height,
  })));
  assert.equal(bars.length, 30);
  assert.deepEqual(bars.map((b) => [b.date, b.revenue, b.spend]), api.days.map((d) => [d.date, d.revenue, d.spend]));
  const yesterday = bars.find((b) => b.date === shiftDay(today, -1));
  assert.deepEqual([yesterday.revenue, yesterday.spend], [225, 25]);
  assert.ok(yesterday.height > 0 && bars.filter((b) => b.revenue === 0).every((b) => b.height === 0));
  assert.equal(await page.$$eval('#daily-chart polyline.spend-line', (lines) => lines.length), 1);
  await page.close();
});

test('campaigns table rows equal the attribution summary (spend, revenue, ROAS, CPA)', { skip }, async () => {
  const { page } = await open('');
  const api = await get(`/v1/attribution/summary?${await pageRange(page)}&model=linear&groupBy=campaign`);
  const rows = await page.$$eval('#campaign-table tbody tr', (trs) => trs.map((tr) => ({
    campaign: tr.dataset.campaign, cells: [...tr.querySelectorAll('td')].map((td) => td.dataset.value), text: [...tr.querySelectorAll('td')].map((td) => td.textContent),
  })));
  assert.deepEqual(rows.map((r) => r.campaign).sort(), api.rows.map((r) => r.key).sort());
  for (const row of api.rows) {
    const shown = rows.find((r) => r.campaign === row.key);
    assert.deepEqual(shown.cells.map((v) => (v === '' ? null : Number(v))), [row.conversions, row.spend ?? null, row.revenue, row.roas ?? null, row.cpa ?? null], row.key);
  }
  const brand = rows.find((r) => r.campaign === 'brand');
  assert.deepEqual(brand.text, ['1', '25.00', '70.00', '2.8×', '25.00']);
  await page.close();
});

test('orders table pages through the orders API with its cursor', { skip }, async () => {
  const { page } = await open('&pageSize=2');
  const range = await pageRange(page);
  const first = await get(`/v1/orders?${range}&limit=2`);
  const second = await get(`/v1/orders?${range}&limit=2&cursor=${encodeURIComponent(first.nextCursor)}`);
  const shown = async () => page.$$eval('#orders-table tbody tr', (trs) => trs.map((tr) => ({
    id: tr.dataset.order, cells: [...tr.children].map((c) => c.textContent), steps: [...tr.querySelectorAll('.step')].map((s) => s.textContent),
  })));
  let rows = await shown();
  assert.deepEqual(rows.map((r) => r.id), first.orders.map((o) => o.orderId));
  const order = first.orders[0];
  assert.deepEqual(rows[0].cells.slice(0, 7), [order.orderId, order.ts.replace('T', ' ').slice(0, 16), `${order.net.toFixed(2)} ${order.currency}`, order.status,
    order.sources.join(', '), order.firstTouch, order.lastTouch]);
  assert.deepEqual(rows[0].steps, order.path.split(' > '));
  assert.equal(await page.isDisabled('#orders-newer'), true);

  await page.click('#orders-older');
  await page.waitForFunction(() => document.getElementById('orders-page').textContent === 'Page 2');
  rows = await shown();
  assert.deepEqual(rows.map((r) => r.id), second.orders.map((o) => o.orderId));
  await page.click('#orders-newer');
  await page.waitForFunction(() => document.getElementById('orders-page').textContent === 'Page 1');
  assert.deepEqual((await shown()).map((r) => r.id), first.orders.map((o) => o.orderId));
  await page.close();
});

test('a preset chosen by keyboard changes the range every API is asked for', { skip }, async () => {
  const { page, asked } = await open('');
  await page.focus('#token');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.days), '7');
  asked.length = 0;
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('button[data-days="7"]').getAttribute('aria-pressed') === 'true');
  await settled(page);
  assert.equal(await page.inputValue('#from'), shiftDay(today, -6));
  assert.equal(await page.inputValue('#to'), today);
  for (const endpoint of ['/v1/metrics/summary', '/v1/metrics/daily', '/v1/orders', '/v1/attribution/compare', '/v1/attribution/summary']) {
    const url = asked.find((u) => u.pathname === endpoint);
    assert.ok(url, `${endpoint} was not called`);
    assert.deepEqual([url.searchParams.get('from'), url.searchParams.get('to')], [shiftDay(today, -6), shiftDay(today, 1)], endpoint);
  }
  assert.equal(await page.$$eval('#daily-chart rect.day', (r) => r.length), 7);
  // Order 1005 is three days old, in the 7 days; 60 days reach back to the previous period's start.
  await page.click('button[data-days="60"]');
  await page.waitForFunction(() => document.getElementById('from').value !== '' && document.querySelectorAll('#daily-chart rect.day').length === 60);
  assert.equal(await page.inputValue('#from'), shiftDay(today, -59));
  await page.close();
});

test('the channel filter reaches every API, and the KPI strip, chart, campaigns and orders show their answers', { skip }, async () => {
  const { page, asked, errors } = await open('');
  asked.length = 0;
  await page.selectOption('#channel', 'Email');
  await page.waitForFunction(() => document.getElementById('kpis').dataset.channel === 'Email');
  await settled(page);
  const range = await pageRange(page);
  // Every API behind a table or figure was asked for Email's share (the compare call lists the channels, so it is not filtered).
  for (const endpoint of ['/v1/metrics/summary', '/v1/metrics/daily', '/v1/orders', '/v1/attribution/summary']) {
    const url = asked.find((u) => u.pathname === endpoint);
    assert.ok(url, `${endpoint} was not called`);
    assert.deepEqual([url.searchParams.get('channel'), url.searchParams.get('model')], ['Email', 'linear'], endpoint);
  }

  // KPI strip: the summary API's Email figures, which are Email's bar of the channel chart under the same model.
  const summary = await get(`/v1/metrics/summary?${range}&model=linear&channel=Email`);
  const cards = await page.$$eval('#kpis .kpi', (nodes) => nodes.map((n) => [n.dataset.kpi, n.dataset.value, n.querySelector('.kpi-label').textContent]));
  for (const [kpi, value] of cards) { assert.equal(value === '' ? null : Number(value), summary.current[kpi], kpi); }
  const chart = (await get(`/v1/attribution/compare?${range}&groupBy=channel`)).models.linear.find((r) => r.key === 'Email');
  assert.deepEqual([summary.current.netRevenue, summary.current.orders, chart.revenue, chart.conversions], [90, 2, 90, 2]);
  assert.equal(cards.find(([kpi]) => kpi === 'netRevenue')[2], 'Attributed revenue');
  assert.deepEqual(await page.$$eval('#channel-chart g.group', (groups) => groups.map((g) => g.dataset.channel)), ['Email']);

  // Daily chart: the daily API's Email series.
  const daily = await get(`/v1/metrics/daily?${range}&model=linear&groupBy=channel&channel=Email`);
  const revenue = await page.$$eval('#daily-chart rect.day', (rects) => rects.map((r) => Number(r.dataset.revenue)));
  assert.deepEqual(revenue, daily.days.map((d) => d.revenue));
  assert.equal(revenue.reduce((a, b) => a + b, 0), 90);

  // Campaigns: Email's campaigns only, as the attribution summary filtered by Email answers.
  const campaigns = await get(`/v1/attribution/summary?${range}&model=linear&groupBy=campaign&channel=Email`);
  const rows = await page.$$eval('#campaign-table tbody tr', (trs) => trs.map((tr) => [tr.dataset.campaign, ...[...tr.querySelectorAll('td')].map((td) => td.dataset.value)]));
  assert.deepEqual(rows.map((r) => r[0]).sort(), campaigns.rows.map((r) => r.key).sort());
  assert.deepEqual(rows.map((r) => r[0]).sort(), [csvCampaign, 'winter_sale'].sort());
  for (const row of campaigns.rows) {
    const shown = rows.find((r) => r[0] === row.key).slice(1).map((v) => (v === '' ? null : Number(v)));
    assert.deepEqual(shown, [row.conversions, row.spend ?? null, row.revenue, row.roas ?? null, row.cpa ?? null], row.key);
  }

  // Orders: every order credited to Email (1002 and 1005), as the orders API lists them, not one page's worth filtered here.
  const orders = await get(`/v1/orders?${range}&model=linear&channel=Email&limit=25`);
  assert.deepEqual(await page.$$eval('#orders-table tbody tr', (trs) => trs.map((tr) => tr.dataset.order)), orders.orders.map((o) => o.orderId));
  assert.deepEqual(orders.orders.map((o) => o.orderId).sort(), ['1002', '1005']);

  // Top paths: the paths through Email, as the paths API answers with the same filter.
  assert.equal(asked.find((u) => u.pathname === '/v1/attribution/paths').searchParams.get('channel'), 'Email');
  const paths = await get(`/v1/attribution/paths?${range}&top=10&channel=Email`);
  const shownPaths = await page.$$eval('#paths tbody tr', (trs) => trs.map((tr) => tr.dataset.path));
  assert.deepEqual(shownPaths, paths.paths.map((p) => p.path));
  assert.ok(shownPaths.length > 0 && shownPaths.every((p) => p.split(' > ').includes('Email')), JSON.stringify(shownPaths));
  assert.deepEqual(errors, []);
  await page.close();
});

/** Strict RFC 4180: quoted fields with doubled quotes, CRLF after every record, the same field count everywhere. */
function parseCsv(text) {
  const records = [];
  let at = 0;
  while (at < text.length) {
    const record = [];
    for (;;) {
      let field = '';
      if (text[at] === '"') {
        for (at++; ; at++) {
          assert.ok(at < text.length, 'unterminated quoted field');
          if (text[at] === '"' && text[at + 1] === '"') { field += '"'; at++; } else if (text[at] === '"') { at++; break; } else { field += text[at]; }
        }
      } else {
        while (at < text.length && text[at] !== ',' && text[at] !== '\r') {
          assert.ok(text[at] !== '"' && text[at] !== '\n', `bare quote or LF at ${at}`);
          field += text[at++];
        }
      }
      record.push(field);
      if (text[at] === ',') { at++; continue; }
      assert.equal(text.slice(at, at + 2), '\r\n', `record ${records.length} must end with CRLF`);
      at += 2;
      break;
    }
    records.push(record);
  }
  assert.ok(records.every((r) => r.length === records[0].length), 'every record has the header\'s field count');
  return records;
}

test('CSV buttons save the API\'s RFC 4180 CSV, fetched with the read token', { skip }, async () => {
  const { page, asked } = await open('');
  const range = await pageRange(page);
  const save = async (table) => {
    asked.length = 0;
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`button[data-csv="${table}"]`)]);
    const text = readFileSync(await download.path(), 'utf8');
    const url = asked.find((u) => u.searchParams.get('format') === 'csv');
    const direct = await fetch(url, { headers: { Authorization: `Bearer ${collector.readToken}` } });
    assert.equal(text, await direct.text(), `${table}: the saved file is the API's answer`);
    return { name: download.suggestedFilename(), records: parseCsv(text) };
  };

  const orders = await save('orders');
  assert.equal(orders.name, `orders-${shiftDay(today, -29)}-${today}.csv`);
  assert.deepEqual(orders.records[0], ['order_id', 'ts', 'gross', 'refunded', 'net', 'currency', 'status', 'sources', 'first_touch', 'last_touch', 'path']);
  assert.deepEqual(orders.records.slice(1).map((r) => r[0]), (await get(`/v1/orders?${range}&limit=1000`)).orders.map((o) => o.orderId));

  // The campaigns file is the campaigns table: its columns, one line per row on screen.
  const campaigns = await save('campaigns');
  assert.deepEqual(campaigns.records[0], ['campaign', 'conversions', 'revenue', 'spend', 'roas', 'cpa']);
  const table = await page.$$eval('#campaign-table tbody tr', (trs) => trs.map((tr) => [tr.dataset.campaign, ...[...tr.querySelectorAll('td')].map((td) => td.dataset.value)]));
  const byKey = (records) => [...records].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  // The campaign's comma and quotes survive the quoting, and its leading "=" is defused (the file holds "'" before it).
  const unguard = (key) => (key === `'${csvCampaign}` ? csvCampaign : key);
  assert.ok(campaigns.records.some((r) => r[0] === `'${csvCampaign}`), JSON.stringify(campaigns.records));
  assert.deepEqual(byKey(campaigns.records.slice(1).map(([key, conversions, revenue, spend, roas, cpa]) => [unguard(key), conversions, spend, revenue, roas, cpa])),
    byKey(table));

  const paths = await save('paths');
  assert.deepEqual(paths.records[0], ['path', 'touches', 'conversions', 'revenue']);
  assert.deepEqual(paths.records.slice(1).map((r) => r[0]), await page.$$eval('#paths tbody tr', (trs) => trs.map((tr) => tr.dataset.path)));

  const kpis = await save('summary');
  assert.deepEqual(kpis.records[0], ['metric', 'current', 'previous', 'change']);
  assert.deepEqual(kpis.records.find((r) => r[0] === 'net_revenue').slice(0, 2), ['net_revenue', '255']);
  await page.close();
});

test('screenshots at desktop and 375 px; on the phone nothing overflows sideways', { skip }, async (t) => {
  const desktop = await open('');
  await desktop.page.screenshot({ path: join(artifacts, 'dashboard-desktop.png'), fullPage: true });
  await desktop.page.close();
  const phone = await open('', { width: 375, height: 812 });
  await phone.page.screenshot({ path: join(artifacts, 'dashboard-375.png'), fullPage: true });
  t.diagnostic(`screenshots: ${join(artifacts, 'dashboard-desktop.png')}, ${join(artifacts, 'dashboard-375.png')}`);
  assert.equal(await phone.page.evaluate(() => document.documentElement.scrollWidth), 375);
  // Each KPI card and the controls stay inside the viewport.
  const right = await phone.page.$$eval('#kpis .kpi, #controls label, #presets button', (nodes) => Math.max(...nodes.map((n) => n.getBoundingClientRect().right)));
  assert.ok(right <= 375, `rightmost edge ${right}`);
  assert.deepEqual(phone.errors, []);
  await phone.page.close();
});

test('each KPI card shows its change against the previous period, a rise in cost as bad news', { skip }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // The real answer with changes the seed cannot produce (it has no previous period), served through interception.
  const real = await get('/v1/metrics/summary');
  const answer = { ...real, change: { ...real.change, netRevenue: 0.125, spend: 0.5, cpa: -0.2, orders: 0, roas: null } };
  await page.route('**/v1/metrics/summary*', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(answer) }));
  await page.goto(`${collector.base}/report#token=${collector.readToken}`);
  await settled(page);
  const change = async (kpi) => page.$eval(`#kpis [data-kpi="${kpi}"] .kpi-change`, (n) => [n.textContent, n.className]);
  assert.deepEqual(await change('netRevenue'), ['▲ 12.5% vs previous', 'kpi-change good']);
  assert.deepEqual(await change('spend'), ['▲ 50% vs previous', 'kpi-change bad']);
  assert.deepEqual(await change('cpa'), ['▼ 20% vs previous', 'kpi-change good']);
  assert.deepEqual(await change('orders'), ['■ 0% vs previous', 'kpi-change flat']);
  assert.deepEqual(await change('roas'), ['no previous figure', 'kpi-change flat']);
  await page.close();
});
