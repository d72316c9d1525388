// The waterfall of a trace: one row per segment and subsegment, indented by depth, with a bar
// placed by start and end time relative to the trace's start. The critical path is marked, search
// hits are highlighted, and the keyboard moves between rows (j/k, arrows), opens (Enter) and
// closes (Esc) the details.

import { copyButton, el, formatMs, formatTick, formatTime, formatTimestamp, outcome, replaceChildren, serviceHue } from './dom.js';
import { traceLogsLink } from './logs.js';
import { criticalPath, entityMatches, flagsOf, flatten, httpStatus, kindOf } from './tracemodel.js';

const NICE_STEPS = [1, 2, 2.5, 5];

/** A tick step (ms) giving about `target` ticks over `totalMs`. */
function tickStep(totalMs, target = 6) {
  const raw = totalMs / target;
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const step of NICE_STEPS) if (step * power >= raw) return step * power;
  return 10 * power;
}

export class Timeline {
  /**
   * @param {HTMLElement} container  #timeline
   * @param {HTMLElement} header     #trace-header
   * @param {(node: object|null) => void} onSelect
   * @param {object|null} logsUrl    the daemon's logs link template (viewer settings), or null
   */
  constructor(container, header, onSelect, logsUrl) {
    this.container = container;
    this.logsUrl = logsUrl;
    this.header = header;
    this.onSelect = onSelect;
    this.model = null;
    this.collapsed = new Set();
    this.selectedId = null;
    this.rowsById = new Map();
    this.critical = new Set();
    this.search = '';
    this.matches = [];      // ids of the entities the search finds, in row order
    this.detailsOpen = true; // Esc closes the details; the keyboard then moves only the cursor

    container.addEventListener('click', (event) => {
      const caret = event.target.closest('.caret');
      const row = event.target.closest('.timeline-row');
      if (!row) return;
      if (caret) {
        event.stopPropagation();
        this.toggle(row.dataset.entityId);
        return;
      }
      this.select(row.dataset.entityId);
    });
    container.addEventListener('keydown', (event) => this.onKey(event));
  }

  /** Shows `model` (from buildTrace); keeps the selection and collapsed rows when it is the same trace. */
  show(model) {
    const sameTrace = this.model && model && this.model.id === model.id;
    if (!sameTrace) {
      this.collapsed.clear();
      this.selectedId = null;
    }
    this.model = model;
    this.critical = new Set(model ? criticalPath(model) : []);
    this.renderHeader();
    this.render();
    if (this.selectedId && model && model.nodes.has(this.selectedId)) {
      this.select(this.selectedId, { scroll: false });
    } else if (this.selectedId) {
      this.selectedId = null;
      this.onSelect(null);
    }
  }

  clear(message) {
    this.model = null;
    this.selectedId = null;
    this.rowsById.clear();
    this.critical = new Set();
    this.matches = [];
    replaceChildren(this.header);
    this.header.hidden = true;
    replaceChildren(this.container, el('div', { class: 'empty', text: message || 'Select a trace to see its timeline.' }));
  }

  toggle(id) {
    if (this.collapsed.has(id)) this.collapsed.delete(id);
    else this.collapsed.add(id);
    this.render();
    if (this.selectedId) this.markSelected();
  }

  /** Expands every row. */
  expandAll() {
    this.collapsed.clear();
    this.render();
    this.markSelected();
  }

  /** Collapses every entity with children: only the roots stay visible. */
  collapseAll() {
    if (!this.model) return;
    for (const node of this.model.nodes.values()) if (node.children.length) this.collapsed.add(node.id);
    this.render();
    this.markSelected();
  }

  /**
   * Highlights the entities whose name, annotation values, SQL or URL contain `text`, expanding
   * what hides them. Returns how many match.
   */
  setSearch(text) {
    this.search = (text || '').trim();
    if (this.model && this.search) {
      for (const node of this.model.nodes.values()) {
        if (!entityMatches(node, this.search)) continue;
        for (let n = node.parent; n; n = n.parent) this.collapsed.delete(n.id);
      }
    }
    if (this.model) {
      this.render();
      this.markSelected();
    }
    return this.matches.length;
  }

