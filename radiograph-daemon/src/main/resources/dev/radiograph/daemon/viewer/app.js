// Radiograph trace viewer: trace list, timeline, details, service map and daemon status.
//
// Routes (in the URL hash): #/traces, #/traces/<trace id>, #/traces/<trace id>/<entity id>, #/map,
// #/sampling,
// each with an optional query that holds the view: ?filter=<url-encoded expression>&range=<seconds>
// or ?filter=...&from=<epoch seconds>&to=<epoch seconds>. A pasted link opens the same list.

import * as api from './api.js';
import { renderComparison } from './compare.js';
import { Detail } from './detail.js';
import { el, formatBytes, formatCount, formatTime, replaceChildren } from './dom.js';
import { and } from './filtertext.js';
import { GroupCounts } from './groups.js';
import { ResponseTimeChart, withResponseTimeRange } from './histogram.js';
import { SamplingRules } from './sampling.js';
import { SavedFilters } from './savedfilters.js';
import { ServiceMap } from './servicemap.js';
import { buildTrace } from './tracemodel.js';
import { Timeline } from './timeline.js';
import { installTheme, installTimeZone } from './theme.js';
import { TraceList } from './tracelist.js';
import { downloadTrace, readTraceFile } from './traceio.js';

const LIVE_INTERVAL_MS = 2000;
const $ = (id) => document.getElementById(id);
installTheme($('theme')); // first, so that nothing is drawn in the other theme

const ui = {
  filterForm: $('filter-form'),
  filter: $('filter'),
  filterError: $('filter-error'),
  filterClear: $('filter-clear'),
  range: $('range'),
  live: $('live'),
  refresh: $('refresh'),
  banner: $('banner'),
  listSummary: $('list-summary'),
  listEmpty: $('list-empty'),
  tabTraces: $('tab-traces'),
  tabMap: $('tab-map'),
  viewTraces: $('view-traces'),
  viewMap: $('view-map'),
  tabSampling: $('tab-sampling'),
  viewSampling: $('view-sampling'),
  conn: $('conn'),
  connText: $('conn-text'),
  statsCounts: $('stats-counts'),
  updated: $('updated'),
  split: document.querySelector('.traces-split'),
  splitter: $('splitter'),
  timelinePane: $('timeline-pane'),
  timeline: $('timeline'),
  traceHeader: $('trace-header'),
  traceSearch: $('trace-search'),
  traceSearchCount: $('trace-search-count'),
  compare: $('compare'),
  compareWith: $('compare-with'),
  traceFile: $('trace-file'),
  fileError: $('file-error'),
};

// Traces opened from a file: shown like the daemon's, never sent to it.
const localTraces = new Map();

const state = {
  view: 'traces',
  filter: '',          // the applied filter (the input may hold an edited, not yet applied one)
  traceId: null,
  entityId: null,      // entity to select once the trace has loaded
  listSeq: 0,
  traceSeq: 0,
  mapSeq: 0,
  samplingSeq: 0,
  busy: false,
  loadedSignature: null, // summary signature of the trace shown in the timeline
  revealSelected: false, // scroll the list to the open trace once its row exists
  fixedRange: null,      // {from, to} epoch seconds from the URL; null: the last `range` seconds
  shownListKey: null,    // the filter and range of the list on screen
};

// Read once, before anything is drawn, so that the first trace shown already has its links.
// Without an answer the viewer works as without --logs-url: the detail panel shows the ids.
const settings = await api.viewerSettings().catch(() => ({}));
const logsUrl = settings.logsUrl || null;

const traceList = new TraceList($('trace-list'), (id) => openTrace(id, null));
const detail = new Detail($('detail'), (id) => timeline.select(id), logsUrl);
const timeline = new Timeline($('timeline'), $('trace-header'), (node) => {
  detail.show(node, timeline.model);
  state.entityId = node ? node.id : null;
  writeRoute();
}, logsUrl);
const serviceMap = new ServiceMap($('service-map'), $('map-detail'), $('map-empty'), (filter) => {
  ui.filter.value = filter;
  state.filter = filter;
  state.traceId = null;
  state.view = 'traces';
  location.hash = `#/traces${routeQuery()}`;
});
const histogram = new ResponseTimeChart($('histogram'), (from, to) => {
  ui.filter.value = withResponseTimeRange(state.filter, from, to);
  applyFilter();
});
const samplingRules = new SamplingRules($('sampling'));
const groups = new GroupCounts($('group-by'), $('group-list'), (term) => {
  ui.filter.value = and(state.filter, term);
  applyFilter();
});

