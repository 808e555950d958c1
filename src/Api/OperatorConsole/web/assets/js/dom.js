// Building the page from data: every value is set as text, never parsed as HTML, so nothing the API returns
// (a SKU name, a reason, an error) can become markup or script.

/** h('button', { class: 'primary', onclick: f }, 'Save') → an element. Children: strings, nodes, arrays, or nothing. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces an element's content. */
export function show(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

const numbers = new Intl.NumberFormat();
const times = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export const format = {
  number: (value) => (value === null || value === undefined ? '—' : numbers.format(value)),
  time: (iso) => (iso ? times.format(new Date(iso)) : '—'),
};

/** A console link (the router handles it without a page load). */
export function link(path, text, attributes = {}) {
  return h('a', { href: `/console${path}`, ...attributes }, text);
}

/** A table with a caption, column headers and one row per item; an empty list says so instead. */
export function table(caption, columns, items, row, empty = 'Nothing here.') {
  if (items.length === 0) return h('p', { class: 'empty' }, empty);

  // A wide table scrolls inside its own region, which the keyboard can reach and scroll too.
  return h('div', { class: 'table-scroll', role: 'region', 'aria-label': caption, tabindex: 0 },
    h('table', {},
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, columns.map((column) => h('th', { scope: 'col' }, column)))),
      h('tbody', {}, items.map((item) => h('tr', {}, row(item).map((cell) => h('td', {}, cell)))))));
}

/**
 * Paging of a ledger read newest first: "Newest" back to the first page, "Older" while there is more.
 * open(beforeVersion) shows the page before that version (null: the newest).
 */
export function newestFirstPager(beforeVersion, page, open) {
  return h('div', { class: 'pager' },
    beforeVersion !== null ? h('button', { type: 'button', onclick: () => open(null) }, 'Newest') : null,
    page.nextBeforeVersion !== null && page.nextBeforeVersion !== undefined
      ? h('button', { type: 'button', onclick: () => open(page.nextBeforeVersion) }, 'Older')
      : null);
}

/** One figure of a <dl class="figures">; data-figure names it for tests ("On hand" → on-hand). */
export function figure(name, value, attributes = {}) {
  return h('div', { class: 'figure', 'data-figure': name.toLowerCase().replace(/ /g, '-'), ...attributes }, h('dt', {}, name), h('dd', {}, value));
}

/** A labelled input: the label names the control for screen readers and for tests. */
export function field(label, input, hint) {
  const id = input.id || `f-${Math.random().toString(36).slice(2, 10)}`;
  input.id = id;
  const hintElement = hint ? h('span', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintElement) input.setAttribute('aria-describedby', hintElement.id);
  return h('div', { class: 'field' }, h('label', { for: id }, label), input, hintElement);
}

/** The API's problem, as the person should read it: what happened, its code and detail, and the request id. */
export function problem(error) {
  return h('div', { class: 'problem', role: 'alert' },
    h('strong', {}, error.title || 'The request failed.'),
    h('p', {}, h('code', { class: 'problem-code' }, error.code), ' ', h('span', { class: 'problem-detail' }, error.detail || '')),
    error.fields.length > 0 ? h('ul', {}, error.fields.map((text) => h('li', {}, text))) : null,
    error.retryAfter ? h('p', {}, `Try again in ${error.retryAfter} s.`) : null,
    error.requestId ? h('p', { class: 'hint' }, 'Request id ', h('code', {}, error.requestId)) : null);
}

/** A status line for the outcome of an action (announced to screen readers). */
export function notice(text, kind = 'ok') {
  return h('p', { class: `notice ${kind}`, role: 'status' }, text);
}
