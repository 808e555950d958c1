import { api } from '../api.js';
import { field, format, h, link, show } from '../dom.js';
import { diff } from '../diff.js';

/** /console/audit?entityId=…&requestId=…: who changed what, each change shown as a before/after diff. */
export async function renderAudit(view, { query, navigate }) {
  const entityId = h('input', { name: 'entityId', value: query.get('entityId') ?? '', maxlength: 128, autocomplete: 'off' });
  const requestId = h('input', { name: 'requestId', value: query.get('requestId') ?? '', maxlength: 128, autocomplete: 'off' });
  const form = h('form', {
    class: 'search',
    onsubmit: (event) => {
      event.preventDefault();
      const search = new URLSearchParams();
      if (entityId.value.trim()) search.set('entityId', entityId.value.trim());
      if (requestId.value.trim()) search.set('requestId', requestId.value.trim());
      void navigate(`/console/audit${search.size > 0 ? `?${search}` : ''}`);
    },
  }, field('Entity id', entityId, 'A SKU, a player id, a slip id…'), field('Request id', requestId, 'From a response\'s X-Request-Id, a ledger row or a problem.'),
  h('button', { type: 'submit', class: 'primary' }, 'Search'));
  const results = h('div', {});
  show(view, h('h1', { tabindex: '-1' }, 'Audit'), form, results);

  const filter = { entityId: query.get('entityId'), requestId: query.get('requestId') };
  if (!filter.entityId && !filter.requestId) {
    show(results, h('p', { class: 'hint' }, 'Search by entity, by request, or both.'));
    return;
  }

  await showPage(results, filter, null);
}

async function showPage(container, filter, afterId) {
  const { body: page } = await api('GET', '/v1/audit', { query: { ...filter, afterId } });
  const entries = page.entries.map((entry) => h('article', { class: 'audit-entry card' },
    h('h2', {}, `${entry.action} · ${entry.entityType} `, entityLink(entry)),
    h('p', { class: 'hint' }, `${format.time(entry.at)} by ${entry.actor} · request `, link(`/audit?requestId=${encodeURIComponent(entry.requestId)}`, entry.requestId, { class: 'mono' })),
    diff(entry.before, entry.after)));
  show(container,
    entries.length > 0 ? entries : h('p', { class: 'empty' }, 'No audit rows match.'),
    page.nextAfterId !== null && page.nextAfterId !== undefined
      ? h('div', { class: 'pager' }, h('button', { type: 'button', onclick: () => showMore(container, filter, page.nextAfterId) }, 'More'))
      : null);
}

async function showMore(container, filter, afterId) {
  const more = h('div', {});
  container.querySelector('.pager')?.remove();
  container.append(more);
  await showPage(more, filter, afterId);
}

// A SKU or a player has a page of its own; anything else links to its own audit trail.
function entityLink({ entityType, entityId }) {
  const pages = { sku: 'skus', player: 'players' };
  const path = pages[entityType] ? `/${pages[entityType]}/${encodeURIComponent(entityId)}` : `/audit?entityId=${encodeURIComponent(entityId)}`;
  return link(path, entityId, { class: 'mono' });
}