const savedFilters = new SavedFilters($('saved-filters'), (expression) => {
  ui.filter.value = expression;
  applyFilter();
});

// ------------------------------------------------------------------ time range

function timeRange() {
  if (state.fixedRange) return { startTime: state.fixedRange.from, endTime: state.fixedRange.to };
  const seconds = Number(ui.range.value) || 3600;
  const end = Math.ceil(Date.now() / 1000) + 1;
  return { startTime: end - seconds - 1, endTime: end };
}

function rangeLabel() {
  if (state.fixedRange) return `range ${formatTime(state.fixedRange.from)} – ${formatTime(state.fixedRange.to)}`;
  return ui.range.options[ui.range.selectedIndex].textContent.replace(/^Last /, 'last ');
}

/** Selects `seconds` in the range menu, adding an entry for a value the menu does not offer. */
function selectRangeSeconds(seconds) {
  const value = String(seconds);
  if (![...ui.range.options].some((o) => o.value === value)) {
    ui.range.appendChild(el('option', { value, text: `Last ${formatCount(seconds)} seconds` }));
  }
  ui.range.value = value;
}

/** Shows a from/to range from the URL in the range menu as a "Custom" entry. */
function selectFixedRange(range) {
  let custom = ui.range.querySelector('option[data-custom]');
  if (!custom) custom = ui.range.appendChild(el('option', { value: 'custom', dataset: { custom: 'true' } }));
  custom.textContent = `${formatTime(range.from)} – ${formatTime(range.to)}`;
  ui.range.value = 'custom';
}

// ------------------------------------------------------------------ trace list

/** Records how long the browser waited for `what` (performance entries `radiograph.<what>`). */
async function timed(what, promise) {
  const start = performance.now();
  try {
    return await promise;
  } finally {
    performance.measure(`radiograph.${what}`, { start, end: performance.now() });
  }
}

async function refreshList() {
  const seq = ++state.listSeq;
  const filter = state.filter;
  const range = timeRange();
  try {
    const started = performance.now();
    // A new list (another filter or range) shows its first page while the rest loads; a live
    // refresh of the same list waits for all pages, so rows do not come and go.
    const listKey = `${filter}\n${state.fixedRange ? `${range.startTime}-${range.endTime}` : ui.range.value}`;
    const onFirstPage = listKey === state.shownListKey ? undefined : (summaries) => {
      if (seq !== state.listSeq) return;
      traceList.update(summaries);
      performance.measure('radiograph.list.first-page', { start: started, end: performance.now() });
    };
    const result = await api.traceSummaries({ ...range, filter: filter || undefined, onFirstPage });
    if (seq !== state.listSeq) return;
    state.shownListKey = listKey;
    setFilterError(null);
    connected(true);
    const shown = traceList.update(result.summaries);
    groups.update(result.summaries);
    fillCompareChoices(traceList.order);
    performance.measure('radiograph.list', { start: started, end: performance.now() }); // fetched and drawn
    const parts = [`${formatCount(shown)} trace${shown === 1 ? '' : 's'}`];
    if (result.truncated) parts.push(`(the newest ${formatCount(api.MAX_SUMMARIES)})`);
    parts.push(`in the ${rangeLabel()}`);
    replaceChildren(ui.listSummary, parts.join(' '), filter ? el('span', { class: 'applied-filter' }, ' matching ', el('code', { text: filter })) : null);
    ui.listEmpty.hidden = shown > 0;
    if (!shown) {
      ui.listEmpty.textContent = filter
        ? 'No traces match this filter in the selected time range.'
        : 'No traces yet. Point an X-Ray SDK at this daemon (UDP 127.0.0.1:2000) and they appear here.';
    }
    if (state.traceId) {
      if (state.revealSelected && traceList.summary(state.traceId)) {
        state.revealSelected = false;
        traceList.select(state.traceId); // scrolls to it once; later refreshes leave the scroll alone
      }
      // Reload the open trace when its summary changed (more documents arrived, it finished).
      const signature = traceList.signature(state.traceId);
      if (state.loadedSignature === null) state.loadedSignature = signature; // opened before the list knew it
      else if (signature && signature !== state.loadedSignature) loadTrace(state.traceId);
    }
    // After the list, not beside it: a filter the daemon rejects then fails once, not twice.
    const answer = await timed('histogram', api.responseTimeHistogram({ ...range, filter: filter || undefined }));
    if (seq === state.listSeq) histogram.update(answer);
  } catch (error) {
    if (seq !== state.listSeq) return;
    if (error instanceof api.ApiError && error.invalidRequest) {
      connected(true);
      setFilterError(error.message);
    } else {
      connected(false, error);
    }
  }
}

