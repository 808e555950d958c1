import { commandForm } from '../actions.js';
import { api } from '../api.js';
import { field, figure, format, h, link, newestFirstPager, show, table } from '../dom.js';
import { onHandChart } from '../chart.js';

const pageSize = 20;
const chartRows = 200;

/** /console/skus/{sku}: the figures, a chart of on hand, the ledger newest first, and the actions the scopes allow. */
export async function renderSku(view, { params: [sku], can }) {
  const path = `/v1/inventory/${encodeURIComponent(sku)}`;
  const figures = h('div', {});
  const chart = h('div', { class: 'chart' });
  const ledger = h('div', {});
  const actions = h('div', { class: 'actions' });

  async function load() {
    const [item, alerts, recent] = await Promise.all([
      api('GET', path),
      api('GET', '/v1/stock-alerts'),
      api('GET', `${path}/ledger`, { query: { order: 'desc', limit: chartRows } }),
    ]);
    const alert = alerts.body.skus.find((entry) => entry.sku === item.body.sku);
    showFigures(figures, item.body, alert);
    onHandChart(chart, item.body, recent.body.entries);
    await showLedger(ledger, path, null);
  }

  show(view,
    h('h1', { tabindex: '-1' }, 'SKU ', h('span', { class: 'mono' }, sku)),
    h('p', { class: 'hint' }, link(`/audit?entityId=${encodeURIComponent(sku)}`, 'Audit trail of this SKU')),
    figures, actions, h('h2', {}, 'On hand over time'), chart, h('h2', {}, 'Ledger'), ledger);
  await load();
  show(actions, skuActions(sku, path, can, load));
}

function showFigures(figures, item, alert) {
  const entries = [
    ['Name', item.name],
    ['On hand', format.number(item.onHand)],
    ['Sold', format.number(item.sold)],
    ['Reserved', format.number(item.reserved)],
    ['Available', format.number(item.available)],
    ['Reorder point', alert ? format.number(alert.reorderPoint) : 'not set'],
  ];
  show(figures,
    h('dl', { class: 'figures' }, entries.map(([name, value]) => figure(name, value))),
    h('p', { class: 'hint' }, `Version ${format.number(item.version)}, updated ${format.time(item.updatedAt)}.`),
    alert?.low ? h('p', { class: 'notice warn' }, 'Low stock: on hand is at or below the reorder point.') : null);
}

async function showLedger(container, path, beforeVersion) {
  const page = (await api('GET', `${path}/ledger`, { query: { order: 'desc', limit: pageSize, beforeVersion } })).body;
  const rows = table('Ledger, newest first',
    ['Version', 'Operation', 'Quantity', 'On hand', 'Sold', 'Reserved', 'Actor', 'Request id', 'Time'],
    page.entries,
    (entry) => [
      String(entry.version), entry.op, format.number(entry.quantity),
      `${format.number(entry.onHandBefore)} → ${format.number(entry.onHandAfter)}`,
      `${format.number(entry.soldBefore)} → ${format.number(entry.soldAfter)}`,
      `${format.number(entry.reservedBefore)} → ${format.number(entry.reservedAfter)}`,
      entry.actor,
      link(`/audit?requestId=${encodeURIComponent(entry.requestId)}`, entry.requestId, { class: 'mono' }),
      format.time(entry.at),
    ],
    'No ledger entries yet.');
  show(container, rows, newestFirstPager(beforeVersion, page, (before) => showLedger(container, path, before)));
}

function skuActions(sku, path, can, reload) {
  const forms = [];
  if (can('inventory:write')) {
    forms.push(commandForm(h('form', { class: 'card', 'aria-labelledby': 'receive-title' },
      h('h2', { id: 'receive-title' }, 'Receive stock'),
      field('Quantity received', h('input', { name: 'quantity', type: 'number', min: 1, max: 1000000, required: true, inputmode: 'numeric' })),
      field('Reference', h('input', { name: 'reference', maxlength: 128, autocomplete: 'off' }), 'A delivery note or purchase order (optional).'),
      h('button', { type: 'submit', class: 'primary' }, 'Receive')), {
      send: async (key, values) => {
        const { body } = await api('POST', `${path}/receipts`, {
          idempotencyKey: key, body: { quantity: Number(values.quantity), reference: values.reference || null },
        });
        return `Received ${values.quantity}: on hand is now ${format.number(body.onHand)}.`;
      },
      onDone: reload,
    }));
  }

  if (can('inventory:admin')) {
    forms.push(commandForm(h('form', { class: 'card', 'aria-labelledby': 'adjust-title' },
      h('h2', { id: 'adjust-title' }, 'Adjust after a count'),
      field('Counted on hand', h('input', { name: 'onHand', type: 'number', min: 0, max: 1000000, required: true, inputmode: 'numeric' })),
      field('Reason', h('input', { name: 'reason', maxlength: 500, required: true, autocomplete: 'off' }), 'Kept in the ledger and the audit trail.'),
      h('button', { type: 'submit', class: 'primary' }, 'Adjust')), {
      send: async (key, values) => {
        const { body } = await api('PATCH', path, { idempotencyKey: key, body: { onHand: Number(values.onHand), reason: values.reason } });
        return `Adjusted: on hand is now ${format.number(body.onHand)}.`;
      },
      onDone: reload,
    }));
    forms.push(commandForm(h('form', { class: 'card', 'aria-labelledby': 'reorder-title' },
      h('h2', { id: 'reorder-title' }, 'Reorder point'),
      field('Alert at or below', h('input', { name: 'reorderPoint', type: 'number', min: 0, max: 1000000, required: true, inputmode: 'numeric' })),
      h('button', { type: 'submit', class: 'primary' }, 'Set reorder point')), {
      send: async (key, values) => {
        await api('PUT', `/v1/stock-alerts/${encodeURIComponent(sku)}`, { idempotencyKey: key, body: { reorderPoint: Number(values.reorderPoint) } });
        return `Reorder point set to ${format.number(Number(values.reorderPoint))}.`;
      },
      onDone: reload,
    }));
  }

  return forms.length > 0 ? forms : h('p', { class: 'hint' }, 'Your token allows no stock actions.');
}
