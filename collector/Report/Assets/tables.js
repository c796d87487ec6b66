// OmniTrackIQ dashboard: the KPI strip and the tables (campaigns, orders, top paths, coverage), plus the CSV
// download. API values reach the DOM only as text (textContent / setAttribute), never as markup.
'use strict';

(function () {
  const { html, svg, num, money, count } = window.OTQ;
  const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });

  // The KPI strip, in the order an analyst scans it; `lowerIsBetter` colours a fall green.
  const KPIS = [
    { key: 'netRevenue', label: 'Net revenue', format: (v) => money.format(v) },
    { key: 'spend', label: 'Ad spend', format: (v) => money.format(v), lowerIsBetter: true },
    { key: 'profitAfterAdSpend', label: 'Profit after ad spend', format: (v) => money.format(v) },
    { key: 'roas', label: 'ROAS', format: (v) => `${count.format(v)}×` },
    { key: 'orders', label: 'Orders', format: (v) => count.format(v) },
    { key: 'cpa', label: 'CPA', format: (v) => money.format(v), lowerIsBetter: true },
    { key: 'aov', label: 'AOV', format: (v) => money.format(v) },
    { key: 'newCustomers', label: 'New customers', format: (v) => count.format(v) },
    { key: 'returningCustomers', label: 'Returning customers', format: (v) => count.format(v) },
  ];

  function kpiCard(kpi, value, change, lowerIsBetter, label) {
    const card = html('div', { class: 'kpi', 'data-kpi': kpi, 'data-value': value ?? '', 'data-change': change ?? '' });
    card.append(html('span', { class: 'kpi-label' }, label));
    card.append(html('span', { class: 'kpi-value' }, value === null ? '–' : value));
    let text = 'no previous figure';
    let trend = 'flat';
    if (change !== null) {
      trend = change > 0 ? 'up' : change < 0 ? 'down' : 'flat';
      text = `${change > 0 ? '▲' : change < 0 ? '▼' : '■'} ${percent.format(Math.abs(change))} vs previous`;
    }
    const good = trend === 'flat' ? 'flat' : ((trend === 'up') !== Boolean(lowerIsBetter) ? 'good' : 'bad');
    card.append(html('span', { class: `kpi-change ${good}` }, text));
    return card;
  }

  /**
   * The KPIs of /v1/metrics/summary: shop-wide, or with a channel chosen that channel's share under the model (the
   * revenue and orders the model credits to it, its spend, their ratios), so the strip equals the channel chart.
   */
  function renderKpis(ui, summary) {
    const channel = summary.channel ? String(summary.channel) : null;
    const labels = channel ? { netRevenue: 'Attributed revenue', orders: 'Attributed orders', profitAfterAdSpend: 'Attributed revenue − spend' } : {};
    const cards = KPIS.map((k) => {
      const value = num(summary.current[k.key]);
      const card = kpiCard(k.key, value, num(summary.change[k.key]), k.lowerIsBetter, labels[k.key] || k.label);
      card.querySelector('.kpi-value').textContent = value === null ? '–' : k.format(value);
      return card;
    });
    ui.kpis.replaceChildren(...cards);
    ui.kpis.dataset.state = 'ready';
    ui.kpis.dataset.channel = channel ?? '';
    const day = (iso) => String(iso).slice(0, 10);
    const lastDay = (iso) => new Date(Date.parse(iso) - 1).toISOString().slice(0, 10);
    ui.kpiRange.textContent = `${day(summary.from)} to ${lastDay(summary.to)}, compared with ${day(summary.previousFrom)} to ${lastDay(summary.previousTo)}`
      + (channel ? `. ${channel} only: what the ${window.OTQ.modelLabel(String(summary.model))} model credits to it, and its ad spend.` : '.');
  }

  function table(className, headings) {
    const node = html('table', { class: className });
    const head = html('tr');
    for (const [text, numeric] of headings) { head.append(html('th', numeric ? { class: 'num', scope: 'col' } : { scope: 'col' }, text)); }
    const thead = html('thead');
    thead.append(head);
    const body = html('tbody');
    node.append(thead, body);
    return { node, body };
  }

  const numberCell = (value, format) => html('td', { class: 'num', 'data-value': value ?? '' }, value === null ? '–' : format(value));

  /** Campaigns of the selected model: spend, attributed revenue, ROAS and CPA, highest revenue first. */
  function renderCampaignTable(ui, rows) {
    if (rows.length === 0) {
      ui.campaignTable.replaceChildren();
      ui.campaignTable.dataset.state = 'empty';
      return;
    }
    const { node, body } = table('data campaigns', [['Campaign'], ['Conversions', true], ['Spend', true], ['Attributed revenue', true], ['ROAS', true], ['CPA', true]]);
    const sorted = [...rows].sort((a, b) => b.revenue - a.revenue || a.key.localeCompare(b.key));
    for (const row of sorted) {
      const tr = html('tr', { 'data-campaign': row.key });
      tr.append(html('th', { scope: 'row' }, row.key), numberCell(row.conversions, (v) => count.format(v)), numberCell(row.spend, (v) => money.format(v)),
        numberCell(row.revenue, (v) => money.format(v)), numberCell(row.roas, (v) => `${count.format(v)}×`), numberCell(row.cpa, (v) => money.format(v)));
      body.append(tr);
    }
    ui.campaignTable.replaceChildren(node);
    ui.campaignTable.dataset.state = 'ready';
  }

  function pathSteps(cell, path) {
    String(path).split(' > ').forEach((step, i) => {
      if (i > 0) { cell.append(html('span', { class: 'arrow', 'aria-hidden': 'true' }, '›')); }
      cell.append(html('span', { class: 'step' }, step));
    });
  }

  /** One page of /v1/orders (with a channel chosen, the API has kept the orders the model credits to it). */
  function renderOrders(ui, page, channel) {
    const orders = (page && page.orders) || [];
    if (orders.length === 0) {
      ui.ordersTable.dataset.state = 'empty';
      ui.ordersTable.replaceChildren(html('p', { class: 'empty' }, channel ? `No order in this date range is credited to ${channel}.` : 'No orders in this date range.'));
      return;
    }
    const { node, body } = table('data orders', [['Order'], ['Time (UTC)'], ['Net', true], ['Status'], ['Sources'], ['First touch'], ['Last touch'], ['Path']]);
    for (const order of orders) {
      const tr = html('tr', { 'data-order': String(order.orderId) });
      const net = num(order.net);
      const path = html('td', { class: 'path' });
      if (order.path) { pathSteps(path, order.path); } else { path.append(html('span', { class: 'muted' }, 'no tracked touch')); }
      tr.append(
        html('th', { scope: 'row' }, String(order.orderId)),
        html('td', { class: 'time' }, String(order.ts).replace('T', ' ').slice(0, 16)),
        html('td', { class: 'num', 'data-value': net ?? '' }, net === null ? '–' : `${money.format(net)} ${order.currency ?? ''}`.trim()),
        html('td', {}, String(order.status)),
        html('td', {}, (order.sources || []).join(', ')),
        html('td', {}, order.firstTouch ?? '–'),
        html('td', {}, order.lastTouch ?? '–'),
        path);
      body.append(tr);
    }
    ui.ordersTable.replaceChildren(node);
    ui.ordersTable.dataset.state = 'ready';
  }

  // ---- top paths with a conversions bar ----
  function renderPaths(ui, result) {
    if (result.notAvailable) {
      window.OTQ.emptyState(ui.paths, 'unavailable', 'Top paths are not available on this collector yet.');
      return;
    }
    const paths = (result.body && result.body.paths) || [];
    if (paths.length === 0) {
      window.OTQ.emptyState(ui.paths, 'empty', 'No conversion paths in this date range.');
      return;
    }
    const max = Math.max(...paths.map((p) => num(p.conversions) || 0)) || 1;
    const { node, body } = table('paths', [['Path'], ['Touches', true], ['Conversions', true], ['Revenue', true]]);
    for (const path of paths) {
      const conversions = num(path.conversions) || 0;
      const tr = html('tr', { 'data-path': String(path.path) });
      const steps = html('td');
      pathSteps(steps, path.path);
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
    ui.paths.replaceChildren(node);
    ui.paths.dataset.state = 'ready';
  }

  const missLabels = { no_visit: 'no tracked visit', visits_only_after: 'visits only after the order', outside_lookback: 'visits older than the lookback' };

  /** Checkout coverage: how many orders the paths above can explain at all, and why the rest cannot. */
  function renderCoverage(ui, result) {
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

  /**
   * Saves an API answer as a file. A plain link cannot carry the bearer token, so the CSV is fetched with it and
   * handed to the browser as a Blob behind a temporary object URL.
   */
  async function downloadCsv(url, token, fileName) {
    const response = await fetch(url, { headers: { Authorization: `Bearer ${token}`, Accept: 'text/csv' }, cache: 'no-store' });
    if (!response.ok) { throw new Error(`${url.split('?')[0]} answered ${response.status} to the CSV download`); }
    const blob = new Blob([await response.arrayBuffer()], { type: 'text/csv' });
    const link = html('a', { href: URL.createObjectURL(blob), download: fileName });
    document.body.append(link);
    link.click();
    link.remove();
    // The click has handed the blob to the download by now; the URL is no longer needed.
    setTimeout(() => URL.revokeObjectURL(link.href), 0);
  }

  Object.assign(window.OTQ, { renderKpis, renderCampaignTable, renderOrders, renderPaths, renderCoverage, downloadCsv });
})();
