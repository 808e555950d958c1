import { h } from './dom.js';

// An audit row's before and after, field by field. Nested objects become dotted paths (limits.max); a changed
// value is shown struck out (del) and then inserted (ins), so the difference reads without colour too.

/** before/after: JSON values (null for a creation or a removal). */
export function diff(before, after) {
  const old = flatten(before);
  const now = flatten(after);
  const fields = [...new Set([...old.keys(), ...now.keys()])].sort();
  if (fields.length === 0) return h('p', { class: 'empty' }, 'No before or after recorded.');
  return h('table', { class: 'diff' },
    h('caption', {}, 'Before and after'),
    h('thead', {}, h('tr', {}, ['Field', 'Before', 'After', 'Change'].map((column) => h('th', { scope: 'col' }, column)))),
    h('tbody', {}, fields.map((name) => {
      const [was, is] = [old.get(name), now.get(name)];
      const change = was === undefined ? 'added' : is === undefined ? 'removed' : was === is ? 'same' : 'changed';
      return h('tr', { class: `diff-${change}` },
        h('th', { scope: 'row', class: 'mono' }, name),
        h('td', {}, was === undefined ? '' : change === 'same' ? was : h('del', {}, was)),
        h('td', {}, is === undefined ? '' : change === 'same' ? is : h('ins', {}, is)),
        h('td', {}, change === 'same' ? '' : change));
    })));
}

function flatten(value, prefix = '', into = new Map()) {
  if (value === null || value === undefined) {
    if (prefix) into.set(prefix, 'null');
    return into;
  }

  if (typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, into);
    return into;
  }

  into.set(prefix || '(value)', typeof value === 'string' ? value : JSON.stringify(value));
  return into;
}
