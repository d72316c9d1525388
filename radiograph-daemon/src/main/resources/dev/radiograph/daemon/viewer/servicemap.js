// The service map: GetServiceGraph's services as nodes in layers (roots on the left, callees to
// the right), edges as arrows, each node with a health ring of its ok/error/throttle/fault share.

import { el, formatCount, formatMs, formatPercent, replaceChildren, svg } from './dom.js';
import { quote } from './filtertext.js';

const R = 30;             // node radius
const LAYER_GAP = 250;    // horizontal distance between layers
const ROW_GAP = 150;      // vertical distance between nodes of a layer
const MARGIN = 90;
const OUTCOMES = ['ok', 'error', 'throttle', 'fault'];
const MARKERS = [...OUTCOMES, 'accent'];

/** Request counts of a SummaryStatistics block, with throttles split out of errors. */
export function countsOf(statistics) {
  const s = statistics || {};
  const errors = s.ErrorStatistics || {};
  const faults = s.FaultStatistics || {};
  const throttle = errors.ThrottleCount || 0;
  const errorTotal = errors.TotalCount !== undefined ? errors.TotalCount : throttle + (errors.OtherCount || 0);
  const fault = faults.TotalCount !== undefined ? faults.TotalCount : (faults.OtherCount || 0);
  const error = Math.max(0, errorTotal - throttle);
  const total = s.TotalCount !== undefined ? s.TotalCount : (s.OkCount || 0) + errorTotal + fault;
  const ok = s.OkCount !== undefined ? s.OkCount : Math.max(0, total - errorTotal - fault);
  const avg = total > 0 && typeof s.TotalResponseTime === 'number' ? s.TotalResponseTime / total : null;
  return { total, ok, error, throttle, fault, avg };
}

function addStatistics(a, b) {
  const s = b || {};
  const e = s.ErrorStatistics || {};
  const f = s.FaultStatistics || {};
  return {
    OkCount: (a.OkCount || 0) + (s.OkCount || 0),
    ErrorStatistics: {
      ThrottleCount: (a.ErrorStatistics.ThrottleCount || 0) + (e.ThrottleCount || 0),
      OtherCount: (a.ErrorStatistics.OtherCount || 0) + (e.OtherCount || 0),
      TotalCount: (a.ErrorStatistics.TotalCount || 0) + (e.TotalCount || 0),
    },
    FaultStatistics: {
      OtherCount: (a.FaultStatistics.OtherCount || 0) + (f.OtherCount || 0),
      TotalCount: (a.FaultStatistics.TotalCount || 0) + (f.TotalCount || 0),
    },
    TotalCount: (a.TotalCount || 0) + (s.TotalCount || 0),
    TotalResponseTime: (a.TotalResponseTime || 0) + (s.TotalResponseTime || 0),
  };
}

function emptyStatistics() {
  return { OkCount: 0, ErrorStatistics: {}, FaultStatistics: {}, TotalCount: 0, TotalResponseTime: 0 };
}

function worstOutcome(counts) {
  if (counts.fault > 0) return 'fault';
  if (counts.throttle > 0) return 'throttle';
  if (counts.error > 0) return 'error';
  return 'ok';
}

