// The response-time distribution of the traces in the range (POST /radiograph/histogram), above
// the trace list. Dragging over bars picks a range of response times: the list narrows to it.

import { el, formatCount, formatMs, replaceChildren, svg } from './dom.js';

const W = 400;
const H = 54;

export class ResponseTimeChart {
  /** @param {HTMLElement} container  @param {(from: number, to: number) => void} onRange seconds */
  constructor(container, onRange) {
    this.container = container;
    this.onRange = onRange;
    this.buckets = [];
    this.signature = null;
  }

  /** Shows `answer` ({Buckets:[{From, To, Count}], Total}); unchanged answers keep the drawing. */
  update(answer) {
    const buckets = Array.isArray(answer && answer.Buckets) ? answer.Buckets : [];
    const signature = JSON.stringify(buckets);
    if (signature === this.signature) return;
    this.signature = signature;
    this.buckets = buckets;
    if (!buckets.length) {
      replaceChildren(this.container);
      return;
    }
    const peak = Math.max(1, ...buckets.map((b) => b.Count));
    const bw = W / buckets.length;
    this.selection = svg('rect', { class: 'rt-selection', x: '0', y: '0', width: '0', height: String(H) });
    const chart = svg('svg', {
      class: 'rt-chart', viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', role: 'img',
      'aria-label': 'Response-time distribution: drag to filter',
    },
    buckets.map((b, i) => {
      const h = b.Count ? Math.max(1.5, (b.Count / peak) * (H - 2)) : 0;
      return svg('rect', {
        class: 'rt-bar', x: String(i * bw + 0.5), width: String(Math.max(0.5, bw - 1)), y: String(H - h), height: String(h),
        dataset: { index: i, count: b.Count },
      }, svg('title', { text: `${formatMs(b.From)} – ${formatMs(b.To)}: ${formatCount(b.Count)} trace${b.Count === 1 ? '' : 's'}` }));
    }),
    this.selection);
    this.installDrag(chart);
    replaceChildren(this.container,
      el('div', { class: 'rt-title' },
        el('span', { text: 'Response time' }),
        el('span', { class: 'muted', text: `${formatCount(answer.Total || 0)} traces · drag to filter` })),
      chart,
      el('div', { class: 'histogram-axis' },
        el('span', { text: formatMs(buckets[0].From) }),
        el('span', { text: formatMs(buckets[buckets.length - 1].To) })));
  }

  /** The bucket under a pointer's x. */
  indexAt(chart, clientX) {
    const box = chart.getBoundingClientRect();
    const fraction = (clientX - box.left) / Math.max(1, box.width);
    return Math.max(0, Math.min(this.buckets.length - 1, Math.floor(fraction * this.buckets.length)));
  }

  installDrag(chart) {
    const bw = W / this.buckets.length;
    let first = null;
    const mark = (a, b) => {
      const lo = Math.min(a, b);
      const hi = Math.max(a, b);
      this.selection.setAttribute('x', String(lo * bw));
      this.selection.setAttribute('width', String((hi - lo + 1) * bw));
    };
    chart.addEventListener('pointerdown', (event) => {
      event.preventDefault();
      chart.setPointerCapture(event.pointerId);
      first = this.indexAt(chart, event.clientX);
      mark(first, first);
    });
    chart.addEventListener('pointermove', (event) => {
      if (first !== null) mark(first, this.indexAt(chart, event.clientX));
    });
    chart.addEventListener('pointerup', (event) => {
      if (first === null) return;
      const last = this.indexAt(chart, event.clientX);
      const lo = Math.min(first, last);
      const hi = Math.max(first, last);
      first = null;
      this.onRange(this.buckets[lo].From, this.buckets[hi].To);
    });
    chart.addEventListener('pointercancel', () => {
      first = null;
      mark(0, -1);
    });
  }
}

// A range the chart put in the filter, so that the next drag replaces it instead of adding one.
const RANGE_TERM = /(?:\s+AND\s+)?responsetime >= [0-9.e-]+ AND responsetime <= [0-9.e-]+/i;

/** `filter` with its response-time range (if any) replaced by [from, to] seconds. */
export function withResponseTimeRange(filter, from, to) {
  const seconds = (s) => String(Number(s.toFixed(6)));
  const term = `responsetime >= ${seconds(from)} AND responsetime <= ${seconds(to)}`;
  const rest = (filter || '').replace(RANGE_TERM, '').replace(/^\s*AND\s+/i, '').trim();
  return rest ? `${rest} AND ${term}` : term;
}
