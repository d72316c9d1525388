// Two traces side by side: the total duration of the entities of each name in either trace, with
// the names that differ marked (slower or faster in the second, or only in one of them).

import { el, formatMs, replaceChildren } from './dom.js';
import { durationsByName } from './tracemodel.js';

// A difference worth marking: at least a millisecond and a tenth of the longer duration, so that
// clock jitter between two runs of the same request is not flagged.
const MIN_DIFFERENCE_S = 0.001;
const MIN_DIFFERENCE_RATIO = 0.1;

/** How entity name `a` (seconds or undefined) compares with `b`: same, slower, faster, only-a, only-b. */
export function difference(a, b) {
  if (a === undefined) return 'only-b';
  if (b === undefined) return 'only-a';
  const delta = b - a;
  if (Math.abs(delta) < MIN_DIFFERENCE_S || Math.abs(delta) < MIN_DIFFERENCE_RATIO * Math.max(a, b)) return 'same';
  return delta > 0 ? 'slower' : 'faster';
}

const LABELS = { same: '', slower: 'slower', faster: 'faster', 'only-a': 'only in A', 'only-b': 'only in B' };

/** Renders the comparison of models `a` and `b` into `container`; `onClose` leaves it. */
export function renderComparison(container, a, b, onClose) {
  const left = durationsByName(a);
  const right = durationsByName(b);
  const names = [...new Set([...left.keys(), ...right.keys()])];
  const longest = (name) => Math.max(left.get(name)?.seconds ?? 0, right.get(name)?.seconds ?? 0);
  names.sort((x, y) => longest(y) - longest(x) || x.localeCompare(y));
  const cell = (entry) => el('td', { class: 'num' }, entry ? formatMs(entry.seconds) : '—',
    entry && entry.count > 1 ? el('span', { class: 'muted', text: ` ×${entry.count}` }) : null);
  replaceChildren(container,
    el('div', { class: 'compare-head' },
      el('span', { class: 'label', text: 'Compare' }),
      el('span', null, 'A ', el('code', { text: a.id || '' }), ` ${formatMs(a.end - a.start)}`),
      el('span', null, 'B ', el('code', { text: b.id || '' }), ` ${formatMs(b.end - b.start)}`),
      el('button', { id: 'compare-close', class: 'button', type: 'button', on: { click: onClose } }, 'Close')),
    el('table', { class: 'compare-table' },
      el('thead', null, el('tr', null,
        el('th', { text: 'Entity' }), el('th', { class: 'num', text: 'A' }), el('th', { class: 'num', text: 'B' }),
        el('th', { class: 'num', text: 'B − A' }), el('th', { text: '' }))),
      el('tbody', null, names.map((name) => {
        const x = left.get(name);
        const y = right.get(name);
        const kind = difference(x?.seconds, y?.seconds);
        return el('tr', { class: ['compare-row', `d-${kind}`], dataset: { name, difference: kind } },
          el('td', { class: 'compare-name', text: name }),
          cell(x),
          cell(y),
          el('td', { class: 'num' }, x && y ? `${y.seconds >= x.seconds ? '+' : '−'}${formatMs(Math.abs(y.seconds - x.seconds))}` : ''),
          el('td', { class: 'compare-mark', text: LABELS[kind] }));
      }))));
}
