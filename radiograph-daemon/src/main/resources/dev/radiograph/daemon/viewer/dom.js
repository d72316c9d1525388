// DOM building and formatting helpers.
//
// Everything shown in the viewer that comes from a trace (names, URLs, annotations, metadata,
// exception messages) is untrusted. It only ever reaches the page through textContent,
// setAttribute or createTextNode, never through innerHTML, so markup in a document renders as
// literal text.

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Creates an element. `props`: `class`, `text`, `title`, `dataset` (object), `on` (event
 * name -> handler), `style` (object of CSS properties), any other key as an attribute.
 * Children: nodes, strings (as text), arrays, null/undefined/false (skipped).
 */
export function el(tag, props, ...children) {
  return build(document.createElement(tag), props, children);
}

/** Like {@link el} for SVG elements. */
export function svg(tag, props, ...children) {
  return build(document.createElementNS(SVG_NS, tag), props, children);
}

function build(node, props, children) {
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') {
        node.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
      } else if (key === 'text') {
        node.textContent = String(value);
      } else if (key === 'dataset') {
        for (const [k, v] of Object.entries(value)) node.dataset[k] = String(v);
      } else if (key === 'on') {
        for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
      } else if (key === 'style') {
        for (const [k, v] of Object.entries(value)) node.style.setProperty(k, String(v));
      } else {
        node.setAttribute(key, value === true ? '' : String(value));
      }
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) {
      append(node, child);
    } else if (child instanceof Node) {
      node.appendChild(child);
    } else {
      node.appendChild(document.createTextNode(String(child)));
    }
  }
}

/** Removes all children of `node` and appends `children`. */
export function replaceChildren(node, ...children) {
  node.textContent = '';
  append(node, children);
  return node;
}

/** A small button that copies `text` to the clipboard (where the page may use it). */
export function copyButton(text, label) {
  return el('button', {
    class: 'icon-button copy', type: 'button', title: label, 'aria-label': label,
    on: {
      click: () => {
        if (navigator.clipboard) navigator.clipboard.writeText(text).catch(() => {});
      },
    },
  }, svg('svg', { viewBox: '0 0 16 16', width: '13', height: '13', 'aria-hidden': 'true' },
    svg('rect', { x: '5', y: '5', width: '8.5', height: '8.5', rx: '1.5', fill: 'none', stroke: 'currentColor', 'stroke-width': '1.4' }),
    svg('path', { d: 'M10.5 3.2V3a1 1 0 0 0-1-1H3a1 1 0 0 0-1 1v6.5a1 1 0 0 0 1 1h.2', fill: 'none', stroke: 'currentColor', 'stroke-width': '1.4' })));
}

// ------------------------------------------------------------------ formatting

/** Milliseconds, from seconds: "0.42 ms", "12.3 ms", "1,234 ms". */
export function formatMs(seconds) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return '—';
  const ms = seconds * 1000;
  if (ms < 1) return `${ms.toFixed(3)} ms`;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  return `${group(Math.round(ms))} ms`;
}