/** Lays out the graph: {nodes: Map refId -> node, edges: [...], bounds}. */
export function layout(services) {
  const nodes = new Map();
  for (const service of services || []) {
    if (!service || service.ReferenceId === undefined || nodes.has(service.ReferenceId)) continue;
    nodes.set(service.ReferenceId, { id: service.ReferenceId, service, out: [], in: [], layer: 0, order: 0, x: 0, y: 0 });
  }
  const edges = [];
  for (const node of nodes.values()) {
    for (const edge of node.service.Edges || []) {
      const target = nodes.get(edge.ReferenceId);
      if (!target) continue;
      const e = { from: node, to: target, edge, back: false, counts: countsOf(edge.SummaryStatistics) };
      edges.push(e);
      node.out.push(e);
      target.in.push(e);
    }
  }
  // A node's own statistics; a node without them (an uninstrumented downstream) is what its callers saw.
  for (const node of nodes.values()) {
    let statistics = node.service.SummaryStatistics;
    if (!statistics) {
      // A client has neither: what it sent is what it saw.
      const seen = node.in.length ? node.in : node.out;
      statistics = seen.reduce((acc, e) => addStatistics(acc, e.edge.SummaryStatistics), emptyStatistics());
    }
    node.counts = countsOf(statistics);
  }

  const byName = (a, b) => String(a.service.Name ?? '').localeCompare(String(b.service.Name ?? '')) || a.id - b.id;
  const all = [...nodes.values()].sort(byName);
  let roots = all.filter((n) => n.service.Root === true);
  if (!roots.length) roots = all.filter((n) => n.in.length === 0);
  if (!roots.length && all.length) roots = [all[0]];

  // Depth-first from the roots (then from anything unreached) to mark the edges closing a cycle.
  const state = new Map();
  const postOrder = [];
  const visit = (start) => {
    const stack = [[start, 0]];
    state.set(start, 1);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [node, i] = top;
      if (i < node.out.length) {
        top[1]++;
        const e = node.out[i];
        const s = state.get(e.to);
        if (s === 1) e.back = true;
        else if (!s) {
          state.set(e.to, 1);
          stack.push([e.to, 0]);
        }
      } else {
        state.set(node, 2);
        postOrder.push(node);
        stack.pop();
      }
    }
  };
  for (const root of roots) if (!state.has(root)) visit(root);
  for (const node of all) if (!state.has(node)) visit(node);

  // Longest path over the acyclic edges: a callee sits right of every caller.
  for (const node of postOrder.reverse()) {
    for (const e of node.out) {
      if (!e.back && e.to !== node) e.to.layer = Math.max(e.to.layer, node.layer + 1);
    }
  }
  const layers = [];
  for (const node of all) (layers[node.layer] ||= []).push(node);
  for (let i = 0; i < layers.length; i++) layers[i] ||= [];

  // Order each layer by the mean position of its neighbours (a few sweeps reduce crossings).
  const position = (list) => list.forEach((n, i) => { n.order = i; });
  layers.forEach(position);
  const sweep = (list, neighbours) => {
    const score = new Map(list.map((n) => {
      const near = neighbours(n);
      return [n, near.length ? near.reduce((sum, m) => sum + m.order, 0) / near.length : n.order];
    }));
    list.sort((a, b) => score.get(a) - score.get(b) || byName(a, b));
    position(list);
  };
  for (let pass = 0; pass < 4; pass++) {
    for (let i = 1; i < layers.length; i++) sweep(layers[i], (n) => n.in.filter((e) => !e.back && e.from.layer < n.layer).map((e) => e.from));
    for (let i = layers.length - 2; i >= 0; i--) sweep(layers[i], (n) => n.out.filter((e) => !e.back && e.to.layer > n.layer).map((e) => e.to));
  }

  let minY = Infinity;
  let maxY = -Infinity;
  layers.forEach((list, layer) => {
    list.forEach((node, i) => {
      node.x = layer * LAYER_GAP;
      node.y = (i - (list.length - 1) / 2) * ROW_GAP;
      minY = Math.min(minY, node.y);
      maxY = Math.max(maxY, node.y);
    });
  });
  if (!Number.isFinite(minY)) {
    minY = 0;
    maxY = 0;
  }
  const width = Math.max(0, layers.length - 1) * LAYER_GAP;
  const bounds = { x: -MARGIN, y: minY - MARGIN - 20, w: width + 2 * MARGIN, h: maxY - minY + 2 * MARGIN + 50 };
  return { nodes, edges, bounds };
}

function cubicPoint(p0, p1, p2, p3, t) {
  const u = 1 - t;
  return {
    x: u * u * u * p0.x + 3 * u * u * t * p1.x + 3 * u * t * t * p2.x + t * t * t * p3.x,
    y: u * u * u * p0.y + 3 * u * u * t * p1.y + 3 * u * t * t * p2.y + t * t * t * p3.y,
  };
}