function setFilterError(message) {
  ui.filterError.hidden = !message;
  ui.filterError.textContent = message || '';
  ui.filter.classList.toggle('invalid', Boolean(message));
  ui.filter.setAttribute('aria-invalid', message ? 'true' : 'false');
}

function applyFilter() {
  state.filter = ui.filter.value.trim();
  writeRoute();
  refreshList();
}

// ------------------------------------------------------------------ one trace

function openTrace(id, entityId) {
  if (!id) return;
  const same = id === state.traceId;
  state.traceId = id;
  state.entityId = entityId;
  traceList.select(id);
  state.revealSelected = !traceList.summary(id);
  writeRoute();
  if (!same || !timeline.model) {
    closeComparison();
    fillCompareChoices(traceList.order);
    state.loadedSignature = null;
    timeline.clear('Loading trace…');
    detail.clear();
    loadTrace(id);
  } else if (entityId) {
    timeline.select(entityId);
  }
}

async function loadTrace(id) {
  const seq = ++state.traceSeq;
  const signature = traceList.signature(id);
  try {
    const trace = localTraces.get(id) || await api.trace(id);
    if (seq !== state.traceSeq || id !== state.traceId) return;
    if (!trace) {
      timeline.clear(`Trace ${id} was not found: it is outside the store (evicted) or was never received.`);
      detail.clear();
      return;
    }
    state.loadedSignature = signature || traceList.signature(id);
    const pending = state.entityId;
    const first = !timeline.model || timeline.model.id !== id;
    const model = buildTrace(trace);
    timeline.show(model);
    showSearchCount(timeline.matches.length);
    if (pending && pending !== timeline.selectedId && model.nodes.has(pending)) {
      timeline.select(pending);
    } else if (first && !pending && model.roots.length) {
      timeline.select(model.roots[0].id, { scroll: false }); // a new trace opens on its root segment
    }
  } catch (error) {
    if (seq !== state.traceSeq) return;
    timeline.clear(`Could not load trace ${id}: ${error.message}`);
    detail.clear();
  }
}

// ------------------------------------------------------------------ trace tools: search, files, compare

function showSearchCount(count) {
  ui.traceSearchCount.textContent = timeline.search ? `${count} found` : '';
}

/** Offers the listed and the opened traces (but the one shown) to compare with. */
function fillCompareChoices(summaries) {
  const ids = [...localTraces.keys(), ...summaries.slice(0, 200).map((s) => s.Id)];
  const signature = `${state.traceId} ${ids.join(' ')}`;
  if (signature === ui.compareWith.dataset.signature) return; // a live refresh would close an open menu
  ui.compareWith.dataset.signature = signature;
  const options = [el('option', { value: '', text: 'Compare with…' })];
  for (const id of new Set(ids)) {
    if (id !== state.traceId) options.push(el('option', { value: id, text: localTraces.has(id) ? `${id} (file)` : id }));
  }
  replaceChildren(ui.compareWith, options);
}

async function compareWith(otherId) {
  const model = timeline.model;
  if (!model || !otherId) return;
  try {
    const other = localTraces.get(otherId) || await api.trace(otherId);
    if (!other) throw new Error(`trace ${otherId} was not found`);
    renderComparison(ui.compare, model, buildTrace(other), closeComparison);
    ui.compare.hidden = false;
    ui.timeline.hidden = true;
    ui.traceHeader.hidden = true;
  } catch (error) {
    showFileError(`Cannot compare: ${error.message}`);
  }
}

