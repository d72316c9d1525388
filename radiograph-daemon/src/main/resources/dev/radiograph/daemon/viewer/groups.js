// Counts of the listed traces grouped by service, URL, status or an annotation key. Clicking a
// group narrows the filter to it.

import { el, formatCount, replaceChildren } from './dom.js';
import { equals, quote } from './filtertext.js';
import { groupValues } from './tracelist.js';

const MAX_GROUPS = 12;
const ANNOTATION_KEY = /^[A-Za-z0-9_]+$/; // what `annotation.KEY` can name without brackets

export class GroupCounts {
  /** @param {HTMLSelectElement} select  @param {HTMLElement} container  @param {(term: string) => void} onPick */
  constructor(select, container, onPick) {
    this.select = select;
    this.container = container;
    this.onPick = onPick;
    this.summaries = [];
    const stored = localStorage.getItem('radiograph.groupBy');
    if (stored) this.wanted = stored;
    select.addEventListener('change', () => {
      this.wanted = select.value;
      localStorage.setItem('radiograph.groupBy', select.value);
      this.render();
    });
  }

  update(summaries) {
    this.summaries = summaries;
    this.addAnnotationKeys(summaries);
    if (this.wanted && [...this.select.options].some((o) => o.value === this.wanted)) this.select.value = this.wanted;
    this.render();
  }

  /** Offers every annotation key the listed traces have (keys are never removed while open). */
  addAnnotationKeys(summaries) {
    const present = new Set([...this.select.options].map((o) => o.value));
    const keys = new Set();
    for (const summary of summaries) {
      for (const key of Object.keys(summary.Annotations || {})) if (ANNOTATION_KEY.test(key)) keys.add(key);
    }
    for (const key of [...keys].sort()) {
      if (!present.has(`annotation:${key}`)) this.select.appendChild(el('option', { value: `annotation:${key}`, text: `annotation.${key}` }));
    }
  }

  render() {
    const groupBy = this.select.value;
    if (!groupBy) {
      replaceChildren(this.container);
      return;
    }
    const counts = new Map();
    for (const summary of this.summaries) {
      for (const value of new Set(groupValues(summary, groupBy))) counts.set(value, (counts.get(value) || 0) + 1);
    }
    const sorted = [...counts].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
    const shown = sorted.slice(0, MAX_GROUPS);
    replaceChildren(this.container,
      shown.map(([value, count]) => {
        const term = value === null ? null : termFor(groupBy, value);
        return el('button', {
          class: 'group', type: 'button', disabled: term === null, title: term ? `Filter: ${term}` : 'not set',
          dataset: { value: value === null ? '' : String(value) },
          on: { click: () => term && this.onPick(term) },
        },
        el('span', { class: 'group-value', text: value === null ? '(not set)' : String(value) }),
        el('span', { class: 'group-count', text: formatCount(count) }));
      }),
      sorted.length > MAX_GROUPS ? el('span', { class: 'group-more', text: `+${sorted.length - MAX_GROUPS} more` }) : null);
  }
}

function termFor(groupBy, value) {
  if (groupBy === 'service') return `service(${quote(value)})`;
  if (groupBy === 'url') return equals('http.url', value);
  if (groupBy === 'status') return equals('http.status', value);
  return equals(`annotation.${groupBy.slice('annotation:'.length)}`, value);
}