  /** Selects the next search hit after the selected row (wrapping); returns its index or -1. */
  nextMatch(step = 1) {
    if (!this.matches.length) return -1;
    const at = this.matches.indexOf(this.selectedId);
    const index = at < 0 ? (step > 0 ? 0 : this.matches.length - 1) : (at + step + this.matches.length) % this.matches.length;
    this.select(this.matches[index]);
    return index;
  }

  select(id, { scroll = true } = {}) {
    if (!this.model || !this.model.nodes.has(id)) return;
    // Reveal a row hidden under a collapsed ancestor.
    let revealed = false;
    for (let n = this.model.nodes.get(id).parent; n; n = n.parent) {
      if (this.collapsed.delete(n.id)) revealed = true;
    }
    if (revealed) this.render();
    this.selectedId = id;
    this.detailsOpen = true;
    const row = this.markSelected();
    if (row && scroll) row.scrollIntoView({ block: 'nearest' });
    this.onSelect(this.model.nodes.get(id));
  }

  /** Moves the keyboard cursor: with the details open they follow it, closed only the row marks. */
  moveTo(id) {
    if (id === undefined || id === null) return;
    if (this.detailsOpen) {
      this.select(id);
      return;
    }
    this.selectedId = id;
    const row = this.markSelected();
    if (row) row.scrollIntoView({ block: 'nearest' });
  }

  markSelected() {
    for (const row of this.container.querySelectorAll('.timeline-row.selected')) row.classList.remove('selected');
    const row = this.rowsById.get(this.selectedId);
    if (row) row.classList.add('selected');
    return row;
  }

  /** The timeline's keys: j/k or arrows between rows, left/right collapse, Enter opens, Esc closes. */
  onKey(event) {
    if (!this.model || event.defaultPrevented) return;
    const rows = [...this.rowsById.keys()];
    const index = rows.indexOf(this.selectedId);
    if (event.key === 'ArrowDown' || event.key === 'j') {
      event.preventDefault();
      this.moveTo(rows[Math.min(rows.length - 1, index + 1)]);
    } else if (event.key === 'ArrowUp' || event.key === 'k') {
      event.preventDefault();
      this.moveTo(rows[Math.max(0, index - 1)]);
    } else if (event.key === 'Enter' && this.selectedId) {
      event.preventDefault();
      this.select(this.selectedId);
    } else if (event.key === 'Escape' && this.detailsOpen && this.selectedId) {
      event.preventDefault();
      this.detailsOpen = false;
      this.onSelect(null);
    } else if ((event.key === 'ArrowLeft' || event.key === 'ArrowRight') && this.selectedId) {
      const node = this.model.nodes.get(this.selectedId);
      if (node.children.length && (event.key === 'ArrowLeft') !== this.collapsed.has(node.id)) {
        event.preventDefault();
        this.toggle(node.id);
      }
    }
  }

  renderHeader() {
    const model = this.model;
    const header = this.header;
    header.hidden = false;
    const trace = model.trace || {};
    const segments = [...model.nodes.values()].filter((n) => n.isSegment).length;
    replaceChildren(header,
      el('div', { class: 'trace-title' },
        el('span', { class: 'label', text: 'Trace' }),
        el('code', { class: 'trace-id', text: model.id || '' }),
        copyButton(model.id || '', 'Copy trace id'),
        traceLogsLink(this.logsUrl, model)),
      el('div', { class: 'trace-facts' },
        fact('Started', formatTime(model.start), formatTimestamp(model.start)),
        fact('Duration', formatMs(typeof trace.Duration === 'number' ? trace.Duration : model.end - model.start)),
        fact('Segments', String(segments)),
        fact('Entities', String(model.nodes.size)),
        fact('Critical path', `${this.critical.size} entities`, 'The marked rows: from the root, each time the child that ends last, down to a leaf')),
      el('div', { class: 'trace-services' },
        model.services.map((name) => el('span', { class: 'service-chip', style: { '--hue': serviceHue(name) } },
          el('span', { class: 'service-dot', style: { '--hue': serviceHue(name) } }), name))),
      trace.LimitExceeded ? el('div', { class: 'warning', text: 'This trace exceeded the size limit: some segments were dropped.' }) : null,
      model.problems.map((p) => el('div', { class: 'warning', text: p })));
  }