function closeComparison() {
  ui.compare.hidden = true;
  ui.timeline.hidden = false;
  ui.traceHeader.hidden = !timeline.model;
  ui.compareWith.value = '';
}

function showFileError(message) {
  ui.fileError.hidden = !message;
  ui.fileError.textContent = message || '';
}

async function openFile(file) {
  if (!file) return;
  try {
    const traces = readTraceFile(await file.text());
    for (const trace of traces) localTraces.set(trace.Id, trace);
    showFileError(null);
    closeComparison();
    fillCompareChoices(traceList.order);
    if (state.traceId === traces[0].Id) state.traceId = null; // reload it from the file
    openTrace(traces[0].Id, null);
  } catch (error) {
    showFileError(`${file.name}: ${error.message}`);
  }
}

function installTraceTools() {
  ui.traceSearch.addEventListener('input', () => showSearchCount(timeline.setSearch(ui.traceSearch.value)));
  ui.traceSearch.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      timeline.nextMatch(event.shiftKey ? -1 : 1);
    } else if (event.key === 'Escape') {
      ui.traceSearch.blur();
      ui.timeline.focus();
    }
  });
  $('expand-all').addEventListener('click', () => timeline.expandAll());
  $('collapse-all').addEventListener('click', () => timeline.collapseAll());
  $('trace-download').addEventListener('click', () => {
    if (timeline.model) downloadTrace(timeline.model.trace, timeline.model.end - timeline.model.start);
  });
  $('trace-open').addEventListener('click', () => ui.traceFile.click());
  ui.traceFile.addEventListener('change', () => {
    openFile(ui.traceFile.files[0]);
    ui.traceFile.value = '';
  });
  ui.compareWith.addEventListener('change', () => compareWith(ui.compareWith.value));
  // Drop a file anywhere on the trace view.
  ui.viewTraces.addEventListener('dragover', (event) => {
    if (![...event.dataTransfer.types].includes('Files')) return;
    event.preventDefault();
    ui.timelinePane.classList.add('drop-target');
  });
  ui.viewTraces.addEventListener('dragleave', () => ui.timelinePane.classList.remove('drop-target'));
  ui.viewTraces.addEventListener('drop', (event) => {
    event.preventDefault();
    ui.timelinePane.classList.remove('drop-target');
    openFile(event.dataTransfer.files[0]);
  });
}

// ------------------------------------------------------------------ service map

async function refreshMap() {
  const seq = ++state.mapSeq;
  try {
    const graph = await api.serviceGraph(timeRange());
    if (seq !== state.mapSeq) return;
    connected(true);
    serviceMap.update(graph);
  } catch (error) {
    if (seq !== state.mapSeq) return;
    connected(false, error);
  }
}

async function refreshSampling() {
  const seq = ++state.samplingSeq;
  try {
    const records = await api.samplingRules();
    // When the daemon forwards to AWS the rules are AWS's and so are their counts: it says so (400).
    const counts = await api.samplingStatisticSummaries().then((s) => ({ summaries: s }),
      (error) => { if (error instanceof api.ApiError && error.invalidRequest) return { note: error.message }; throw error; });
    if (seq !== state.samplingSeq) return;
    connected(true);
    samplingRules.update(records, counts.summaries || null, counts.note || null);
  } catch (error) {
    if (seq !== state.samplingSeq) return;
    connected(false, error);
  }
}

// ------------------------------------------------------------------ status bar

const STAT_LABELS = [
  ['received', 'Received'],
  ['accepted', 'Accepted'],
  ['rejectedMalformed', 'Malformed'],
  ['rejectedOversize', 'Oversize'],
  ['rejectedNonFinite', 'Bad times'],
  ['droppedOverload', 'Dropped'],
  ['truncatedDocuments', 'Truncated'],
  ['evictedTraces', 'Evicted'],
  ['storedTraces', 'Traces'],
  ['storedDocuments', 'Documents'],
  ['storedBytes', 'Stored'],
];

