// The trace list: one table row per trace summary, newest first or sorted by a clicked column.
//
// Rows are keyed by trace id and kept while their summary is unchanged, so a live refresh of a
// thousand traces touches only what changed (and selection, focus and scroll stay put).

import { el, formatMs, formatTime, formatTimestamp, serviceHue } from './dom.js';

export class TraceList {
  /** @param {HTMLTableSectionElement} tbody  @param {(id: string) => void} onSelect */
  constructor(tbody, onSelect) {
    this.tbody = tbody;
    this.rows = new Map(); // trace id -> {row, signature}
    this.selectedId = null;
    this.order = [];
    this.summaries = [];
    this.sort = { key: 'time', descending: true };
    const head = tbody.parentElement.tHead;
    if (head) {
      head.addEventListener('click', (event) => {
        const button = event.target.closest('button[data-sort]');
        if (button) this.sortBy(button.dataset.sort);
      });
      this.markSort();
    }
    tbody.addEventListener('click', (event) => {
      const row = event.target.closest('tr.trace-row');
      if (row) onSelect(row.dataset.traceId);
    });
    tbody.addEventListener('keydown', (event) => {
      const row = event.target.closest('tr.trace-row');
      if (!row) return;
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        onSelect(row.dataset.traceId);
      } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const next = event.key === 'ArrowDown' ? row.nextElementSibling : row.previousElementSibling;
        if (next) {
          next.focus();
          onSelect(next.dataset.traceId);
        }
      }
    });
  }

  /** Shows `summaries` (any order); returns how many rows are shown. */
  update(summaries) {
    this.summaries = summaries;
    const compare = SORT_KEYS[this.sort.key] || SORT_KEYS.time;
    const direction = this.sort.descending ? -1 : 1;
    const sorted = summaries
      .filter((s) => s && typeof s.Id === 'string')
      .sort((a, b) => direction * compare(a, b) || (b.StartTime || 0) - (a.StartTime || 0) || (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0));
    const seen = new Set();
    const wanted = [];
    for (const summary of sorted) {
      if (seen.has(summary.Id)) continue;
      seen.add(summary.Id);
      const signature = JSON.stringify(summary);
      let entry = this.rows.get(summary.Id);
      if (!entry || entry.signature !== signature) {
        const row = renderRow(summary);
        if (summary.Id === this.selectedId) row.classList.add('selected');
        if (entry) entry.row.replaceWith(row);
        entry = { row, signature, summary };
        this.rows.set(summary.Id, entry);
      }
      wanted.push(entry.row);
    }
    for (const [id, entry] of this.rows) {
      if (!seen.has(id)) {
        entry.row.remove();
        this.rows.delete(id);
      }
    }
    // Put rows in order, moving only those out of place.
    let cursor = this.tbody.firstElementChild;
    for (const row of wanted) {
      if (row === cursor) {
        cursor = cursor.nextElementSibling;
      } else {
        this.tbody.insertBefore(row, cursor);
      }
    }
    this.order = sorted;
    return wanted.length;
  }

  /** Draws every row again (the time zone changed). */
  redraw() {
    for (const entry of this.rows.values()) entry.row.remove();
    this.rows.clear();
    this.update(this.summaries);
    if (this.selectedId) this.select(this.selectedId);
  }

  /** Sorts by column `key` (see SORT_KEYS); the same column again reverses the order. */
  sortBy(key) {
    if (!SORT_KEYS[key]) return;
    // Times and durations read best largest first, names and URLs in alphabetical order.
    if (this.sort.key === key) this.sort.descending = !this.sort.descending;
    else this.sort = { key, descending: DESCENDING_FIRST.has(key) };
    this.markSort();
    this.update(this.summaries);
  }

  markSort() {
    for (const th of this.tbody.parentElement.tHead.querySelectorAll('th')) {
      const button = th.querySelector('button[data-sort]');
      const active = button && button.dataset.sort === this.sort.key;
      th.setAttribute('aria-sort', active ? (this.sort.descending ? 'descending' : 'ascending') : 'none');
      if (button) button.classList.toggle('sorted', Boolean(active));
    }
  }

  summary(id) {
    const entry = this.rows.get(id);
    return entry ? entry.summary : null;
  }

  signature(id) {
    const entry = this.rows.get(id);
    return entry ? entry.signature : null;
  }

  select(id) {
    if (this.selectedId && this.rows.has(this.selectedId)) {
      this.rows.get(this.selectedId).row.classList.remove('selected');
    }
    this.selectedId = id;
    const entry = id ? this.rows.get(id) : null;
    if (entry) {
      entry.row.classList.add('selected');
      const row = entry.row;
      const pane = this.tbody.closest('.list-pane');
      if (pane) {
        const top = row.offsetTop;
        const head = this.tbody.parentElement.tHead ? this.tbody.parentElement.tHead.offsetHeight : 0;
        if (top - head < pane.scrollTop || top + row.offsetHeight > pane.scrollTop + pane.clientHeight) {
          pane.scrollTop = Math.max(0, top - head - pane.clientHeight / 3);
        }
      }
    }
  }
}