  render() {
    const model = this.model;
    this.rowsById.clear();
    if (!model || model.nodes.size === 0) {
      replaceChildren(this.container, el('div', { class: 'empty', text: 'This trace has no segments (yet).' }));
      return;
    }
    const totalMs = (model.end - model.start) * 1000;
    const step = tickStep(totalMs);
    const tickPercent = (step / totalMs) * 100;
    const ticks = [];
    for (let t = 0; t <= totalMs * 1.0001; t += step) {
      const left = (t / totalMs) * 100;
      ticks.push(el('span', { class: ['tick', left > 94 ? 'tick-end' : ''], style: { left: `${left}%` } }, formatTick(t)));
    }

    const head = el('div', { class: 'timeline-head' },
      el('div', { class: 'tl-name', text: 'Name' }),
      el('div', { class: 'tl-status', text: 'Status' }),
      el('div', { class: 'tl-dur', text: 'Duration' }),
      el('div', { class: 'tl-axis' }, ticks));

    const body = el('div', { class: 'timeline-body', role: 'tree' });
    this.matches = [];
    for (const [node, depth] of flatten(model, this.collapsed)) {
      const row = renderRow(node, depth, model, this.collapsed.has(node.id));
      if (this.critical.has(node.id)) row.classList.add('critical');
      if (this.search && entityMatches(node, this.search)) {
        row.classList.add('match');
        this.matches.push(node.id);
      }
      this.rowsById.set(node.id, row);
      body.appendChild(row);
    }
    this.container.style.setProperty('--tick', `${tickPercent}%`);
    replaceChildren(this.container, head, body);
  }
}

function fact(label, value, title) {
  return el('span', { class: 'fact', title: title || null },
    el('span', { class: 'fact-label', text: label }),
    el('span', { class: 'fact-value', text: value }));
}

function renderRow(node, depth, model, collapsed) {
  const doc = node.doc;
  const total = model.end - model.start;
  const start = node.start || model.start;
  const end = node.end !== null ? node.end : model.end;
  const left = Math.max(0, ((start - model.start) / total) * 100);
  const width = Math.max(0, Math.min(100 - left, ((end - start) / total) * 100));
  const state = outcome(flagsOf(doc));
  const status = httpStatus(doc);
  const kind = kindOf(node);
  const name = typeof doc.name === 'string' ? doc.name : '(unnamed)';
  const duration = node.inProgress ? 'in progress' : formatMs(end - start);

  const tooltip = `${name}\n${formatMs(start - model.start)} → ${node.inProgress ? 'in progress' : formatMs(end - model.start)}`
    + (node.inProgress ? '' : ` (${formatMs(end - start)})`);

  const caret = node.children.length
    ? el('button', { class: ['caret', collapsed ? 'collapsed' : ''], type: 'button', tabindex: '-1', 'aria-label': collapsed ? 'Expand' : 'Collapse' })
    : el('span', { class: 'caret-space' });

  return el('div', {
    class: ['timeline-row', node.isSegment ? 'is-segment' : 'is-subsegment', `o-${state}`, node.inProgress ? 'in-progress' : '', node.orphan ? 'orphan' : ''],
    role: 'treeitem',
    'aria-level': String(depth + 1),
    'aria-expanded': node.children.length ? String(!collapsed) : null,
    dataset: { entityId: node.id, depth },
    style: { '--depth': depth, '--hue': serviceHue(node.service || name) },
  },
  el('div', { class: 'tl-name', title: name },
    el('span', { class: 'indent' }),
    caret,
    node.isSegment ? el('span', { class: 'service-dot' }) : null,
    el('span', { class: 'entity-name', text: name }),
    kind ? el('span', { class: 'entity-kind', text: kind }) : null,
    node.orphan ? el('span', { class: 'entity-kind warn', text: 'parent missing', title: `parent ${doc.parent_id} is not in this trace` }) : null),
  el('div', { class: ['tl-status', status !== null ? `s${Math.floor(status / 100)}xx` : '', status === 429 ? 's429' : ''] }, status !== null ? String(status) : ''),
  el('div', { class: ['tl-dur', node.inProgress ? 'pending' : ''] }, duration),
  el('div', { class: 'tl-track', title: tooltip },
    el('div', {
      class: ['tl-bar', `b-${state}`, node.inProgress ? 'b-progress' : ''],
      style: { left: `${left}%`, width: `${width}%` },
    })));
}