async function refreshStats() {
  try {
    const stats = await api.stats();
    replaceChildren(ui.statsCounts, STAT_LABELS.map(([key, label]) => {
      const value = stats[key];
      const warn = key !== 'received' && key !== 'accepted' && !key.startsWith('stored') && value > 0;
      return el('span', { class: ['stat-item', warn ? 'warn' : ''], dataset: { stat: key } },
        el('span', { class: 'stat-name', text: label }),
        el('span', { class: 'stat-num', text: key === 'storedBytes' ? formatBytes(value) : formatCount(value) }));
    }));
    connected(true);
  } catch (error) {
    if (!(error instanceof api.ApiError && error.status === 0)) return; // stats are optional
    connected(false, error);
  }
}

function connected(ok, error) {
  ui.conn.classList.toggle('down', !ok);
  ui.connText.textContent = ok ? 'Daemon connected' : 'Daemon unreachable';
  ui.banner.hidden = ok;
  if (!ok) ui.banner.textContent = `Cannot reach the daemon: ${error ? error.message : 'no answer'}. Retrying…`;
  if (ok) ui.updated.textContent = `Updated ${formatTime(Date.now() / 1000).replace(/\.\d+$/, '')}`;
}

// ------------------------------------------------------------------ refresh loop

async function refreshAll() {
  if (state.busy) return;
  state.busy = true;
  try {
    await Promise.all([refreshView(), refreshStats(), savedFilters.load()]);
  } finally {
    state.busy = false;
  }
}

function refreshView() {
  if (state.view === 'map') return refreshMap();
  if (state.view === 'sampling') return refreshSampling();
  return refreshList();
}

let timer = null;
function scheduleLive() {
  clearInterval(timer);
  timer = null;
  if (ui.live.checked) {
    timer = setInterval(() => {
      if (!document.hidden) refreshAll();
    }, LIVE_INTERVAL_MS);
  }
}

// ------------------------------------------------------------------ routing

function decode(part) {
  try {
    return decodeURIComponent(part);
  } catch (e) {
    return part;
  }
}

