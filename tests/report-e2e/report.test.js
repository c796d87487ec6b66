// GET /report in headless Chromium against the real collector: seeded through the public API, the
// charts must show exactly what the JSON APIs say, with no console errors, and fail visibly on a bad token.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { artifacts, launchBrowser, skip } from './browser.js';
import { call, postAndStore, startCollector } from './collector.js';
import { expectedChannels, seedEvents, spendRows, totalRevenue, xssCampaign } from './seed.js';

let collector;
let browser;
let api; // what the JSON APIs answer, the truth the page must draw
let spendAccepted = false;

before(async () => {
  if (skip) { return; }
  collector = await startCollector();
  await postAndStore(collector, seedEvents());
  // POST /v1/spend may not exist yet on this collector: then the report shows "no spend".
  const spend = await call(collector, 'POST', '/v1/spend', { token: collector.secretKey, json: spendRows() });
  assert.ok(spend.status === 404 || (spend.status >= 200 && spend.status < 300), `POST /v1/spend: ${spend.status} ${JSON.stringify(spend.body)}`);
  spendAccepted = spend.status !== 404;
  const run = await call(collector, 'POST', '/v1/attribution/run', { token: collector.readToken });
  assert.equal(run.status, 200, JSON.stringify(run.body));
  assert.equal(run.body.conversions, 4);
  api = {
    compare: (await call(collector, 'GET', '/v1/attribution/compare?groupBy=channel', { token: collector.readToken })).body,
    campaigns: async (model) => (await call(collector, 'GET', `/v1/attribution/summary?model=${model}&groupBy=campaign`, { token: collector.readToken })).body,
    paths: await call(collector, 'GET', '/v1/attribution/paths?top=10', { token: collector.readToken }),
  };
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await collector?.stop();
});

/** Opens the report with a fresh page, collecting console errors, and waits until it settles. */
async function openReport(fragment, settled = 'ready') {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  const errors = [];
  page.on('console', (message) => { if (message.type() === 'error') { errors.push({ text: message.text(), url: message.location().url }); } });
  page.on('pageerror', (error) => errors.push({ text: String(error), url: '' }));
  await page.goto(`${collector.base}/report#${fragment}`);
  await page.waitForFunction(() => ['ready', 'error'].includes(document.getElementById('report').dataset.state), null, { timeout: 15_000 });
  assert.equal(await page.getAttribute('#report', 'data-state'), settled, `report state; error text: ${await page.textContent('#error')}`);
  return { page, errors };
}

/** Console errors except the expected 404 of a paths endpoint this collector does not have yet. */
function unexpected(errors) {
  return errors.filter((e) => !(api.paths.status === 404 && e.url.includes('/v1/attribution/paths') && e.text.includes('404')));
}

test('channel chart has one bar per channel and model, sized by the attributed revenue', { skip }, async () => {
  const { page, errors } = await openReport(`token=${collector.readToken}`);
  const models = Object.keys(api.compare.models);
  assert.ok(models.length >= 7, `models: ${models}`);

  const bars = await page.$$eval('#channel-chart rect.bar', (rects) => rects.map((r) => ({
    channel: r.dataset.channel, model: r.dataset.model, width: r.getBoundingClientRect().width,
  })));
  assert.equal(bars.length, expectedChannels.length * models.length);
  // The label's own text node (its <title> child holds the unclipped name for the tooltip).
  const labels = await page.$$eval('#channel-chart g.group text.label', (texts) => texts.map((t) => t.firstChild.nodeValue));
  assert.deepEqual([...labels].sort(), expectedChannels);
  const legend = await page.$$eval('#channel-legend .item', (items) => items.map((i) => i.dataset.model));
  assert.deepEqual(legend, models);

  for (const model of models) {
    let sum = 0;
    for (const channel of expectedChannels) {
      const matching = bars.filter((b) => b.channel === channel && b.model === model);
      assert.equal(matching.length, 1, `${channel}/${model}`);
      const revenue = api.compare.models[model].find((row) => row.key === channel)?.revenue ?? 0;
      sum += revenue;
      if (revenue > 0) { assert.ok(matching[0].width > 0, `${channel}/${model} earned ${revenue} but its bar is empty`); }
      else { assert.equal(matching[0].width, 0, `${channel}/${model} earned nothing but has a bar`); }
    }
    assert.ok(Math.abs(sum - totalRevenue) < 1e-6, `${model} credits ${sum}`);
  }

  // First touch: Paid Search 125, Email 60, Direct 40, Organic Social 0: the widths keep those ratios.
  const width = (channel) => bars.find((b) => b.channel === channel && b.model === 'first').width;
  assert.ok(Math.abs(width('Paid Search') / width('Email') - 125 / 60) < 0.02, `first-touch ratio ${width('Paid Search') / width('Email')}`);
  assert.equal(width('Organic Social'), 0);

  assert.equal(await page.isHidden('#error'), true);
  assert.deepEqual(unexpected(errors), []);
  await page.close();
});

