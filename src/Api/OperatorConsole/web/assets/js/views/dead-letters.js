import { commandButton } from '../actions.js';
import { api } from '../api.js';
import { format, h, show, table } from '../dom.js';

/** /console/dead-letters: what could not be published or delivered, with its last error; retry one, or all of a subscriber's. */
export async function renderDeadLetters(view, { can }) {
  const outcome = h('div', { class: 'outcome', 'aria-live': 'polite' });
  const body = h('div', {});
  show(view, h('h1', { tabindex: '-1' }, 'Dead letters'), outcome, body);
  if (!can('webhooks:admin')) {
    show(body, h('p', {}, 'Dead letters need the webhooks:admin scope, which your token does not have.'));
    return;
  }

  const load = async () => {
    const { body: list } = await api('GET', '/v1/admin/dead-letters');
    const subscribers = [...new Set(list.deadLetters.map((letter) => letter.subscriber).filter(Boolean))];
    show(body,
      subscribers.length > 0
        ? h('div', { class: 'actions' }, subscribers.map((subscriber) => {
          const count = list.deadLetters.filter((letter) => letter.subscriber === subscriber).length;
          return commandButton(`Retry all ${count} for ${subscriber}`, {
            outcome,
            send: async () => {
              const { body: answer } = await api('POST', '/v1/admin/dead-letters/retry', { body: { subscriber } });
              return `${format.number(answer.retried)} deliveries to ${subscriber} are queued again.`;
            },
            onDone: load,
          });
        }))
        : null,
      table('Undelivered events', ['Id', 'Event type', 'Subscriber', 'Attempts', 'Last error', 'Occurred', 'Action'], list.deadLetters,
        (letter) => [
          h('span', { class: 'mono' }, letter.id), letter.eventType, letter.subscriber ?? '(publication)', String(letter.attempts),
          h('span', { class: 'error-text' }, letter.lastError ?? '—'), format.time(letter.occurredAt),
          commandButton('Retry', {
            outcome,
            send: async () => {
              await api('POST', `/v1/admin/dead-letters/${encodeURIComponent(letter.id)}/retry`);
              return `${letter.id} is queued again.`;
            },
            onDone: load,
          }),
        ], 'Nothing is waiting: every event was delivered.'));
  };
  await load();
}