/** The path of an edge and the point where its label goes. */
function edgeGeometry(e) {
  const a = e.from;
  const b = e.to;
  if (a === b) {
    const p0 = { x: a.x + R * 0.5, y: a.y - R * 0.87 };
    const p3 = { x: a.x + R * 0.87 + 2, y: a.y - R * 0.5 - 2 };
    const p1 = { x: a.x + R * 0.9, y: a.y - R * 2.6 };
    const p2 = { x: a.x + R * 2.6, y: a.y - R * 0.9 };
    return { d: `M${p0.x},${p0.y} C${p1.x},${p1.y} ${p2.x},${p2.y} ${p3.x},${p3.y}`, label: cubicPoint(p0, p1, p2, p3, 0.5) };
  }
  if (b.x > a.x) {
    const p0 = { x: a.x + R, y: a.y };
    const p3 = { x: b.x - R - 4, y: b.y };
    const dx = (p3.x - p0.x) / 2;
    // An edge that skips layers bows above the nodes it would otherwise run through.
    const span = Math.round((b.x - a.x) / LAYER_GAP);
    const lift = span > 1 ? 45 + 30 * span : 0;
    const p1 = { x: p0.x + dx, y: p0.y - lift };
    const p2 = { x: p3.x - dx, y: p3.y - lift };
    return { d: `M${p0.x},${p0.y} C${p1.x},${p1.y} ${p2.x},${p2.y} ${p3.x},${p3.y}`, label: cubicPoint(p0, p1, p2, p3, 0.5) };
  }
  // Backwards or within a layer: an arc above both nodes.
  const lift = 60 + Math.abs(b.x - a.x) * 0.25;
  const p0 = { x: a.x, y: a.y - R };
  const p3 = { x: b.x + (b.x < a.x ? 4 : -4), y: b.y - R - 6 };
  const p1 = { x: a.x, y: Math.min(a.y, b.y) - R - lift };
  const p2 = { x: b.x, y: Math.min(a.y, b.y) - R - lift };
  return { d: `M${p0.x},${p0.y} C${p1.x},${p1.y} ${p2.x},${p2.y} ${p3.x},${p3.y}`, label: cubicPoint(p0, p1, p2, p3, 0.5) };
}