function readRoute() {
  const hash = location.hash.replace(/^#\/?/, '');
  const q = hash.indexOf('?');
  const parts = (q < 0 ? hash : hash.slice(0, q)).split('/').map(decode);
  const params = new URLSearchParams(q < 0 ? '' : hash.slice(q + 1));
  const from = Number(params.get('from'));
  const to = Number(params.get('to'));
  const seconds = Number(params.get('range'));
  const view = {
    filter: params.has('filter') ? params.get('filter') : null,
    fixedRange: params.has('from') && params.has('to') && Number.isFinite(from) && Number.isFinite(to) && to >= from ? { from, to } : null,
    seconds: Number.isInteger(seconds) && seconds > 0 ? seconds : null,
  };
  if (parts[0] === 'map') return { view: 'map', ...view };
  if (parts[0] === 'sampling') return { view: 'sampling', ...view };
  return { view: 'traces', traceId: parts[1] || null, entityId: parts[2] || null, ...view };
}

/** The view's query: filter and range (the same on the list and the map). */
function routeQuery() {
  const params = [];
  if (state.filter && state.view === 'traces') params.push(`filter=${encodeURIComponent(state.filter)}`);
  if (state.fixedRange) params.push(`from=${state.fixedRange.from}`, `to=${state.fixedRange.to}`);
  else params.push(`range=${Number(ui.range.value) || 3600}`);
  return `?${params.join('&')}`;
}

function writeRoute() {
  let hash = '#/traces';
  if (state.view === 'map') hash = '#/map';
  else if (state.view === 'sampling') hash = '#/sampling';
  else if (state.traceId) {
    hash += `/${encodeURIComponent(state.traceId)}`;
    if (state.entityId) hash += `/${encodeURIComponent(state.entityId)}`;
  }
  hash += routeQuery();
  if (location.hash !== hash) history.replaceState(null, '', hash);
}

function applyRoute() {
  const route = readRoute();
  const viewChanged = route.view !== state.view;
  state.view = route.view;
  if (route.filter !== null && route.view === 'traces') {
    state.filter = route.filter.trim();
    ui.filter.value = route.filter;
  }
  if (route.fixedRange) {
    state.fixedRange = route.fixedRange;
    selectFixedRange(route.fixedRange);
  } else if (route.seconds) {
    state.fixedRange = null;
    selectRangeSeconds(route.seconds);
  }
  ui.viewTraces.hidden = route.view !== 'traces';
  ui.viewMap.hidden = route.view !== 'map';
  ui.tabTraces.classList.toggle('active', route.view === 'traces');
  ui.tabMap.classList.toggle('active', route.view === 'map');
  ui.tabTraces.setAttribute('aria-selected', String(route.view === 'traces'));
  ui.tabMap.setAttribute('aria-selected', String(route.view === 'map'));
  ui.viewSampling.hidden = route.view !== 'sampling';
  ui.tabSampling.classList.toggle('active', route.view === 'sampling');
  ui.tabSampling.setAttribute('aria-selected', String(route.view === 'sampling'));
  if (route.view === 'map') {
    refreshMap();
  } else if (route.view === 'sampling') {
    refreshSampling();
  } else {
    refreshList();
    if (route.traceId) openTrace(route.traceId, route.entityId);
  }
  if (viewChanged || route.filter === null || (!route.fixedRange && !route.seconds)) writeRoute();
}

// ------------------------------------------------------------------ list/timeline splitter

function installSplitter() {
  const stored = Number(localStorage.getItem('radiograph.listHeight'));
  if (stored > 80) ui.split.style.setProperty('--list-height', `${stored}px`);
  ui.splitter.addEventListener('pointerdown', (event) => {
    event.preventDefault();
    ui.splitter.setPointerCapture(event.pointerId);
    const top = ui.split.getBoundingClientRect().top;
    const move = (e) => {
      const height = Math.max(90, Math.min(ui.split.clientHeight - 140, e.clientY - top));
      ui.split.style.setProperty('--list-height', `${height}px`);
    };
    const up = (e) => {
      move(e);
      localStorage.setItem('radiograph.listHeight', String(Math.round(e.clientY - top)));
      ui.splitter.removeEventListener('pointermove', move);
      ui.splitter.removeEventListener('pointerup', up);
    };
    ui.splitter.addEventListener('pointermove', move);
    ui.splitter.addEventListener('pointerup', up);
  });
}

// ------------------------------------------------------------------ wiring

ui.filterForm.addEventListener('submit', (event) => {
  event.preventDefault();
  applyFilter();
});
ui.filter.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') ui.filter.blur();
});
ui.filterClear.addEventListener('click', () => {
  ui.filter.value = '';
  applyFilter();
  ui.filter.focus();
});
ui.range.addEventListener('change', () => {
  if (ui.range.value !== 'custom') {
    state.fixedRange = null;
    const custom = ui.range.querySelector('option[data-custom]');
    if (custom) custom.remove();
  }
  writeRoute();
  refreshView();
});
ui.live.addEventListener('change', scheduleLive);
ui.refresh.addEventListener('click', () => {
  state.busy = false;
  refreshAll();
});
$('map-fit').addEventListener('click', () => serviceMap.fit());
window.addEventListener('hashchange', applyRoute);
document.addEventListener('keydown', (event) => {
  const typing = event.target.closest && event.target.closest('input, select, textarea');
  if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === '/') {
    event.preventDefault();
    if (state.view !== 'traces') location.hash = '#/traces';
    ui.filter.focus();
    ui.filter.select();
  } else if (event.key === 'r') {
    refreshAll();
  } else if (state.view === 'traces' && ui.compare.hidden) {
    // j/k, arrows, Enter and Esc move through the timeline from anywhere but a control.
    const control = event.target.closest && event.target.closest('button, a, tr.trace-row');
    if (control && (event.key === 'Enter' || event.key === ' ' || event.key.startsWith('Arrow'))) return;
    timeline.onKey(event);
  }
});

installSplitter();
installTraceTools();
installTimeZone($('utc'), () => {
  traceList.redraw();
  if (timeline.model) {
    timeline.show(timeline.model);
    if (timeline.selectedId && timeline.detailsOpen) detail.show(timeline.model.nodes.get(timeline.selectedId), timeline.model);
  }
  if (state.fixedRange) selectFixedRange(state.fixedRange);
  refreshList();
});
applyRoute();
refreshStats();
savedFilters.load();
scheduleLive();
