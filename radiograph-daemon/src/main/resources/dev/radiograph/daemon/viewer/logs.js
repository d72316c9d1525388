// From a trace to its log lines: the "Logs" links of the daemon's --logs-url template, and the
// ids to paste into a log search (or grep) when there is no template.
//
// The daemon checked the template at start-up and hands it over split into literal text and
// placeholder names (GET /radiograph/viewer-settings), so the viewer never parses it. Values come
// from documents and are untrusted: each is percent-encoded before it is put in, and the link is
// built with el() (setAttribute), never as markup.

import { copyButton, el } from './dom.js';

/** Percent-encodes all but RFC 3986's unreserved characters, as the daemon's LogsUrlTemplate does. */
function encodeValue(value) {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** 1-5759e988-bd862e3fe1be46a994272793 -> 5759e988bd862e3fe1be46a994272793 (what Spring Boot and OpenTelemetry log). */
export function w3cTraceId(xrayTraceId) {
  const m = /^1-([0-9a-f]{8})-([0-9a-f]{24})$/.exec(String(xrayTraceId ?? ''));
  return m ? m[1] + m[2] : '';
}

function millis(seconds, round) {
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? String(round(seconds * 1000)) : '';
}

/** The placeholder values of one entity: its ids, its segment's name, its start and end (epoch ms). */
function entityValues(node, model, start, end) {
  return {
    traceId: w3cTraceId(model.id),
    xrayTraceId: String(model.id ?? ''),
    spanId: node ? node.id : '',
    service: node && node.service ? node.service : '',
    // Rounded outwards so that a search over [start, end] holds every line of the entity.
    start: millis(start, Math.floor),
    end: millis(end, Math.ceil),
  };
}

/** The template filled with `values`, or null when there is no template or the result is not http(s). */
function logsHref(logsUrl, values) {
  if (!logsUrl || !Array.isArray(logsUrl.parts)) return null;
  const href = logsUrl.parts.map((part) => (typeof part.placeholder === 'string'
    ? encodeValue(Object.hasOwn(values, part.placeholder) ? values[part.placeholder] : '')
    : String(part.text ?? ''))).join('');
  // The daemon allows only http(s) templates with a literal host; checked again here so that no
  // other kind of URL can ever become a link.
  let url;
  try {
    url = new URL(href);
  } catch (e) {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? href : null;
}

function logsLink(href, title) {
  if (!href) return null;
  return el('a', { class: 'logs-link', href, target: '_blank', rel: 'noopener noreferrer', title }, 'Logs');
}

/**
 * The trace's "Logs" link, or null without a template. A trace's link is its root segment's
 * (spanId and service of the entry segment) over the whole trace's time.
 */
export function traceLogsLink(logsUrl, model) {
  if (!logsUrl || !model) return null;
  const root = model.roots.find((n) => n.isSegment) || model.roots[0] || null;
  return logsLink(logsHref(logsUrl, entityValues(root, model, model.start, model.end)), 'This trace\'s log lines');
}

/**
 * The detail panel's "Logs" section of an entity: its link when there is a template, and the
 * ids its log lines carry, each with a copy button. An entity in progress has no end yet: its
 * search runs to now.
 */
export function entityLogsSection(logsUrl, node, model) {
  const end = node.inProgress ? Date.now() / 1000 : node.end;
  const values = entityValues(node, model, node.start, end);
  const ids = [
    ['traceId (W3C)', 'traceId', values.traceId],
    ['X-Ray trace id', 'xrayTraceId', values.xrayTraceId],
    ['spanId (entity id)', 'spanId', values.spanId],
  ];
  return el('section', { class: 'detail-section logs' },
    el('h3', { text: 'Logs' }),
    logsLink(logsHref(logsUrl, values), 'This entity\'s log lines'),
    el('dl', { class: 'kv log-ids' }, ids.map(([label, key, value]) => [
      el('dt', { text: label }),
      el('dd', null, el('code', { dataset: { logId: key }, text: value }), ' ', copyButton(value, `Copy ${label}`)),
    ])));
}
