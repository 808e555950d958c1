import { commandButton, commandForm } from '../actions.js';
import { api } from '../api.js';
import { field, format, h, link, problem, show, table } from '../dom.js';

/**
 * /console/attention: everything waiting for a person, each with the request or correlation id to search the
 * audit trail by and the one action that settles it. An action's answer is shown in its section, and the list
 * is read again, so a settled item leaves it.
 */
export async function renderAttention(view, context) {
  const sections = [
    context.can('pos:read') ? section('POS events', (body, outcome) => posEvents(body, outcome, context)) : null,
    context.can('slips:read') ? section('Loyalty accruals of rating slips', (body, outcome) => slips(body, outcome, context)) : null,
    context.can('inventory:read') ? section('Low stock', (body) => lowStock(body)) : null,
  ].filter(Boolean);
  show(view, h('h1', { tabindex: '-1' }, 'Attention'),
    sections.length > 0 ? sections.map((item) => item.element) : h('p', {}, 'Your token can read none of these lists.'));
  await Promise.all(sections.map((item) => item.load()));
}

/** A section that loads its list, and shows a failure to load in place of the list. */
function section(title, fill) {
  const id = `s-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  const outcome = h('div', { class: 'outcome', 'aria-live': 'polite' });
  const body = h('div', {});
  const element = h('section', { class: 'card', 'aria-labelledby': id, 'data-section': id }, h('h2', { id }, title), outcome, body);
  const load = async () => {
    try {
      await fill(body, outcome, load);
    } catch (error) {
      if (error.status === 401) throw error;
      show(body, problem(error));
    }
  };
  return { element, load: () => load() };
}

async function posEvents(body, outcome, { can }) {
  const reload = () => posEvents(body, outcome, { can });
  const [attention, pending] = await Promise.all([
    api('GET', '/v1/pos/attention'),
    api('GET', '/v1/pos/pending'),
  ]);
  show(body,
    h('h3', {}, 'Needing attention'),
    table('POS events that need an operator', ['Event', 'Source', 'Reason', 'Raised', 'Request id', 'Action'], attention.body.events,
      (item) => [
        h('span', { class: 'mono' }, item.eventId), item.source, item.reason, format.time(item.raisedAt), requestLink(item.requestId),
        can('pos:admin') ? resolveForm(item, outcome, reload) : '',
      ], 'No POS event needs an operator.'),
    h('h3', {}, 'Pending'),
    table('POS events whose steps are still being retried', ['Event', 'Source', 'Status', 'Accepted', 'Next attempt', 'Request id', 'Action'],
      pending.body.events,
      (item) => [
        h('span', { class: 'mono' }, item.eventId), item.source, item.status, format.time(item.acceptedAt), format.time(item.nextAttemptAt),
        requestLink(item.requestId),
        can('pos:admin') ? commandButton('Retry now', {
          outcome,
          send: async () => {
            const { body: event } = await api('POST', `/v1/pos/events/${item.eventId}/retry`);
            return `POS event ${item.eventId} is now ${event.status}.`;
          },
          onDone: reload,
        }) : '',
      ], 'No POS event is pending.'));
}

function resolveForm(item, outcome, reload) {
  return commandForm(h('form', { class: 'inline' },
    field('Resolution note', h('input', { name: 'note', required: true, maxlength: 500, autocomplete: 'off' })),
    h('button', { type: 'submit' }, 'Resolve')), {
    outcome,
    send: async (key, values) => {
      await api('POST', `/v1/pos/events/${item.eventId}/resolve`, { idempotencyKey: key, body: { note: values.note } });
      return `POS event ${item.eventId} resolved.`;
    },
    onDone: reload,
  });
}

async function slips(body, outcome, { can }) {
  const reload = () => slips(body, outcome, { can });
  const { body: list } = await api('GET', '/v1/rating-slips/attention');
  show(body, table('Rating slips whose loyalty accrual is pending or stalled',
    ['Slip', 'Player', 'Points', 'Accrual', 'Attempts', 'Completed', 'Correlation id', 'Action'], list.slips,
    (slip) => [
      h('span', { class: 'mono' }, slip.slipId), link(`/players/${encodeURIComponent(slip.playerId)}`, slip.playerId),
      format.number(slip.points), slip.accrual, String(slip.accrualAttempts), format.time(slip.completedAt),
      slip.correlationId ? requestLink(slip.correlationId) : '—',
      can('slips:write') ? commandButton('Recover', {
        outcome,
        send: async (key) => {
          const answer = await api('POST', `/v1/rating-slips/${encodeURIComponent(slip.slipId)}/recover-loyalty`, { idempotencyKey: key });
          return answer.status === 202
            ? `Slip ${slip.slipId}: the accrual is still pending (${answer.body.detail}).`
            : `Slip ${slip.slipId}: ${format.number(answer.body.accrual?.points ?? slip.points)} points accrued.`;
        },
        onDone: reload,
      }) : '',
    ], 'No accrual is pending or stalled.'));
}

async function lowStock(body) {
  const { body: alerts } = await api('GET', '/v1/stock-alerts', { query: { lowOnly: true } });
  show(body, table('SKUs at or below their reorder point', ['SKU', 'On hand', 'Reorder point', 'Alerted', 'Action'], alerts.skus,
    (alert) => [
      link(`/skus/${encodeURIComponent(alert.sku)}`, alert.sku), format.number(alert.onHand), format.number(alert.reorderPoint),
      format.time(alert.lastAlertAt), link(`/skus/${encodeURIComponent(alert.sku)}`, 'Receive stock'),
    ], 'No SKU is low.'));
}

function requestLink(id) {
  return link(`/audit?requestId=${encodeURIComponent(id)}`, id, { class: 'mono' });
}
