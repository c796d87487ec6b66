// OmniTrackIQ attribution report. Vanilla JS, no dependencies, served under a CSP that allows only
// same-origin script and style. Every value from the API (channel, campaign and path names are
// attacker-controlled UTM values) reaches the DOM through textContent or setAttribute, never markup.
'use strict';

(function () {
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#86bcb6'];
  // Friendly names for the models we know; any other model the API returns is shown by its key.
  const MODEL_LABELS = {
    first: 'First touch', last: 'Last touch', last_non_direct: 'Last non-direct', linear: 'Linear',
    time_decay: 'Time decay', position: 'Position 40/20/40', w_shaped: 'W-shaped', markov: 'Markov chain', shapley: 'Shapley',
  };
  const WIDTH = 960; // SVG user units; the SVG scales to its container
  const money = new Intl.NumberFormat('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const count = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });

  const $ = (id) => document.getElementById(id);
  const ui = {
    report: $('report'), form: $('controls'), token: $('token'), from: $('from'), to: $('to'), load: $('load'),
    lookback: $('lookback'), paidFirst: $('paid-first'),
    error: $('error'), status: $('status'), model: $('model'),
    channelChart: $('channel-chart'), channelLegend: $('channel-legend'), campaignChart: $('campaign-chart'), paths: $('paths'),
    coverage: $('coverage'),
  };
  let generation = 0; // responses of an older load are dropped

  class ApiError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  function html(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) { node.setAttribute(name, String(value)); }
    if (text !== undefined) { node.textContent = String(text); }
    return node;
  }

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attrs || {})) { node.setAttribute(name, String(value)); }
    if (text !== undefined) { node.textContent = String(text); }
    return node;
  }

  const modelLabel = (model) => (Object.prototype.hasOwnProperty.call(MODEL_LABELS, model) ? MODEL_LABELS[model] : model);
  const modelColor = (index) => (index < PALETTE.length ? PALETTE[index] : `hsl(${(index * 47) % 360} 55% 50%)`);
  const num = (value) => (typeof value === 'number' && Number.isFinite(value) ? value : null);
  const clip = (text, max) => (text.length > max ? text.slice(0, max - 1) + '…' : text);

  /** A round tick step (1, 2, 2.5 or 5 times a power of ten) giving about four ticks, and the axis end. */
  function niceAxis(value) {
    if (!(value > 0)) { return { max: 1, step: 0.25 }; }
    const rough = value / 4;
    const power = Math.pow(10, Math.floor(Math.log10(rough)));
    const step = [1, 2, 2.5, 5, 10].map((s) => s * power).find((s) => s >= rough);
    return { max: step * Math.ceil(value / step - 1e-9), step };
  }

  /** Vertical grid lines with tick labels along the top of a plot area. */
  function drawAxis(root, x0, plotWidth, height, axis, format) {
    const group = svg('g', { class: 'axis' });
    const ticks = Math.round(axis.max / axis.step);
    for (let i = 0; i <= ticks; i++) {
      const x = x0 + (plotWidth * i) / ticks;
      group.append(svg('line', { class: 'grid', x1: x, x2: x, y1: 18, y2: height }));
      group.append(svg('text', { x, y: 12, 'text-anchor': 'middle' }, format(axis.step * i)));
    }
    root.append(group);
  }

  function emptyState(container, state, message) {
    container.replaceChildren(html('p', { class: 'empty' }, message));
    container.dataset.state = state;
  }

  // ---- chart 1: grouped horizontal bars, revenue by channel, one bar per model ----
  function renderChannels(compare) {
    const models = Object.keys((compare && compare.models) || {});
    const byChannel = new Map();
    for (const model of models) {
      for (const row of compare.models[model] || []) {
        const key = String(row.key);
        if (!byChannel.has(key)) { byChannel.set(key, new Map()); }
        byChannel.get(key).set(model, row);
      }
    }

    ui.channelLegend.replaceChildren();
    models.forEach((model, i) => {
      const swatch = svg('svg', { width: 12, height: 12, viewBox: '0 0 12 12', 'aria-hidden': 'true' });
      swatch.append(svg('rect', { width: 12, height: 12, rx: 2, fill: modelColor(i) }));
      const item = html('span', { class: 'item', 'data-model': model });
      item.append(swatch, document.createTextNode(modelLabel(model)));
      ui.channelLegend.append(item);
    });
    if (byChannel.size === 0) {
      emptyState(ui.channelChart, 'empty', 'No attributed conversions in this date range.');
      return;
    }

    const revenueOf = (rows, model) => (rows.has(model) ? num(rows.get(model).revenue) || 0 : 0);
    const peak = (rows) => Math.max(...models.map((m) => revenueOf(rows, m)));
    const channels = [...byChannel.keys()].sort((a, b) => peak(byChannel.get(b)) - peak(byChannel.get(a)) || a.localeCompare(b));
    const axis = niceAxis(Math.max(...channels.map((c) => peak(byChannel.get(c)))));
    const max = axis.max;
    const labelWidth = 190, valueRoom = 70, barHeight = 11, barGap = 3, groupGap = 16, top = 26;
    const plotWidth = WIDTH - labelWidth - valueRoom;
    const groupHeight = models.length * (barHeight + barGap) - barGap;
    const height = top + channels.length * (groupHeight + groupGap);

    const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${height}`, role: 'img', 'aria-label': 'Revenue by channel per attribution model' });
    drawAxis(root, labelWidth, plotWidth, height - groupGap / 2, axis, (v) => count.format(v));
    channels.forEach((channel, c) => {
      const rows = byChannel.get(channel);
      const y0 = top + c * (groupHeight + groupGap);
      const group = svg('g', { class: 'group', 'data-channel': channel });
      const label = svg('text', { class: 'label', x: labelWidth - 10, y: y0 + groupHeight / 2 + 4, 'text-anchor': 'end' }, clip(channel, 22));
      label.append(svg('title', {}, channel));
      group.append(label);
      models.forEach((model, m) => {
        const revenue = revenueOf(rows, model);
        const conversions = rows.has(model) ? num(rows.get(model).conversions) || 0 : 0;
        // A channel with any credit gets at least one visible pixel.
        const width = revenue > 0 ? Math.max(1, (revenue / max) * plotWidth) : 0;
        const y = y0 + m * (barHeight + barGap);
        const bar = svg('rect', {
          class: 'bar', x: labelWidth, y, width: width.toFixed(2), height: barHeight, rx: 2,
          fill: modelColor(m), 'data-model': model, 'data-channel': channel, 'data-revenue': revenue,
        });
        bar.append(svg('title', {}, `${channel} · ${modelLabel(model)}: revenue ${money.format(revenue)}, ${count.format(conversions)} conversions`));
        group.append(bar);
        if (revenue > 0) {
          group.append(svg('text', { class: 'value', x: labelWidth + width + 5, y: y + barHeight - 2 }, money.format(revenue)));
        }
      });
      root.append(group);
    });
    ui.channelChart.replaceChildren(root);
    ui.channelChart.dataset.state = 'ready';
  }

  // ---- chart 2: ROAS by campaign for the selected model ----
  function renderCampaigns(summary) {
    const rows = ((summary && summary.rows) || []).map((row) => ({
      key: String(row.key), revenue: num(row.revenue) || 0, spend: num(row.spend), roas: num(row.roas), cpa: num(row.cpa),
    }));
    if (rows.length === 0) {
      emptyState(ui.campaignChart, 'empty', 'No attributed conversions in this date range.');
      return;
    }

    rows.sort((a, b) => (b.roas ?? -1) - (a.roas ?? -1) || b.revenue - a.revenue || a.key.localeCompare(b.key));
    const anySpend = rows.some((r) => r.roas !== null);
    const axis = niceAxis(Math.max(0, ...rows.map((r) => r.roas ?? 0)));
    const max = axis.max;
    const labelWidth = 190, textRoom = 330, barHeight = 18, rowGap = 10, top = anySpend ? 26 : 4;
    const plotWidth = WIDTH - labelWidth - textRoom;
    const height = top + rows.length * (barHeight + rowGap);
    const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${height}`, role: 'img', 'aria-label': 'Return on ad spend by campaign' });
    // Without any spend an axis of ROAS would be empty decoration: the note below explains instead.
    if (anySpend) { drawAxis(root, labelWidth, plotWidth, height - rowGap / 2, axis, (v) => `${count.format(v)}×`); }
    rows.forEach((row, i) => {
      const y = top + i * (barHeight + rowGap);
      const group = svg('g', { class: 'campaign', 'data-campaign': row.key, 'data-roas': row.roas ?? '' });
      const label = svg('text', { class: 'label', x: labelWidth - 10, y: y + barHeight - 5, 'text-anchor': 'end' }, clip(row.key, 22));
      label.append(svg('title', {}, row.key));
      group.append(label);
      if (row.roas === null) {
        group.append(svg('text', { class: 'nospend', x: labelWidth + 4, y: y + barHeight - 5 }, `no spend · revenue ${money.format(row.revenue)}`));
      } else {
        const width = row.roas > 0 ? Math.max(1, (row.roas / max) * plotWidth) : 0;
        const bar = svg('rect', { class: 'bar', x: labelWidth, y, width: width.toFixed(2), height: barHeight, rx: 3, fill: '#4e79a7', 'data-campaign': row.key });
        bar.append(svg('title', {}, `${row.key}: ROAS ${count.format(row.roas)}×`));
        const cpa = row.cpa === null ? '' : ` · CPA ${money.format(row.cpa)}`;
        const text = `${count.format(row.roas)}× · revenue ${money.format(row.revenue)} / spend ${money.format(row.spend ?? 0)}${cpa}`;
        group.append(bar, svg('text', { class: 'value', x: labelWidth + width + 6, y: y + barHeight - 5 }, text));
      }
      root.append(group);
    });
    ui.campaignChart.replaceChildren(root);
    if (!anySpend) {
      ui.campaignChart.append(html('p', { class: 'empty' }, 'No ad spend is recorded for these campaigns in this range, so there is no ROAS yet.'));
    }
    ui.campaignChart.dataset.state = 'ready';
  }

  // ---- table 3: top paths with a conversions bar ----
  function renderPaths(result) {
    if (result.notAvailable) {
      emptyState(ui.paths, 'unavailable', 'Top paths are not available on this collector yet.');
      return;
    }
    const paths = (result.body && result.body.paths) || [];
    if (paths.length === 0) {
      emptyState(ui.paths, 'empty', 'No conversion paths in this date range.');
      return;
    }

    const max = Math.max(...paths.map((p) => num(p.conversions) || 0)) || 1;
    const table = html('table', { class: 'paths' });
    const head = html('tr');
    head.append(html('th', {}, 'Path'), html('th', { class: 'num' }, 'Touches'), html('th', { class: 'num' }, 'Conversions'), html('th', { class: 'num' }, 'Revenue'));
    const thead = html('thead');
    thead.append(head);
    table.append(thead);
    const body = html('tbody');
    for (const path of paths) {
      const conversions = num(path.conversions) || 0;
      const tr = html('tr', { 'data-path': String(path.path) });
      const steps = html('td');
      String(path.path).split(' > ').forEach((step, i) => {
        if (i > 0) { steps.append(html('span', { class: 'arrow', 'aria-hidden': 'true' }, '›')); }
        steps.append(html('span', { class: 'step' }, step));
      });
      const bar = svg('svg', { viewBox: '0 0 140 12', 'aria-hidden': 'true' });
      bar.append(svg('rect', { width: 140, height: 12, rx: 2, fill: '#eef2f7' }));
      bar.append(svg('rect', { class: 'bar', width: ((conversions / max) * 140).toFixed(2), height: 12, rx: 2, fill: '#59a14f' }));
      const conv = html('div', { class: 'conv' });
      conv.append(bar, html('span', {}, count.format(conversions)));
      const convCell = html('td', { class: 'num' });
      convCell.append(conv);
      tr.append(steps, html('td', { class: 'num' }, count.format(num(path.touches) || 0)), convCell, html('td', { class: 'num' }, money.format(num(path.revenue) || 0)));
      body.append(tr);
    }
    table.append(body);
    ui.paths.replaceChildren(table);
    ui.paths.dataset.state = 'ready';
  }

  const missLabels = { no_visit: 'no tracked visit', visits_only_after: 'visits only after the order', outside_lookback: 'visits older than the lookback' };

  /** Checkout coverage: how many orders the paths above can explain at all, and why the rest cannot. */
  function renderCoverage(result) {
    if (result.notAvailable || !result.body) {
      ui.coverage.textContent = '';
      ui.coverage.dataset.state = 'unavailable';
      return;
    }
    const c = result.body;
    const total = num(c.conversions) || 0;
    if (total === 0) {
      ui.coverage.textContent = 'No orders in this date range.';
      ui.coverage.dataset.state = 'empty';
      return;
    }
    const share = (100 * (num(c.share) || 0)).toFixed(1);
    const revenueShare = (100 * ((num(c.matchedRevenue) || 0) / (num(c.revenue) || 1))).toFixed(1);
    const misses = (c.misses || []).map((m) => `${count.format(num(m.conversions) || 0)} ${missLabels[m.reason] || String(m.reason)}`);
    ui.coverage.textContent = `Checkout coverage: ${count.format(num(c.matched) || 0)} of ${count.format(total)} orders (${share}%, ${revenueShare}% of revenue) matched to a visit`
      + (misses.length ? `; unmatched: ${misses.join(', ')}.` : '.');
    ui.coverage.dataset.state = 'ready';
  }

  // ---- data ----
  /** The day after a yyyy-mm-dd date: the API's `to` is exclusive, the form's is inclusive. */
  function nextDay(date) {
    const [y, m, d] = date.split('-').map(Number);
    return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  }

  function rangeQuery(extra) {
    const query = new URLSearchParams(extra);
    if (ui.from.value) { query.set('from', ui.from.value); }
    if (ui.to.value) { query.set('to', nextDay(ui.to.value)); }
    return query.toString();
  }

  /** Range plus the per-query attribution options (summary and compare only; paths are the stored ones). */
  function modelQuery(extra) {
    const query = new URLSearchParams(rangeQuery(extra));
    if (ui.lookback.value) { query.set('lookbackDays', ui.lookback.value); }
    if (ui.paidFirst.value) { query.set('paidFirst', ui.paidFirst.value); }
    return query.toString();
  }

  async function api(path, { allowMissing = false } = {}) {
    let response;
    try {
      response = await fetch(path, { headers: { Authorization: `Bearer ${ui.token.value.trim()}`, Accept: 'application/json' }, cache: 'no-store' });
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

  function fillModels(models) {
    const wanted = ui.model.value || (models.includes('linear') ? 'linear' : models[0]);
    ui.model.replaceChildren(...models.map((m) => html('option', { value: m }, modelLabel(m))));
    if (models.includes(wanted)) { ui.model.value = wanted; }
  }

  async function loadCampaigns(mine) {
    const model = ui.model.value || 'linear';
    const result = await api(`/v1/attribution/summary?${modelQuery({ model, groupBy: 'campaign' })}`);
    if (mine === generation) { renderCampaigns(result.body); }
  }

  async function load() {
    const mine = ++generation;
    ui.error.hidden = true;
    if (!ui.token.value.trim()) {
      showError('Enter a read token first.');
      return;
    }
    if (ui.from.value && ui.to.value && ui.from.value > ui.to.value) {
      showError('"From" must not be after "To".');
      return;
    }
    ui.report.dataset.state = 'loading';
    ui.load.disabled = true;
    ui.status.textContent = 'Loading…';
    try {
      const compare = await api(`/v1/attribution/compare?${modelQuery({ groupBy: 'channel' })}`);
      if (mine !== generation) { return; }
      const models = Object.keys(compare.body.models || {});
      fillModels(models);
      renderChannels(compare.body);
      const [, paths, coverage] = await Promise.all([
        loadCampaigns(mine),
        api(`/v1/attribution/paths?${rangeQuery({ top: 10 })}`, { allowMissing: true }),
        api(`/v1/attribution/coverage?${rangeQuery({})}`, { allowMissing: true }),
      ]);
      if (mine !== generation) { return; }
      renderPaths(paths);
      renderCoverage(coverage);
      ui.status.textContent = `${models.length} models · updated ${new Date().toLocaleTimeString()}`;
      ui.report.dataset.state = 'ready';
    } catch (e) {
      if (mine !== generation) { return; }
      for (const chart of [ui.channelChart, ui.campaignChart, ui.paths]) { chart.replaceChildren(); chart.dataset.state = 'error'; }
      ui.channelLegend.replaceChildren();
      showError(e instanceof ApiError ? e.message : `Unexpected error: ${e.message}`);
      ui.status.textContent = '';
      ui.report.dataset.state = 'error';
    } finally {
      if (mine === generation) { ui.load.disabled = false; }
    }
  }

  /** `#token=rt_...&from=2026-11-01&to=2026-11-30&model=linear&lookback=7&paidFirst=true`: the fragment never reaches the server. */
  function readFragment() {
    const fragment = new URLSearchParams(location.hash.slice(1));
    if (fragment.get('token')) { ui.token.value = fragment.get('token'); }
    for (const [key, select] of [['lookback', ui.lookback], ['paidFirst', ui.paidFirst]]) {
      const value = fragment.get(key);
      if (value !== null && [...select.options].some((o) => o.value === value)) { select.value = value; }
    }
    if (fragment.get('from')) { ui.from.value = fragment.get('from'); }
    if (fragment.get('to')) { ui.to.value = fragment.get('to'); }
    if (fragment.get('model')) { ui.model.replaceChildren(html('option', { value: fragment.get('model') }, fragment.get('model'))); }
    return Boolean(fragment.get('token'));
  }

  ui.form.addEventListener('submit', (event) => { event.preventDefault(); load(); });
  ui.model.addEventListener('change', () => {
    const mine = generation;
    ui.error.hidden = true;
    loadCampaigns(mine).catch((e) => showError(e.message));
  });
  window.addEventListener('hashchange', () => { if (readFragment()) { load(); } });
  if (readFragment()) { load(); }
})();