test('the rendered charts are really on screen: a PNG with every model colour in the channel chart', { skip }, async (t) => {
  const { page } = await openReport(`token=${collector.readToken}`);
  const full = await page.screenshot({ path: join(artifacts, 'report.png'), fullPage: true });
  t.diagnostic(`screenshot: ${join(artifacts, 'report.png')} (${full.length} bytes)`);
  assert.deepEqual([...full.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.equal(full.readUInt32BE(16), 1280, 'PNG width');
  assert.ok(full.readUInt32BE(20) > 900, 'full page taller than the viewport');
  assert.ok(full.length > 30_000 && full.length < 10_000_000, `PNG size ${full.length}`);

  // Decode the chart's own screenshot in a blank page (no CSP there) and count pixels of each model's colour.
  const chart = await page.locator('#channel-chart').screenshot();
  writeFileSync(join(artifacts, 'channel-chart.png'), chart);
  const colours = await page.$$eval('#channel-legend .item rect', (rects) => rects.map((r) => r.getAttribute('fill')));
  const canvasPage = await browser.newPage();
  const counts = await canvasPage.evaluate(async ({ png, fills }) => {
    const image = new Image();
    image.src = `data:image/png;base64,${png}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    const rgb = fills.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
    const found = rgb.map(() => 0);
    for (let p = 0; p < data.length; p += 4) {
      rgb.forEach(([r, g, b], i) => { if (Math.abs(data[p] - r) + Math.abs(data[p + 1] - g) + Math.abs(data[p + 2] - b) < 12) { found[i]++; } });
    }
    return found;
  }, { png: chart.toString('base64'), fills: colours.filter((c) => c.startsWith('#')) });
  // Every model credits the 225 of revenue somewhere: at least a bar's worth of its colour is painted.
  counts.forEach((n, i) => assert.ok(n > 200, `model colour ${colours[i]}: ${n} pixels`));
  await canvasPage.close();
  await page.close();
});

test('ROAS by campaign follows the model selector and says "no spend" where there is none', { skip }, async () => {
  const { page, errors } = await openReport(`token=${collector.readToken}`);
  assert.equal(await page.inputValue('#model'), 'linear');
  const options = await page.$$eval('#model option', (o) => o.map((x) => x.value));
  assert.deepEqual(options, Object.keys(api.compare.models));

  const rows = async () => page.$$eval('#campaign-chart g.campaign', (groups) => groups.map((g) => ({
    campaign: g.dataset.campaign, roas: g.dataset.roas, text: g.textContent, bar: g.querySelector('rect.bar')?.getBoundingClientRect().width ?? null,
  })));
  const linear = await api.campaigns('linear');
  const shown = await rows();
  assert.deepEqual(shown.map((r) => r.campaign).sort(), linear.rows.map((r) => r.key).sort());
  assert.ok(shown.some((r) => r.campaign === xssCampaign), 'the HTML-looking campaign is listed as text');
  for (const row of linear.rows) {
    const drawn = shown.find((r) => r.campaign === row.key);
    if (typeof row.roas === 'number') {
      assert.ok(Math.abs(Number(drawn.roas) - row.roas) < 1e-9, `${row.key}: ROAS ${drawn.roas} vs ${row.roas}`);
      assert.ok(drawn.bar > 0, `${row.key} has a ROAS bar`);
    } else {
      assert.match(drawn.text, /no spend/);
      assert.equal(drawn.bar, null);
    }
  }
  const brand = linear.rows.find((r) => r.key === 'brand');
  if (spendAccepted) {
    assert.equal(brand.spend, 25);
    assert.ok(Math.abs(brand.roas - brand.revenue / 25) < 1e-9, `brand ROAS ${brand.roas}`);
  } else {
    assert.ok(brand.roas === null || brand.roas === undefined, 'without spend there is no ROAS');
  }

  // Linear gives brand 50 + 20 = 70, first touch 100 (order 1001; order 1003 started Direct): the
  // chart refetches for the selected model.
  assert.equal(brand.revenue, 70);
  const first = (await api.campaigns('first')).rows.find((r) => r.key === 'brand');
  assert.equal(first.revenue, 100);
  await page.selectOption('#model', 'first');
  await page.waitForFunction(() => [...document.querySelectorAll('#campaign-chart g.campaign')]
    .some((g) => g.dataset.campaign === 'brand' && g.textContent.includes('revenue 100.00')), null, { timeout: 10_000 });

  // The payload stayed text: no element was created from it, no handler ran.
  assert.equal(await page.$$eval('img', (images) => images.length), 0);
  assert.equal(await page.evaluate(() => window.__otqXss), undefined);
  assert.deepEqual(unexpected(errors), []);
  await page.close();
});

test('top paths table matches the paths API, or says it is not available', { skip }, async () => {
  const { page, errors } = await openReport(`token=${collector.readToken}`);
  if (api.paths.status === 404) {
    assert.equal(await page.getAttribute('#paths', 'data-state'), 'unavailable');
    assert.match(await page.textContent('#paths'), /not available/);
  } else {
    assert.equal(api.paths.status, 200, JSON.stringify(api.paths.body));
    const rows = await page.$$eval('#paths tbody tr', (trs) => trs.map((tr) => ({
      path: tr.dataset.path, bar: tr.querySelector('rect.bar').getBoundingClientRect().width,
    })));
    assert.deepEqual(rows.map((r) => r.path), api.paths.body.paths.map((p) => p.path));
    assert.ok(rows.length > 0 && rows.every((r) => r.bar > 0), JSON.stringify(rows));
  }
  // Every seeded order has a visit before it: full checkout coverage.
  assert.equal(await page.getAttribute('#coverage', 'data-state'), 'ready');
  assert.equal(await page.textContent('#coverage'), 'Checkout coverage: 4 of 4 orders (100.0%, 100.0% of revenue) matched to a visit.');
  assert.equal(await page.isHidden('#error'), true);
  assert.deepEqual(unexpected(errors), []);
  await page.close();
});

test('a wrong token shows the 401 message and no charts', { skip }, async () => {
  const { page } = await openReport('token=rt_wrong', 'error');
  assert.equal(await page.isVisible('#error'), true);
  assert.match(await page.textContent('#error'), /401/);
  assert.equal(await page.$$eval('#channel-chart rect.bar', (r) => r.length), 0);
  await page.screenshot({ path: join(artifacts, 'report-401.png') });
  await page.close();
});

test('the date range reaches the APIs: a range in the future has nothing to show', { skip }, async () => {
  const { page, errors } = await openReport(`token=${collector.readToken}&from=2100-01-01&to=2100-01-31`);
  assert.equal(await page.getAttribute('#channel-chart', 'data-state'), 'empty');
  assert.equal(await page.textContent('#coverage'), 'No orders in this date range.');
  assert.equal(await page.getAttribute('#campaign-chart', 'data-state'), 'empty');
  assert.equal(await page.$$eval('#channel-chart rect.bar', (r) => r.length), 0);
  assert.equal(await page.isHidden('#error'), true);
  assert.deepEqual(unexpected(errors), []);
  await page.close();
});

test('lookback and paid-clicks-first reach compare and summary and change the credit', { skip }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const asked = [];
  page.on('request', (request) => { if (request.url().includes('/v1/attribution/')) { asked.push(new URL(request.url())); } });
  await page.goto(`${collector.base}/report#token=${collector.readToken}&lookback=any&paidFirst=true`);
  await page.waitForFunction(() => document.getElementById('report').dataset.state === 'ready', null, { timeout: 15_000 });

  assert.equal(await page.inputValue('#lookback'), 'any');
  assert.equal(await page.inputValue('#paid-first'), 'true');
  for (const endpoint of ['/v1/attribution/compare', '/v1/attribution/summary']) {
    const url = asked.find((u) => u.pathname === endpoint);
    assert.ok(url, `${endpoint} was not called`);
    assert.equal(url.searchParams.get('lookbackDays'), 'any', endpoint);
    assert.equal(url.searchParams.get('paidFirst'), 'true', endpoint);
  }

  // Paid clicks first drops anon-c's direct visit: first touch gives Paid Search 125 + 40, Direct nothing.
  const expected = (await call(collector, 'GET', '/v1/attribution/compare?groupBy=channel&lookbackDays=any&paidFirst=true', { token: collector.readToken })).body;
  assert.equal(expected.models.first.find((r) => r.key === 'Paid Search').revenue, 165);
  const bars = await page.$$eval('#channel-chart rect.bar', (rects) => rects.map((r) => ({
    channel: r.dataset.channel, model: r.dataset.model, width: r.getBoundingClientRect().width,
  })));
  const width = (channel) => bars.find((b) => b.channel === channel && b.model === 'first')?.width ?? 0;
  assert.equal(width('Direct'), 0);
  assert.ok(Math.abs(width('Paid Search') / width('Email') - 165 / 60) < 0.02, `first-touch ratio ${width('Paid Search') / width('Email')}`);
  await page.close();
});

test('a network failure is shown in the error element', { skip }, async () => {
  const page = await browser.newPage();
  await page.route('**/v1/attribution/compare*', (route) => route.abort('connectionrefused'));
  await page.goto(`${collector.base}/report#token=${collector.readToken}`);
  await page.waitForFunction(() => document.getElementById('report').dataset.state === 'error', null, { timeout: 15_000 });
  assert.equal(await page.isVisible('#error'), true);
  assert.match(await page.textContent('#error'), /Could not reach the collector/);
  await page.close();
});

// The page draws whatever the APIs return, whatever this collector's state: the real responses plus a
// model the page has never heard of, spend on one campaign and fixed paths, served through interception.
test('any model, spend and paths the APIs return render without a page change', { skip }, async (t) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  const errors = [];
  page.on('console', (message) => { if (message.type() === 'error') { errors.push(message.text()); } });
  const scaled = (rows, factor) => rows.map((r) => ({ ...r, conversions: r.conversions * factor, revenue: r.revenue * factor }));
  const compare = structuredClone(api.compare);
  compare.models.data_driven_v2 = scaled(compare.models.linear, 0.5);
  const linear = await api.campaigns('linear');
  const summary = {
    ...linear,
    rows: linear.rows.map((r) => (r.key === 'brand' ? { ...r, spend: 25, roas: r.revenue / 25, cpa: 25 / r.conversions } : { ...r, spend: null, roas: null, cpa: null })),
  };
  const paths = { paths: [
    { path: 'Paid Search > Organic Social', touches: 2, conversions: 4, revenue: 400 },
    { path: `Email > ${xssCampaign}`, touches: 2, conversions: 2, revenue: 120 },
    { path: 'Direct', touches: 1, conversions: 1, revenue: 40 },
  ] };
  const json = (body) => (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
  await page.route('**/v1/attribution/compare*', json(compare));
  await page.route('**/v1/attribution/summary*', json(summary));
  await page.route('**/v1/attribution/paths*', json(paths));
  await page.goto(`${collector.base}/report#token=${collector.readToken}`);
  await page.waitForFunction(() => document.getElementById('report').dataset.state === 'ready', null, { timeout: 15_000 });

  const legend = await page.$$eval('#channel-legend .item', (items) => items.map((i) => i.textContent));
  assert.equal(legend.at(-1), 'data_driven_v2', 'an unknown model is listed by its key');
  assert.equal(legend.length, Object.keys(compare.models).length);
  assert.equal(await page.$$eval('#channel-chart rect.bar', (r) => r.length), expectedChannels.length * Object.keys(compare.models).length);

  const campaigns = await page.$$eval('#campaign-chart g.campaign', (groups) => groups.map((g) => ({
    campaign: g.dataset.campaign, text: g.querySelector('text.value, text.nospend').textContent, bar: g.querySelector('rect.bar')?.getBoundingClientRect().width ?? 0,
  })));
  assert.equal(campaigns[0].campaign, 'brand', 'campaigns with a ROAS come first');
  assert.ok(campaigns[0].bar > 0);
  assert.equal(campaigns[0].text, '2.8× · revenue 70.00 / spend 25.00 · CPA 25.00');
  assert.ok(campaigns.slice(1).every((c) => c.bar === 0 && c.text.includes('no spend')), JSON.stringify(campaigns));

  const rows = await page.$$eval('#paths tbody tr', (trs) => trs.map((tr) => ({
    steps: [...tr.querySelectorAll('.step')].map((s) => s.textContent), bar: Number(tr.querySelector('rect.bar').getAttribute('width')),
  })));
  assert.deepEqual(rows.map((r) => r.steps), [['Paid Search', 'Organic Social'], ['Email', xssCampaign], ['Direct']]);
  assert.deepEqual(rows.map((r) => r.bar), [140, 70, 35]);
  assert.equal(await page.$$eval('img', (images) => images.length), 0);

  await page.screenshot({ path: join(artifacts, 'report-all-data.png'), fullPage: true });
  t.diagnostic(`screenshot: ${join(artifacts, 'report-all-data.png')}`);
  assert.deepEqual(errors, []);
  await page.close();
});