/** 1234567 -> "1,234,567" (toLocaleString is slow enough to matter over a thousand rows). */
function group(integer) {
  return String(integer).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A short duration for axis ticks, from milliseconds. */
export function formatTick(ms) {
  if (ms === 0) return '0';
  if (ms >= 1000) return `${trimZeros((ms / 1000).toFixed(2))} s`;
  if (ms >= 1) return `${trimZeros(ms.toFixed(2))} ms`;
  return `${trimZeros((ms * 1000).toFixed(0))} µs`;
}

function trimZeros(text) {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

function pad(n, width = 2) {
  return String(n).padStart(width, '0');
}

// Times read in local time, or in UTC (the top bar's switch; see theme.js).
let utc = false;

/** Shows times in UTC (true) or local time (false) from now on. */
export function setUtc(value) {
  utc = Boolean(value);
  todayCache = { at: 0, text: '' };
}

/** The calendar fields of `d` in the chosen zone. */
function fields(d) {
  return utc
    ? { y: d.getUTCFullYear(), mo: d.getUTCMonth(), day: d.getUTCDate(), h: d.getUTCHours(), mi: d.getUTCMinutes(), s: d.getUTCSeconds(), ms: d.getUTCMilliseconds() }
    : { y: d.getFullYear(), mo: d.getMonth(), day: d.getDate(), h: d.getHours(), mi: d.getMinutes(), s: d.getSeconds(), ms: d.getMilliseconds() };
}

function dateKey(f) {
  return `${f.y}-${f.mo}-${f.day}`;
}

let todayCache = { at: 0, text: '' };
function today() {
  const now = Date.now();
  if (now - todayCache.at > 1000) todayCache = { at: now, text: dateKey(fields(new Date(now))) };
  return todayCache.text;
}

/** Wall-clock time with milliseconds (local, or UTC marked Z), with the date when not today. */
export function formatTime(epochSeconds) {
  if (typeof epochSeconds !== 'number' || !Number.isFinite(epochSeconds)) return '—';
  const f = fields(new Date(epochSeconds * 1000));
  const time = `${pad(f.h)}:${pad(f.mi)}:${pad(f.s)}.${pad(f.ms, 3)}${utc ? 'Z' : ''}`;
  if (dateKey(f) === today()) return time;
  return `${f.y}-${pad(f.mo + 1)}-${pad(f.day)} ${time}`;
}

/** Full ISO-like timestamp with microseconds, in UTC, plus the raw epoch seconds. */
export function formatTimestamp(epochSeconds) {
  if (typeof epochSeconds !== 'number' || !Number.isFinite(epochSeconds)) return '—';
  const d = new Date(Math.floor(epochSeconds * 1000));
  const micros = Math.round((epochSeconds * 1e6) % 1e6);
  const iso = d.toISOString().replace(/\.\d{3}Z$/, '');
  return `${iso}.${pad(Math.max(0, Math.min(999999, micros)), 6)}Z`;
}

/** "3s ago", "5m ago", ... */
export function formatAgo(epochSeconds, nowSeconds = Date.now() / 1000) {
  const s = Math.max(0, nowSeconds - epochSeconds);
  if (s < 60) return `${Math.floor(s)}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

export function formatBytes(bytes) {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes)) return '—';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

export function formatCount(n) {
  if (typeof n !== 'number' || !Number.isFinite(n)) return '—';
  return Number.isInteger(n) ? group(n) : n.toLocaleString('en-US');
}

export function formatPercent(fraction) {
  if (!Number.isFinite(fraction)) return '—';
  const p = fraction * 100;
  if (p === 0) return '0%';
  if (p < 0.1) return '<0.1%';
  return `${p < 10 ? p.toFixed(1) : Math.round(p)}%`;
}

// Hues for services, kept away from the red, orange and purple that mean fault, error, throttle.
const SERVICE_HUES = [205, 165, 135, 188, 228, 95, 48, 318, 150, 240];

/** A stable colour (hue) for a service name, so a service looks the same everywhere. */
export function serviceHue(name) {
  let h = 2166136261;
  for (const ch of String(name)) {
    h ^= ch.codePointAt(0);
    h = Math.imul(h, 16777619);
  }
  return SERVICE_HUES[(h >>> 0) % SERVICE_HUES.length];
}

/** The outcome class of an entity or a summary: fault > throttle > error > ok. */
export function outcome(flags) {
  if (!flags) return 'ok';
  if (flags.fault) return 'fault';
  if (flags.throttle) return 'throttle';
  if (flags.error) return 'error';
  return 'ok';
}

/** Renders a JSON value as highlighted, indented text (text nodes only). */
export function jsonView(value) {
  const pre = el('pre', { class: 'json' });
  writeJson(pre, value, 0);
  return pre;
}

function writeJson(out, value, indent) {
  const spaces = '  '.repeat(indent);
  const inner = '  '.repeat(indent + 1);
  if (value === null || value === undefined) {
    out.appendChild(el('span', { class: 'j-null', text: 'null' }));
  } else if (typeof value === 'string') {
    out.appendChild(el('span', { class: 'j-str', text: JSON.stringify(value) }));
  } else if (typeof value === 'number') {
    out.appendChild(el('span', { class: 'j-num', text: String(value) }));
  } else if (typeof value === 'boolean') {
    out.appendChild(el('span', { class: 'j-bool', text: String(value) }));
  } else if (Array.isArray(value)) {
    if (value.length === 0) {
      out.appendChild(document.createTextNode('[]'));
      return;
    }
    out.appendChild(document.createTextNode('[\n'));
    value.forEach((item, i) => {
      out.appendChild(document.createTextNode(inner));
      writeJson(out, item, indent + 1);
      out.appendChild(document.createTextNode(i < value.length - 1 ? ',\n' : '\n'));
    });
    out.appendChild(document.createTextNode(`${spaces}]`));
  } else if (typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) {
      out.appendChild(document.createTextNode('{}'));
      return;
    }
    out.appendChild(document.createTextNode('{\n'));
    entries.forEach(([k, v], i) => {
      out.appendChild(document.createTextNode(inner));
      out.appendChild(el('span', { class: 'j-key', text: JSON.stringify(k) }));
      out.appendChild(document.createTextNode(': '));
      writeJson(out, v, indent + 1);
      out.appendChild(document.createTextNode(i < entries.length - 1 ? ',\n' : '\n'));
    });
    out.appendChild(document.createTextNode(`${spaces}}`));
  } else {
    out.appendChild(document.createTextNode(String(value)));
  }
}