function truncate(text, max) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export class ServiceMap {
  /**
   * @param {SVGSVGElement} svgElement #service-map
   * @param {HTMLElement} detail       #map-detail
   * @param {HTMLElement} empty        shown when there are no services
   * @param {(filter: string) => void} onViewTraces  lists the traces of a filter: service(...), edge(...)
   */
  constructor(svgElement, detail, empty, onViewTraces) {
    this.svg = svgElement;
    this.detail = detail;
    this.empty = empty;
    this.onViewTraces = onViewTraces;
    this.graph = null;
    this.signature = null;
    this.selectedId = null;
    this.view = null;
    this.userMoved = false;
    this.installPanZoom();
    new ResizeObserver(() => {
      if (this.graph && !this.userMoved) this.fit();
    }).observe(svgElement);
  }

  /** Shows a GetServiceGraph answer; redraws only when the services changed. */
  update(data) {
    const services = (data && data.Services) || [];
    const signature = JSON.stringify(services.map((s) => ({ ...s, StartTime: undefined, EndTime: undefined,
      Edges: (s.Edges || []).map((e) => ({ ...e, StartTime: undefined, EndTime: undefined })) })));
    if (signature === this.signature) return;
    this.signature = signature;
    this.graph = layout(services);
    this.render();
    if (this.selectedId !== null && this.graph.nodes.has(this.selectedId)) this.select(this.selectedId);
    else this.showDetail(null);
  }

  render() {
    const { nodes, edges, bounds } = this.graph;
    this.empty.hidden = nodes.size > 0;
    this.empty.textContent = 'No services in this time range yet. Send some traces to the daemon.';
    const defs = svg('defs', null, MARKERS.map((o) => svg('marker', {
      id: `arrow-${o}`, viewBox: '0 0 10 10', refX: '8', refY: '5', markerWidth: '10', markerHeight: '10', markerUnits: 'userSpaceOnUse', orient: 'auto',
    }, svg('path', { d: 'M0,0 L10,5 L0,10 z', class: `arrowhead a-${o}` }))));

    const maxCount = Math.max(1, ...edges.map((e) => e.counts.total));
    const edgeLayer = svg('g', { class: 'edges' }, edges.map((e) => {
      const geometry = edgeGeometry(e);
      const state = worstOutcome(e.counts);
      const widthPx = 1.2 + 2.8 * Math.log1p(e.counts.total) / Math.log1p(maxCount);
      const label = `${formatCount(e.counts.total)} · ${e.counts.avg !== null ? formatMs(e.counts.avg) : '—'}`;
      const fromName = String(e.from.service.Name ?? '');
      const toName = String(e.to.service.Name ?? '');
      return svg('g', {
        class: ['edge', `e-${state}`], dataset: { from: String(e.from.id), to: String(e.to.id), fromName, toName, state },
        tabindex: '0', role: 'button',
        on: {
          click: (event) => { event.stopPropagation(); this.selectEdge(e); },
          keydown: (event) => { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); this.selectEdge(e); } },
        },
      },
        svg('title', { text: `${fromName} → ${toName}\n${formatCount(e.counts.total)} requests, average ${e.counts.avg !== null ? formatMs(e.counts.avg) : '—'}\n`
          + `${formatCount(e.counts.error)} errors, ${formatCount(e.counts.throttle)} throttles, ${formatCount(e.counts.fault)} faults` }),
        svg('path', { class: 'edge-hit', d: geometry.d }),
        svg('path', { class: 'edge-line', d: geometry.d, 'marker-end': `url(#arrow-${state})`, style: { 'stroke-width': `${widthPx}px` } }),
        svg('text', { class: 'edge-label', x: String(geometry.label.x), y: String(geometry.label.y - 6), 'text-anchor': 'middle', text: label }));
    }));

    const nodeLayer = svg('g', { class: 'nodes' }, [...nodes.values()].map((node) => this.renderNode(node)));
    replaceChildren(this.svg, defs, svg('g', { class: 'viewport' }, edgeLayer, nodeLayer));
    if (!this.userMoved || !this.view) this.fit();
    else this.applyView();
  }

  renderNode(node) {
    const service = node.service;
    const name = String(service.Name ?? '(unnamed)');
    const type = service.Type ? String(service.Type) : '';
    const c = node.counts;
    const circumference = 2 * Math.PI * R;
    const parts = [];
    let offset = 0;
    for (const o of OUTCOMES) {
      const share = c.total > 0 ? c[o] / c.total : 0;
      if (share <= 0) continue;
      const length = share * circumference;
      parts.push(svg('circle', {
        class: ['ring', `r-${o}`], r: String(R), cx: '0', cy: '0',
        'stroke-dasharray': `${length} ${circumference - length}`,
        'stroke-dashoffset': String(-offset),
        transform: 'rotate(-90)',
      }));
      offset += length;
    }
    const health = c.total > 0 ? worstOutcome(c) : 'none';
    const faultShare = c.total > 0 ? c.fault / c.total : 0;
    const errorShare = c.total > 0 ? (c.error + c.throttle) / c.total : 0;
    const tooltip = `${name}${type ? ` (${type})` : ''}\n${formatCount(c.total)} requests, average ${c.avg !== null ? formatMs(c.avg) : '—'}\n`
      + `errors ${formatPercent(errorShare)}, faults ${formatPercent(faultShare)}`;
    const g = svg('g', {
      class: ['node', `h-${health}`, service.Root ? 'root' : ''],
      transform: `translate(${node.x},${node.y})`,
      tabindex: '0',
      role: 'button',
      dataset: { refId: String(node.id), name },
      on: {
        click: (event) => { event.stopPropagation(); this.select(node.id); },
        keydown: (event) => { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); this.select(node.id); } },
      },
    },
    svg('title', { text: tooltip }),
    svg('circle', { class: 'node-halo', r: String(R + 7) }),
    svg('circle', { class: 'node-bg', r: String(R) }),
    svg('circle', { class: 'ring-track', r: String(R) }),
    parts,
    svg('text', { class: 'node-latency', y: '-1', 'text-anchor': 'middle', text: c.avg !== null ? formatMs(c.avg).replace(' ms', '') : '—' }),
    svg('text', { class: 'node-unit', y: '12', 'text-anchor': 'middle', text: c.avg !== null ? 'ms avg' : '' }),
    svg('text', { class: 'node-name', y: String(R + 20), 'text-anchor': 'middle', text: truncate(name, 32) }),
    svg('text', { class: 'node-stats', y: String(R + 36), 'text-anchor': 'middle',
      text: `${formatCount(c.total)} req${faultShare > 0 || errorShare > 0 ? ` · ${formatPercent(faultShare + errorShare)} err` : ''}` }),
    type ? svg('text', { class: 'node-type', y: String(-R - 12), 'text-anchor': 'middle', text: truncate(type, 30) }) : null);
    return g;
  }

  /** Shows an edge's calls: counts, response times, and a link to its traces. */
  selectEdge(e) {
    this.select(null);
    for (const g of this.svg.querySelectorAll('g.edge')) {
      const selected = g.dataset.from === String(e.from.id) && g.dataset.to === String(e.to.id);
      g.classList.toggle('selected', selected);
      g.classList.toggle('dim', !selected);
    }
    const from = String(e.from.service.Name ?? '');
    const to = String(e.to.service.Name ?? '');
    const c = e.counts;
    replaceChildren(this.detail,
      el('div', { class: 'detail-head' },
        el('div', { class: 'detail-title' }, el('h2', { class: 'detail-name', text: `${from} → ${to}` })),
        el('div', { class: 'detail-badges' }, el('span', { class: 'badge segment', text: 'Edge' }))),
      el('div', { class: 'detail-body' },
        el('section', { class: 'detail-section' },
          statGrid(c),
          el('button', { class: 'button primary', type: 'button', on: { click: () => this.onViewTraces(`edge(${quote(from)}, ${quote(to)})`) } }, 'View traces')),
        histogram('Response time distribution', e.edge.ResponseTimeHistogram),
        el('section', { class: 'detail-section' },
          el('a', { class: 'link', href: '#', on: { click: (ev) => { ev.preventDefault(); this.select(e.from.id); } } }, from), ' calls ',
          el('a', { class: 'link', href: '#', on: { click: (ev) => { ev.preventDefault(); this.select(e.to.id); } } }, to))));
  }

  select(id) {
    this.selectedId = id;
    for (const g of this.svg.querySelectorAll('g.edge.selected')) g.classList.remove('selected');
    for (const g of this.svg.querySelectorAll('g.node')) g.classList.toggle('selected', g.dataset.refId === String(id));
    for (const g of this.svg.querySelectorAll('g.edge')) {
      const near = g.dataset.from === String(id) || g.dataset.to === String(id);
      g.classList.toggle('highlight', near);
      g.classList.toggle('dim', id !== null && !near);
      g.querySelector('.edge-line').setAttribute('marker-end', `url(#arrow-${near ? 'accent' : g.dataset.state})`);
    }
    this.showDetail(this.graph && this.graph.nodes.get(id));
  }

  showDetail(node) {
    if (!node) {
      this.selectedId = null;
      this.showOverview();
      return;
    }
    const service = node.service;
    const name = String(service.Name ?? '(unnamed)');
    const c = node.counts;
    const names = Array.isArray(service.Names) ? service.Names.filter((n) => n !== service.Name) : [];
    const edgeList = (list, key, title) => (list.length ? el('section', { class: 'detail-section' },
      el('h3', { text: title }),
      el('table', { class: 'edge-table' },
        el('thead', null, el('tr', null, el('th', { text: 'Service' }), el('th', { class: 'num', text: 'Requests' }), el('th', { class: 'num', text: 'Avg' }), el('th', { class: 'num', text: 'Err/fault' }))),
        el('tbody', null, list.map((e) => el('tr', { class: `e-${worstOutcome(e.counts)}` },
          el('td', null, el('a', { class: 'link', href: '#', on: { click: (ev) => { ev.preventDefault(); this.select(e[key].id); } } }, String(e[key].service.Name ?? ''))),
          el('td', { class: 'num', text: formatCount(e.counts.total) }),
          el('td', { class: 'num', text: e.counts.avg !== null ? formatMs(e.counts.avg) : '—' }),
          el('td', { class: 'num', text: e.counts.total ? formatPercent((e.counts.error + e.counts.throttle + e.counts.fault) / e.counts.total) : '—' })))))) : null);

    replaceChildren(this.detail,
      el('div', { class: 'detail-head' },
        el('div', { class: 'detail-title' }, el('h2', { class: 'detail-name', text: name })),
        el('div', { class: 'detail-badges' },
          service.Type ? el('span', { class: 'badge segment', text: String(service.Type) }) : null,
          service.Root ? el('span', { class: 'badge subsegment', text: 'Root' }) : null)),
      el('div', { class: 'detail-body' },
        el('section', { class: 'detail-section' },
          statGrid(c),
          el('button', { class: 'button primary', type: 'button', on: { click: () => this.onViewTraces(`service(${quote(name)})`) } }, 'View traces')),
        names.length ? el('section', { class: 'detail-section' }, el('h3', { text: 'Also known as' }),
          el('div', { class: 'chips' }, names.map((n) => el('span', { class: 'chip', text: String(n) })))) : null,
        histogram('Response time distribution', service.ResponseTimeHistogram),
        edgeList(node.out, 'to', 'Calls'),
        edgeList(node.in, 'from', 'Called by')));
  }

  /** With no service selected: every service, busiest first. */
  showOverview() {
    const nodes = this.graph ? [...this.graph.nodes.values()] : [];
    if (!nodes.length) {
      replaceChildren(this.detail, el('div', { class: 'empty', text: 'Select a service to see its statistics.' }));
      return;
    }
    nodes.sort((a, b) => b.counts.total - a.counts.total || String(a.service.Name).localeCompare(String(b.service.Name)));
    const requests = nodes.filter((n) => n.service.Root).reduce((sum, n) => sum + n.counts.total, 0);
    replaceChildren(this.detail,
      el('div', { class: 'detail-head' },
        el('div', { class: 'detail-title' }, el('h2', { class: 'detail-name', text: 'Services' })),
        el('div', { class: 'detail-sub', text: `${nodes.length} service${nodes.length === 1 ? '' : 's'} · ${this.graph.edges.length} connection${this.graph.edges.length === 1 ? '' : 's'}`
          + (requests ? ` · ${formatCount(requests)} incoming requests` : '') })),
      el('div', { class: 'detail-body' },
        el('section', { class: 'detail-section' },
          el('table', { class: 'edge-table services-table' },
            el('thead', null, el('tr', null, el('th', { text: 'Service' }), el('th', { class: 'num', text: 'Requests' }), el('th', { class: 'num', text: 'Avg' }), el('th', { class: 'num', text: 'Err/fault' }))),
            el('tbody', null, nodes.map((n) => el('tr', { class: `e-${worstOutcome(n.counts)}` },
              el('td', null, el('a', { class: 'link', href: '#', on: { click: (ev) => { ev.preventDefault(); this.select(n.id); } } }, String(n.service.Name ?? ''))),
              el('td', { class: 'num', text: formatCount(n.counts.total) }),
              el('td', { class: 'num', text: n.counts.avg !== null ? formatMs(n.counts.avg) : '—' }),
              el('td', { class: 'num', text: n.counts.total ? formatPercent((n.counts.error + n.counts.throttle + n.counts.fault) / n.counts.total) : '—' }))))),
          el('p', { class: 'hint', text: 'Select a service on the map for its details. Drag to pan, scroll to zoom.' }))));
  }

  // ---------------------------------------------------------------- pan and zoom

  /** Shows the whole graph, at most at natural size (a small graph is not blown up). */
  fit() {
    if (!this.graph) return;
    const b = this.graph.bounds;
    const width = this.svg.clientWidth;
    const height = this.svg.clientHeight;
    if (width > 0 && height > 0 && width >= b.w && height >= b.h) {
      this.view = { x: b.x + b.w / 2 - width / 2, y: b.y + b.h / 2 - height / 2, w: width, h: height };
    } else {
      this.view = { ...b };
    }
    this.userMoved = false;
    this.applyView();
  }

  applyView() {
    const v = this.view;
    this.svg.setAttribute('viewBox', `${v.x} ${v.y} ${v.w} ${v.h}`);
  }

  installPanZoom() {
    const svgEl = this.svg;
    svgEl.setAttribute('preserveAspectRatio', 'xMidYMid meet');
    const toSvg = (clientX, clientY) => {
      const matrix = svgEl.getScreenCTM();
      if (!matrix) return { x: 0, y: 0 };
      const p = new DOMPoint(clientX, clientY).matrixTransform(matrix.inverse());
      return { x: p.x, y: p.y };
    };
    svgEl.addEventListener('wheel', (event) => {
      if (!this.view) return;
      event.preventDefault();
      const factor = Math.exp(Math.max(-0.5, Math.min(0.5, event.deltaY * 0.0015)));
      const p = toSvg(event.clientX, event.clientY);
      const v = this.view;
      v.x = p.x - (p.x - v.x) * factor;
      v.y = p.y - (p.y - v.y) * factor;
      v.w *= factor;
      v.h *= factor;
      this.userMoved = true;
      this.applyView();
    }, { passive: false });
    let drag = null;
    svgEl.addEventListener('pointerdown', (event) => {
      // Not from a node or an edge: capturing the pointer would send their click to the map.
      if (!this.view || event.button !== 0 || event.target.closest('g.node, g.edge')) return;
      drag = { start: toSvg(event.clientX, event.clientY), moved: false };
      svgEl.setPointerCapture(event.pointerId);
    });
    svgEl.addEventListener('pointermove', (event) => {
      if (!drag) return;
      const p = toSvg(event.clientX, event.clientY);
      const dx = p.x - drag.start.x;
      const dy = p.y - drag.start.y;
      if (Math.abs(dx) + Math.abs(dy) > 0.5) {
        drag.moved = true;
        this.view.x -= dx;
        this.view.y -= dy;
        this.userMoved = true;
        this.applyView();
      }
    });
    const end = (event) => {
      if (!drag) return;
      if (!drag.moved && event.type === 'pointerup') this.select(null);
      drag = null;
    };
    svgEl.addEventListener('pointerup', end);
    svgEl.addEventListener('pointercancel', end);
  }
}

