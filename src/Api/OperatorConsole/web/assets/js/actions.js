import { newKey } from './api.js';
import { h, notice, problem, show } from './dom.js';

/**
 * Wires a form that sends one command. The form is disabled from the first click until the answer, so a double
 * click sends once; and the Idempotency-Key belongs to the intent, not the click: it is kept when the call fails
 * on the way (a retry then replays instead of applying twice) and renewed once the command is answered or the
 * person changes what they asked for.
 *
 * send(key, values) → a promise of the success text, where values are the form's fields by name (read before the
 * form is disabled); onDone() runs after a success (e.g. to reload the figures).
 */
export function commandForm(form, { send, onDone, outcome }) {
  const result = outcome ?? h('div', { class: 'outcome', 'aria-live': 'polite' });
  if (!outcome) form.append(result);
  let key = null;
  let busy = false;

  form.addEventListener('input', () => { key = null; });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    busy = true;
    const values = Object.fromEntries(new FormData(form));
    setBusy(form, true);
    key ??= newKey();
    try {
      const text = await send(key, values);
      key = null;
      show(result, notice(text));
      await onDone?.();
    } catch (error) {
      // Answered with a problem: the command was decided (and will be again with this key), so the next
      // attempt is a new intent. Not answered (network, 503): keep the key, so that trying again is safe.
      if (error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429) key = null;
      show(result, problem(error));
    } finally {
      busy = false;
      setBusy(form, false);
    }
  });
  return form;
}

/** A single button that runs a command (retry, recover): disabled while it runs, one key per intent. */
export function commandButton(label, { send, onDone, outcome, describedBy }) {
  const form = h('form', { class: 'inline' }, h('button', { type: 'submit', 'aria-describedby': describedBy }, label));
  return commandForm(form, { send, onDone, outcome });
}

function setBusy(form, busy) {
  form.setAttribute('aria-busy', String(busy));
  for (const control of form.querySelectorAll('button, input, select, textarea')) control.disabled = busy;
}
