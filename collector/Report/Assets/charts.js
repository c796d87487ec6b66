// OmniTrackIQ dashboard: DOM helpers and the three SVG charts (revenue by channel per model, ROAS by campaign,
// daily revenue vs spend). Vanilla JS under a CSP that allows only same-origin script; every API value (channel,
// campaign and path names are attacker-controlled UTM values) reaches the DOM through textContent or setAttribute.
'use strict';

(function () {
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#86bcb6'];
  // Friendly names for the models we know; any other model the API returns is shown by its key.
  const MODEL_LABELS = {
    first: 'First touch', last: 'Last touch', last_non_direct: 'Last non-direct', linear: 'Linear',
    time_decay: 'Time decay', position: 'Position 40/20/40', w_shaped: 'W-shaped', markov: 'Markov chain', shapley: 'Shapley',
  };
  // SVG user units: the container's CSS width (960 at most), so on a phone the text is drawn at its real size
  // rather than a 960-unit drawing shrunk to a third.
  const chartWidth = (container) => Math.round(Math.min(960, Math.max(300, container.clientWidth || 960)));
  const narrow = (width) => width < 600;
  const REVENUE_COLOUR = '#4e79a7';
  const SPEND_COLOUR = '#e15759';
  const money = new Intl.NumberFormat('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const count = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });

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

  function swatch(colour, line) {
    const box = svg('svg', { width: 14, height: 12, viewBox: '0 0 14 12', 'aria-hidden': 'true' });
    box.append(line ? svg('rect', { y: 5, width: 14, height: 3, fill: colour }) : svg('rect', { width: 12, height: 12, rx: 2, fill: colour }));
    return box;
  }

  // ---- grouped horizontal bars: revenue by channel, one bar per model (only `channel` when one is chosen) ----
  function renderChannels(ui, compare, channel) {
    const models = Object.keys((compare && compare.models) || {});
    const byChannel = new Map();
    for (const model of models) {
      for (const row of compare.models[model] || []) {
        const key = String(row.key);
        if (channel && key !== channel) { continue; }
        if (!byChannel.has(key)) { byChannel.set(key, new Map()); }
        byChannel.get(key).set(model, row);
      }
    }

    ui.channelLegend.replaceChildren();
    models.forEach((model, i) => {
      const item = html('span', { class: 'item', 'data-model': model });
      item.append(swatch(modelColor(i)), document.createTextNode(modelLabel(model)));
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
    const WIDTH = chartWidth(ui.channelChart);
    const small = narrow(WIDTH);
    const labelWidth = small ? 96 : 190, valueRoom = small ? 52 : 70, barHeight = 11, barGap = 3, groupGap = 16, top = 26;
    const plotWidth = WIDTH - labelWidth - valueRoom;
    const groupHeight = models.length * (barHeight + barGap) - barGap;
    const height = top + channels.length * (groupHeight + groupGap);

    const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${height}`, role: 'img', 'aria-label': 'Revenue by channel per attribution model' });
    drawAxis(root, labelWidth, plotWidth, height - groupGap / 2, axis, (v) => count.format(v));
    channels.forEach((name, c) => {
      const rows = byChannel.get(name);
      const y0 = top + c * (groupHeight + groupGap);
      const group = svg('g', { class: 'group', 'data-channel': name });
      const label = svg('text', { class: 'label', x: labelWidth - 10, y: y0 + groupHeight / 2 + 4, 'text-anchor': 'end' }, clip(name, small ? 12 : 22));
      label.append(svg('title', {}, name));
      group.append(label);
      models.forEach((model, m) => {
        const revenue = revenueOf(rows, model);
        const conversions = rows.has(model) ? num(rows.get(model).conversions) || 0 : 0;
        // A channel with any credit gets at least one visible pixel.
        const width = revenue > 0 ? Math.max(1, (revenue / axis.max) * plotWidth) : 0;
        const y = y0 + m * (barHeight + barGap);
        const bar = svg('rect', {
          class: 'bar', x: labelWidth, y, width: width.toFixed(2), height: barHeight, rx: 2,
          fill: modelColor(m), 'data-model': model, 'data-channel': name, 'data-revenue': revenue,
        });
        bar.append(svg('title', {}, `${name} · ${modelLabel(model)}: revenue ${money.format(revenue)}, ${count.format(conversions)} conversions`));
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

  // ---- ROAS by campaign for the selected model ----
  function renderCampaignChart(ui, rows) {
    if (rows.length === 0) {
      emptyState(ui.campaignChart, 'empty', 'No attributed conversions in this date range.');
      return;
    }
    rows = [...rows].sort((a, b) => (b.roas ?? -1) - (a.roas ?? -1) || b.revenue - a.revenue || a.key.localeCompare(b.key));
    const anySpend = rows.some((r) => r.roas !== null);
    const axis = niceAxis(Math.max(0, ...rows.map((r) => r.roas ?? 0)));
    const WIDTH = chartWidth(ui.campaignChart);
    const small = narrow(WIDTH);
    // On a phone the bar carries only the ROAS; the table below has the revenue, spend and CPA.
    const labelWidth = small ? 96 : 190, textRoom = small ? 150 : 330, barHeight = 18, rowGap = 10, top = anySpend ? 26 : 4;
    const plotWidth = WIDTH - labelWidth - textRoom;
    const height = top + rows.length * (barHeight + rowGap);
    const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${height}`, role: 'img', 'aria-label': 'Return on ad spend by campaign' });
    // Without any spend an axis of ROAS would be empty decoration: the note below explains instead.
    if (anySpend) { drawAxis(root, labelWidth, plotWidth, height - rowGap / 2, axis, (v) => `${count.format(v)}×`); }
    rows.forEach((row, i) => {
      const y = top + i * (barHeight + rowGap);
      const group = svg('g', { class: 'campaign', 'data-campaign': row.key, 'data-roas': row.roas ?? '' });
      const label = svg('text', { class: 'label', x: labelWidth - 10, y: y + barHeight - 5, 'text-anchor': 'end' }, clip(row.key, small ? 12 : 22));
      label.append(svg('title', {}, row.key));
      group.append(label);
      if (row.roas === null) {
        group.append(svg('text', { class: 'nospend', x: labelWidth + 4, y: y + barHeight - 5 }, small ? 'no spend' : `no spend · revenue ${money.format(row.revenue)}`));
      } else {
        const width = row.roas > 0 ? Math.max(1, (row.roas / axis.max) * plotWidth) : 0;
        const bar = svg('rect', { class: 'bar', x: labelWidth, y, width: width.toFixed(2), height: barHeight, rx: 3, fill: REVENUE_COLOUR, 'data-campaign': row.key });
        bar.append(svg('title', {}, `${row.key}: ROAS ${count.format(row.roas)}×`));
        const cpa = row.cpa === null ? '' : ` · CPA ${money.format(row.cpa)}`;
        const text = small ? `${count.format(row.roas)}×`
          : `${count.format(row.roas)}× · revenue ${money.format(row.revenue)} / spend ${money.format(row.spend ?? 0)}${cpa}`;
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

  // ---- daily revenue (bars) vs spend (line) ----
  function renderDaily(ui, daily) {
    const days = ((daily && daily.days) || []).map((d) => ({ date: String(d.date), revenue: num(d.revenue) || 0, spend: num(d.spend) || 0 }));
    if (days.length === 0) {
      emptyState(ui.dailyChart, 'empty', 'No days in this date range.');
      return;
    }
    const WIDTH = chartWidth(ui.dailyChart);
    const height = narrow(WIDTH) ? 200 : 260, left = narrow(WIDTH) ? 44 : 64, right = 12, top = 14, bottom = 34;
    const plotWidth = WIDTH - left - right, plotHeight = height - top - bottom;
    const axis = niceAxis(Math.max(...days.map((d) => Math.max(d.revenue, d.spend))));
    const slot = plotWidth / days.length;
    const y = (value) => top + plotHeight - (value / axis.max) * plotHeight;
    const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${height}`, role: 'img', 'aria-label': 'Attributed revenue and ad spend per day' });
    const grid = svg('g', { class: 'axis' });
    for (let i = 0, ticks = Math.round(axis.max / axis.step); i <= ticks; i++) {
      const value = axis.step * i;
      grid.append(svg('line', { class: 'grid', x1: left, x2: WIDTH - right, y1: y(value), y2: y(value) }));
      grid.append(svg('text', { x: left - 6, y: y(value) + 4, 'text-anchor': 'end' }, count.format(value)));
    }
    // A date label every 60 units or so, whatever the range's length and the chart's width.
    const every = Math.max(1, Math.ceil(days.length / Math.max(2, Math.floor(plotWidth / 60))));
    days.forEach((d, i) => {
      if (i % every === 0) { grid.append(svg('text', { x: left + slot * (i + 0.5), y: height - 12, 'text-anchor': 'middle' }, d.date.slice(5))); }
    });
    root.append(grid);
    const bars = svg('g', { class: 'days' });
    days.forEach((d, i) => {
      const barHeight = (d.revenue / axis.max) * plotHeight;
      const bar = svg('rect', {
        class: 'bar day', x: (left + slot * i + slot * 0.15).toFixed(2), y: (top + plotHeight - barHeight).toFixed(2),
        width: (slot * 0.7).toFixed(2), height: barHeight.toFixed(2), fill: REVENUE_COLOUR,
        'data-date': d.date, 'data-revenue': d.revenue, 'data-spend': d.spend,
      });
      bar.append(svg('title', {}, `${d.date}: revenue ${money.format(d.revenue)}, spend ${money.format(d.spend)}`));
      bars.append(bar);
    });
    root.append(bars);
    const points = days.map((d, i) => `${(left + slot * (i + 0.5)).toFixed(2)},${y(d.spend).toFixed(2)}`).join(' ');
    root.append(svg('polyline', { class: 'spend-line', points, fill: 'none', stroke: SPEND_COLOUR, 'stroke-width': 2.5, 'stroke-linejoin': 'round' }));
    const legend = html('div', { class: 'legend' });
    const revenueItem = html('span', { class: 'item' });
    revenueItem.append(swatch(REVENUE_COLOUR), document.createTextNode('Attributed revenue'));
    const spendItem = html('span', { class: 'item' });
    spendItem.append(swatch(SPEND_COLOUR, true), document.createTextNode('Ad spend'));
    legend.append(revenueItem, spendItem);
    ui.dailyChart.replaceChildren(legend, root);
    ui.dailyChart.dataset.state = 'ready';
  }

  window.OTQ = { html, svg, num, money, count, modelLabel, emptyState, renderChannels, renderCampaignChart, renderDaily };
})();