/** Requests, latency and the share of each outcome, of a node or an edge. */
function statGrid(c) {
  const share = (n) => (c.total > 0 ? formatPercent(n / c.total) : '—');
  return el('div', { class: 'stat-grid' },
    stat('Requests', formatCount(c.total)),
    stat('Avg latency', c.avg !== null ? formatMs(c.avg) : '—'),
    stat('Errors (4xx)', `${formatCount(c.error)} · ${share(c.error)}`, 'error'),
    stat('Throttles', `${formatCount(c.throttle)} · ${share(c.throttle)}`, 'throttle'),
    stat('Faults (5xx)', `${formatCount(c.fault)} · ${share(c.fault)}`, 'fault'),
    stat('OK', `${formatCount(c.ok)} · ${share(c.ok)}`, 'ok'));
}

function stat(label, value, kind) {
  return el('div', { class: ['stat', kind ? `k-${kind}` : ''] },
    el('div', { class: 'stat-label', text: label }),
    el('div', { class: 'stat-value', text: value }));
}

/** A small bar chart of a [{Value (seconds), Count}] histogram. */
function histogram(title, entries) {
  const points = (Array.isArray(entries) ? entries : [])
    .filter((e) => e && typeof e.Value === 'number' && typeof e.Count === 'number' && e.Count > 0)
    .sort((a, b) => a.Value - b.Value);
  if (!points.length) return null;
  const min = points[0].Value;
  const max = points[points.length - 1].Value;
  const bins = Math.min(24, Math.max(1, points.length));
  const counts = new Array(bins).fill(0);
  for (const p of points) {
    const i = max > min ? Math.min(bins - 1, Math.floor(((p.Value - min) / (max - min)) * bins)) : 0;
    counts[i] += p.Count;
  }
  const peak = Math.max(...counts);
  const W = 260;
  const H = 64;
  const bw = W / bins;
  return el('section', { class: 'detail-section' },
    el('h3', { text: title }),
    svg('svg', { class: 'histogram', viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': title },
      counts.map((n, i) => svg('rect', {
        x: String(i * bw + 1), width: String(Math.max(1, bw - 2)),
        y: String(H - (n / peak) * (H - 2)), height: String((n / peak) * (H - 2)),
      }, svg('title', { text: `${n} requests` })))),
    el('div', { class: 'histogram-axis' }, el('span', { text: formatMs(min) }), el('span', { text: formatMs(max) })));
}
