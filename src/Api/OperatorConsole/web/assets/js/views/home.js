import { field, h, link, show } from '../dom.js';

/** The start page: go to a SKU or a player, or to the lists that wait for a person. */
export function renderHome(view, { can, navigate }) {
  const go = (label, name, path) => {
    const input = h('input', { name, required: true, pattern: '[A-Za-z0-9._-]{1,64}', autocomplete: 'off' });
    return h('form', {
      class: 'search',
      onsubmit: (event) => { event.preventDefault(); void navigate(`/console/${path}/${encodeURIComponent(input.value.trim())}`); },
    }, field(label, input), h('button', { type: 'submit' }, 'Open'));
  };

  show(view,
    h('h1', { tabindex: '-1' }, 'FurnitureOps console'),
    h('div', { class: 'cards' },
      can('inventory:read') ? h('section', { class: 'card' }, h('h2', {}, 'Stock'), go('SKU', 'sku', 'skus')) : null,
      can('loyalty:read') ? h('section', { class: 'card' }, h('h2', {}, 'Loyalty'), go('Player id', 'playerId', 'players')) : null,
      h('section', { class: 'card' }, h('h2', {}, 'Waiting for a person'),
        h('ul', {},
          h('li', {}, link('/attention', 'Attention'), ': POS events, loyalty accruals, low stock'),
          can('webhooks:admin') ? h('li', {}, link('/dead-letters', 'Dead letters'), ': events that could not be delivered') : null,
          can('audit:read') ? h('li', {}, link('/audit', 'Audit'), ': who changed what, before and after') : null))));
}