/** The value a summary is grouped by: `service`, `url`, `status` or `annotation:<key>`; a list. */
export function groupValues(summary, groupBy) {
  if (groupBy === 'service') return [entryService(summary)];
  if (groupBy === 'url') return [(summary.Http && summary.Http.HttpURL) || null];
  if (groupBy === 'status') {
    const status = summary.Http && summary.Http.HttpStatus;
    return [typeof status === 'number' ? status : null];
  }
  if (groupBy.startsWith('annotation:')) {
    const values = summary.Annotations && summary.Annotations[groupBy.slice('annotation:'.length)];
    if (!Array.isArray(values) || !values.length) return [null];
    return values.map((v) => {
      const a = (v && v.AnnotationValue) || {};
      return a.StringValue !== undefined ? a.StringValue : a.NumberValue !== undefined ? a.NumberValue : a.BooleanValue !== undefined ? a.BooleanValue : null;
    });
  }
  return [];
}

function entryService(summary) {
  return summary.EntryPoint && summary.EntryPoint.Name
    ? summary.EntryPoint.Name
    : (summary.ServiceIds && summary.ServiceIds[0] && summary.ServiceIds[0].Name) || null;
}

function byText(get) {
  return (a, b) => {
    const x = get(a) ?? '';
    const y = get(b) ?? '';
    return x < y ? -1 : x > y ? 1 : 0;
  };
}

function byNumber(get) {
  return (a, b) => (get(a) ?? -Infinity) - (get(b) ?? -Infinity);
}

// The list's sortable columns (the data-sort of their header buttons in index.html).
const SORT_KEYS = {
  time: byNumber((s) => s.StartTime),
  service: byText(entryService),
  method: byText((s) => s.Http && s.Http.HttpMethod),
  url: byText((s) => s.Http && s.Http.HttpURL),
  status: byNumber((s) => s.Http && s.Http.HttpStatus),
  response: byNumber((s) => s.ResponseTime),
  duration: byNumber((s) => s.Duration),
  flags: byNumber((s) => (s.HasFault ? 4 : 0) + (s.HasThrottle ? 2 : 0) + (s.HasError ? 1 : 0)),
};
const DESCENDING_FIRST = new Set(['time', 'status', 'response', 'duration', 'flags']);

function statusClass(status) {
  if (typeof status !== 'number') return '';
  if (status === 429) return 'throttle';
  if (status >= 500) return 'fault';
  if (status >= 400) return 'error';
  if (status >= 300) return 'redirect';
  return 'ok';
}

function renderRow(summary) {
  const http = summary.Http || {};
  const entry = entryService(summary) || '—';
  const serviceCount = Array.isArray(summary.ServiceIds) ? summary.ServiceIds.length : 0;
  const flags = [];
  if (summary.HasFault) flags.push(el('span', { class: 'badge fault', text: 'Fault' }));
  if (summary.HasThrottle) flags.push(el('span', { class: 'badge throttle', text: 'Throttle' }));
  if (summary.HasError) flags.push(el('span', { class: 'badge error', text: 'Error' }));
  if (summary.IsPartial) flags.push(el('span', { class: 'badge partial', text: 'Partial', title: 'Some segments are missing or still in progress' }));
  if (summary.LimitExceeded) flags.push(el('span', { class: 'badge partial', text: 'Truncated', title: 'The trace passed the daemon\'s per-trace cap: later segments were counted, not kept' }));

  const status = typeof http.HttpStatus === 'number' ? http.HttpStatus : null;
  const outcomeClass = summary.HasFault ? 'o-fault' : summary.HasThrottle ? 'o-throttle' : summary.HasError ? 'o-error' : 'o-ok';
  return el('tr', { class: ['trace-row', outcomeClass], tabindex: '0', dataset: { traceId: summary.Id } },
    el('td', { class: 'time', title: `${formatTimestamp(summary.StartTime)}\n${summary.Id}` }, formatTime(summary.StartTime)),
    el('td', { class: 'service', title: (summary.ServiceIds || []).map((s) => s && s.Name).filter(Boolean).join(' → ') || entry },
      el('span', { class: 'service-dot', style: { '--hue': serviceHue(entry) } }),
      el('span', { class: 'service-name', text: entry }),
      serviceCount > 1 ? el('span', { class: 'more', text: `+${serviceCount - 1}` }) : null),
    el('td', { class: 'method' }, http.HttpMethod ? el('span', { class: 'method-chip', text: http.HttpMethod }) : null),
    el('td', { class: 'url', title: http.HttpURL || '' }, http.HttpURL || ''),
    el('td', { class: ['status', statusClass(status)] }, status !== null ? String(status) : '—'),
    el('td', { class: 'num' }, formatMs(summary.ResponseTime)),
    el('td', { class: 'num' }, formatMs(summary.Duration)),
    el('td', { class: 'flags' }, flags));
}
