import { commandForm } from '../actions.js';
import { api } from '../api.js';
import { field, figure, format, h, link, newestFirstPager, show, table } from '../dom.js';

const pageSize = 20;

/** /console/players/{id}: balance, tier and progress, the ledger newest first, and a manual reward. */
export async function renderPlayer(view, { params: [playerId], can, me, settings }) {
  const path = `/v1/players/${encodeURIComponent(playerId)}/loyalty`;
  const figures = h('div', {});
  const ledger = h('div', {});

  async function load() {
    let state;
    try {
      state = (await api('GET', path)).body;
    } catch (error) {
      if (error.code !== 'player_not_found') throw error;
      show(figures, h('p', { class: 'empty' }, 'This player has no loyalty entries yet.'));
      show(ledger);
      return;
    }

    showFigures(figures, state);
    await showLedger(ledger, path, null);
  }

  show(view,
    h('h1', { tabindex: '-1' }, 'Player ', h('span', { class: 'mono' }, playerId)),
    h('p', { class: 'hint' }, link(`/audit?entityId=${encodeURIComponent(playerId)}`, 'Audit trail of this player')),
    figures,
    can('loyalty:award') ? rewardForm(path, me, settings, load) : null,
    h('h2', {}, 'Ledger'), ledger);
  await load();
}

function showFigures(container, state) {
  const progress = Math.round(state.tierProgress * 100);
  show(container, h('dl', { class: 'figures' },
    [
      ['Balance', format.number(state.balance)],
      ['Held', format.number(state.held)],
      ['Available', format.number(state.available)],
      ['Lifetime points', format.number(state.lifetimePoints)],
      ['Tier', state.tier],
    ].map(([name, value]) => figure(name, value)),
    h('div', { class: 'figure wide' },
      h('dt', { id: 'tier-progress' }, 'Progress to the next tier'),
      h('dd', {}, h('progress', { max: 100, value: progress, 'aria-labelledby': 'tier-progress' }), ` ${progress} %`))));
}

async function showLedger(container, path, beforeVersion) {
  const page = (await api('GET', `${path}/ledger`, { query: { order: 'desc', limit: pageSize, beforeVersion } })).body;
  show(container,
    table('Loyalty ledger, newest first', ['Version', 'Operation', 'Points', 'Balance', 'Held', 'Tier', 'Reason', 'Staff', 'Correlation id', 'Time'],
      page.entries,
      (entry) => [
        String(entry.version), entry.operation, format.number(entry.points),
        `${format.number(entry.balanceBefore)} → ${format.number(entry.balanceAfter)}`,
        `${format.number(entry.heldBefore)} → ${format.number(entry.heldAfter)}`,
        entry.tierBefore === entry.tierAfter ? entry.tierAfter : `${entry.tierBefore} → ${entry.tierAfter}`,
        entry.reason ?? entry.sourceReference ?? '',
        entry.staffId,
        link(`/audit?requestId=${encodeURIComponent(entry.correlationId)}`, entry.correlationId, { class: 'mono' }),
        format.time(entry.at),
      ], 'No ledger entries yet.'),
    newestFirstPager(beforeVersion, page, (before) => showLedger(container, path, before)));
}

function rewardForm(path, me, settings, reload) {
  const limit = `At most ${format.number(settings.maxManualReward)} points per reward, and ${format.number(settings.manualRewardsPerMinute)} rewards a minute per staff member.`;
  return commandForm(h('form', { class: 'card', 'aria-labelledby': 'reward-title' },
    h('h2', { id: 'reward-title' }, 'Manual reward'),
    field('Points', h('input', { name: 'points', type: 'number', min: 1, max: settings.maxManualReward, required: true, inputmode: 'numeric' }), limit),
    field('Reason', h('input', { name: 'reason', maxlength: 500, required: true, autocomplete: 'off' })),
    h('p', { class: 'hint' }, `Recorded as granted by ${me.subject}.`),
    h('button', { type: 'submit', class: 'primary' }, 'Reward')), {
    send: async (key, values) => {
      const { body } = await api('POST', `${path}/rewards`, { idempotencyKey: key, body: { points: Number(values.points), reason: values.reason } });
      return `Rewarded ${format.number(body.entry.points)} points: the balance is now ${format.number(body.state.balance)}.`;
    },
    onDone: reload,
  });
}
