// OmniTrackIQ shop dashboard: the controls (token, date presets and range, channel, model, attribution options),
// the API calls with the read token, and the orders pager. Drawing lives in charts.js and tables.js (window.OTQ).
'use strict';

(function () {
  const OTQ = window.OTQ;
  const $ = (id) => document.getElementById(id);
  const ui = {
    report: $('report'), form: $('controls'), token: $('token'), from: $('from'), to: $('to'), load: $('load'),
    lookback: $('lookback'), paidFirst: $('paid-first'), model: $('model'), channel: $('channel'), presets: $('presets'),
    error: $('error'), status: $('status'), kpis: $('kpis'), kpiRange: $('kpi-range'), dailyChart: $('daily-chart'),
    channelChart: $('channel-chart'), channelLegend: $('channel-legend'), campaignChart: $('campaign-chart'), campaignTable: $('campaign-table'),
    ordersTable: $('orders-table'), ordersNewer: $('orders-newer'), ordersOlder: $('orders-older'), ordersPage: $('orders-page'),
    paths: $('paths'), coverage: $('coverage'),
  };
  const PRESETS = [7, 14, 30, 60, 90];
  const DEFAULT_DAYS = 30;
  let generation = 0; // responses of an older load are dropped
  let today = null; // the collector's current UTC day: presets end with it, whatever this browser's clock says
  let presetDays = DEFAULT_DAYS; // null once a custom range is typed
  let pageSize = 25;
  let orderCursors = [null]; // the cursor of every orders page visited so far; the last is the one shown

  class ApiError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  const shiftDay = (date, days) => {
    const [y, m, d] = date.split('-').map(Number);
    return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
  };

  /** Range as the APIs take it: the form's "to" is inclusive, the API's is exclusive. */
  function rangeQuery(extra) {
    const query = new URLSearchParams(extra);
    if (ui.from.value) { query.set('from', ui.from.value); }
    if (ui.to.value) { query.set('to', shiftDay(ui.to.value, 1)); }
    return query;
  }

  /** Range plus the per-query attribution options (summary and compare; paths are the stored ones). */
  function modelQuery(extra) {
    const query = rangeQuery(extra);
    if (ui.lookback.value) { query.set('lookbackDays', ui.lookback.value); }
    if (ui.paidFirst.value) { query.set('paidFirst', ui.paidFirst.value); }
    return query;
  }

  const model = () => ui.model.value || 'linear';

  /** The chosen channel as every API takes it: that channel's share under the model (README "Analyst API"). */
  function withChannel(query) {
    if (ui.channel.value) { query.set('channel', ui.channel.value); }
    return query;
  }
  const token = () => ui.token.value.trim();

  async function api(path, { allowMissing = false } = {}) {
    let response;
    try {
      response = await fetch(path, { headers: { Authorization: `Bearer ${token()}`, Accept: 'application/json' }, cache: 'no-store' });
    } catch (e) {
      throw new ApiError(0, `Could not reach the collector (${e.message}).`);
    }
    if (response.status === 404 && allowMissing) { return { notAvailable: true }; }
    if (response.status === 401) { throw new ApiError(401, 'The read token was not accepted (401 Unauthorized). Check the token and try again.'); }
    if (!response.ok) {
      let detail = response.statusText;
      try { detail = (await response.json()).detail || detail; } catch { /* not a problem+json body */ }
      throw new ApiError(response.status, `${path.split('?')[0]} answered ${response.status}: ${detail}`);
    }
    return { body: await response.json() };
  }

  function showError(message) {
    ui.error.textContent = message;
    ui.error.hidden = false;
  }

  /** The summary's default range ends with the collector's today: one call tells the page which day that is. */
  async function learnToday() {
    if (today) { return; }
    const summary = await api('/v1/metrics/summary');
    today = shiftDay(String(summary.body.to).slice(0, 10), -1);
  }

  function applyPreset() {
    for (const button of ui.presets.querySelectorAll('button')) { button.setAttribute('aria-pressed', String(Number(button.dataset.days) === presetDays)); }
    if (presetDays === null || !today) { return; }
    ui.to.value = today;
    ui.from.value = shiftDay(today, 1 - presetDays);
  }

  function fillSelect(select, values, label, first) {
    const wanted = select.value;
    select.replaceChildren(...(first ? [first] : []), ...values.map((v) => OTQ.html('option', { value: v }, label(v))));
    if ([...select.options].some((o) => o.value === wanted)) { select.value = wanted; }
  }

  function fillModels(models) {
    const wanted = ui.model.value || (models.includes('linear') ? 'linear' : models[0]);
    fillSelect(ui.model, models, OTQ.modelLabel);
    if (models.includes(wanted)) { ui.model.value = wanted; }
  }

  function fillChannels(compare) {
    const names = new Set();
    for (const rows of Object.values(compare.models || {})) { for (const row of rows) { names.add(String(row.key)); } }
    // A channel asked for in the URL stays listed even when this range has none of it.
    if (ui.channel.value) { names.add(ui.channel.value); }
    fillSelect(ui.channel, [...names].sort(), (c) => c, OTQ.html('option', { value: '' }, 'All channels'));
  }

  const campaignRows = (summary) => ((summary && summary.rows) || []).map((row) => ({
    key: String(row.key), conversions: OTQ.num(row.conversions) || 0, revenue: OTQ.num(row.revenue) || 0,
    spend: OTQ.num(row.spend), roas: OTQ.num(row.roas), cpa: OTQ.num(row.cpa),
  }));

  async function loadOrders(mine) {
    const query = withChannel(rangeQuery({ limit: pageSize, model: model() }));
    const cursor = orderCursors.at(-1);
    if (cursor) { query.set('cursor', cursor); }
    const page = (await api(`/v1/orders?${query}`)).body;
    if (mine !== generation) { return; }
    OTQ.renderOrders(ui, page, ui.channel.value);
    ui.ordersTable.dataset.next = page.nextCursor ?? '';
    ui.ordersNewer.disabled = orderCursors.length === 1;
    ui.ordersOlder.disabled = !page.nextCursor;
    ui.ordersPage.textContent = `Page ${orderCursors.length}`;
  }

  async function load() {
    const mine = ++generation;
    ui.error.hidden = true;
    if (!token()) {
      showError('Enter a read token first.');
      return;
    }
    ui.report.dataset.state = 'loading';
    ui.load.disabled = true;
    ui.status.textContent = 'Loading…';
    try {
      await learnToday();
      applyPreset();
      if (ui.from.value && ui.to.value && ui.from.value > ui.to.value) { throw new ApiError(400, '"From" must not be after "To".'); }
      orderCursors = [null];
      const compare = await api(`/v1/attribution/compare?${modelQuery({ groupBy: 'channel' })}`);
      if (mine !== generation) { return; }
      const models = Object.keys(compare.body.models || {});
      fillModels(models);
      fillChannels(compare.body);
      const channel = ui.channel.value;
      OTQ.renderChannels(ui, compare.body, channel);
      const [summary, days, campaigns, paths, coverage] = await Promise.all([
        api(`/v1/metrics/summary?${withChannel(rangeQuery({ model: model() }))}`),
        api(`/v1/metrics/daily?${withChannel(rangeQuery({ model: model(), groupBy: 'channel' }))}`),
        api(`/v1/attribution/summary?${withChannel(modelQuery({ model: model(), groupBy: 'campaign' }))}`),
        api(`/v1/attribution/paths?${withChannel(rangeQuery({ top: 10 }))}`, { allowMissing: true }),
        api(`/v1/attribution/coverage?${rangeQuery({})}`, { allowMissing: true }),
        loadOrders(mine),
      ]);
      if (mine !== generation) { return; }
      OTQ.renderKpis(ui, summary.body);
      OTQ.renderDaily(ui, days.body);
      const rows = campaignRows(campaigns.body);
      OTQ.renderCampaignChart(ui, rows);
      OTQ.renderCampaignTable(ui, rows);
      OTQ.renderPaths(ui, paths);
      OTQ.renderCoverage(ui, coverage);
      ui.status.textContent = `${models.length} models · updated ${new Date().toLocaleTimeString()}`;
      ui.report.dataset.state = 'ready';
    } catch (e) {
      if (mine !== generation) { return; }
      for (const part of [ui.kpis, ui.dailyChart, ui.channelChart, ui.campaignChart, ui.campaignTable, ui.ordersTable, ui.paths]) {
        part.replaceChildren();
        part.dataset.state = 'error';
      }
      ui.channelLegend.replaceChildren();
      ui.ordersNewer.disabled = true;
      ui.ordersOlder.disabled = true;
      ui.ordersPage.textContent = '';
      showError(e instanceof ApiError ? e.message : `Unexpected error: ${e.message}`);
      ui.status.textContent = '';
      ui.report.dataset.state = 'error';
    } finally {
      if (mine === generation) { ui.load.disabled = false; }
    }
  }

  async function turnOrdersPage(older) {
    if (older) { orderCursors.push(ui.ordersTable.dataset.next); } else if (orderCursors.length > 1) { orderCursors.pop(); }
    ui.error.hidden = true;
    try { await loadOrders(generation); } catch (e) { showError(e.message); }
  }

  /**
   * What each "Download CSV" button saves: the API's own CSV of the table on screen, asked exactly as the table was
   * (range, model, options, channel); the orders file holds up to 1000 orders rather than one page.
   */
  function csvRequest(table) {
    const name = (what) => `${what}${ui.channel.value ? `-${ui.channel.value.replace(/[^A-Za-z0-9]+/g, '_')}` : ''}-${ui.from.value || 'default'}-${ui.to.value || 'range'}.csv`;
    if (table === 'summary') { return [`/v1/metrics/summary?${withChannel(rangeQuery({ model: model(), format: 'csv' }))}`, name('kpis')]; }
    if (table === 'daily') { return [`/v1/metrics/daily?${withChannel(rangeQuery({ model: model(), groupBy: 'channel', format: 'csv' }))}`, name('daily')]; }
    if (table === 'paths') { return [`/v1/attribution/paths?${withChannel(rangeQuery({ top: 10, format: 'csv' }))}`, name('paths')]; }
    if (table === 'campaigns') { return [`/v1/attribution/summary?${withChannel(modelQuery({ model: model(), groupBy: 'campaign', format: 'csv' }))}`, name('campaigns')]; }
    return [`/v1/orders?${withChannel(rangeQuery({ limit: 1000, model: model(), format: 'csv' }))}`, name('orders')];
  }

  /** `#token=rt_…&days=7` or `&from=2026-11-01&to=2026-11-30`, `&channel=Email&model=linear&lookback=7&paidFirst=true&pageSize=25`. */
  function readFragment() {
    const fragment = new URLSearchParams(location.hash.slice(1));
    if (fragment.get('token')) { ui.token.value = fragment.get('token'); }
    for (const [key, select] of [['lookback', ui.lookback], ['paidFirst', ui.paidFirst]]) {
      const value = fragment.get(key);
      if (value !== null && [...select.options].some((o) => o.value === value)) { select.value = value; }
    }
    const days = Number(fragment.get('days'));
    if (PRESETS.includes(days)) { presetDays = days; }
    if (fragment.get('from') || fragment.get('to')) {
      presetDays = null;
      ui.from.value = fragment.get('from') || '';
      ui.to.value = fragment.get('to') || '';
    }
    const size = Number(fragment.get('pageSize'));
    if (Number.isInteger(size) && size >= 1 && size <= 1000) { pageSize = size; }
    for (const [key, select] of [['model', ui.model], ['channel', ui.channel]]) {
      const value = fragment.get(key);
      if (value) {
        if (![...select.options].some((o) => o.value === value)) { select.append(OTQ.html('option', { value }, value)); }
        select.value = value;
      }
    }
    return Boolean(fragment.get('token'));
  }

  ui.form.addEventListener('submit', (event) => { event.preventDefault(); load(); });
  ui.presets.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-days]');
    if (!button) { return; }
    presetDays = Number(button.dataset.days);
    load();
  });
  for (const input of [ui.from, ui.to]) {
    input.addEventListener('change', () => { presetDays = null; applyPreset(); });
  }
  for (const select of [ui.model, ui.channel]) { select.addEventListener('change', () => load()); }
  ui.ordersOlder.addEventListener('click', () => turnOrdersPage(true));
  ui.ordersNewer.addEventListener('click', () => turnOrdersPage(false));
  for (const button of document.querySelectorAll('button[data-csv]')) {
    button.addEventListener('click', async () => {
      ui.error.hidden = true;
      if (!token()) { showError('Enter a read token first.'); return; }
      const [url, fileName] = csvRequest(button.dataset.csv);
      try { await OTQ.downloadCsv(url, token(), fileName); } catch (e) { showError(e.message); }
    });
  }
  window.addEventListener('hashchange', () => { if (readFragment()) { load(); } });
  applyPreset();
  if (readFragment()) { load(); }
})();
