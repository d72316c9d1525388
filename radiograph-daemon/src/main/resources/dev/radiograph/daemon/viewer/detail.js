// The detail panel of one segment or subsegment: every block of its document, rendered as text.

import { el, formatMs, formatTimestamp, jsonView, outcome, replaceChildren, serviceHue } from './dom.js';
import { entityLogsSection } from './logs.js';
import { flagsOf } from './tracemodel.js';

const REQUEST_KEYS = ['method', 'url', 'user_agent', 'client_ip', 'x_forwarded_for', 'traced'];
const RESPONSE_KEYS = ['status', 'content_length'];
// The call first, then where it went, then the resource fields (whatever the SDK's field list wrote).
const AWS_KEYS = ['operation', 'region', 'request_id', 'id_2', 'account_id', 'retries'];
const SQL_KEYS = ['url', 'connection_string', 'database_type', 'database_version', 'driver_version', 'user', 'preparation'];
// Fields shown in their own sections; everything else lands in "Other fields".
const KNOWN_FIELDS = new Set(['name', 'id', 'trace_id', 'parent_id', 'type', 'start_time', 'end_time', 'in_progress',
  'namespace', 'origin', 'user', 'service', 'error', 'fault', 'throttle', 'http', 'sql', 'aws', 'annotations',
  'metadata', 'cause', 'subsegments', 'precursor_ids']);

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function display(value) {
  if (value === null || value === undefined) return el('span', { class: 'muted', text: '—' });
  if (typeof value === 'object') return jsonView(value);
  return el('span', { class: typeof value === 'string' ? 'v-str' : 'v-lit', text: String(value) });
}

function kvTable(pairs) {
  const rows = pairs.filter(([, v]) => v !== undefined);
  if (!rows.length) return null;
  return el('dl', { class: 'kv' }, rows.map(([k, v]) => [
    el('dt', { text: k }),
    el('dd', null, v instanceof Node ? v : display(v)),
  ]));
}

/** Known keys first, in order, then any others the document carries. */
function orderedPairs(object, known) {
  if (!isObject(object)) return [];
  const keys = known.filter((k) => k in object).concat(Object.keys(object).filter((k) => !known.includes(k)));
  return keys.map((k) => [k, object[k]]);
}

function section(title, ...content) {
  const body = content.flat().filter(Boolean);
  if (!body.length) return null;
  return el('section', { class: 'detail-section' }, el('h3', { text: title }), body);
}

/** "+12.3 ms" from the trace's start, with the absolute time under it. */
function timeValue(time, model) {
  return el('span', { class: 'time-value' },
    el('span', { text: `+${formatMs(time - model.start)}` }),
    el('span', { class: 'timestamp', text: formatTimestamp(time) }));
}

export class Detail {
  /**
   * @param {HTMLElement} container  #detail
   * @param {(id: string) => void} onSelectEntity  jumps to another entity of the trace
   * @param {object|null} logsUrl  the daemon's logs link template (viewer settings), or null
   */
  constructor(container, onSelectEntity, logsUrl) {
    this.container = container;
    this.logsUrl = logsUrl;
    this.onSelectEntity = onSelectEntity;
    this.shownId = null;
  }

  clear(message) {
    this.shownId = null;
    replaceChildren(this.container, el('div', { class: 'empty', text: message || 'Select a segment or subsegment to see its details.' }));
  }

  show(node, model) {
    if (!node) {
      this.shownId = null;
      this.clear();
      return;
    }
    // The same entity again (a live refresh of the trace): keep the reader's place.
    const scrollTop = this.shownId === node.id ? this.container.scrollTop : 0;
    this.shownId = node.id;
    const doc = node.doc;
    const state = outcome(flagsOf(doc));
    const name = typeof doc.name === 'string' ? doc.name : '(unnamed)';
    const start = typeof doc.start_time === 'number' ? doc.start_time : null;
    const end = node.inProgress ? null : node.end;

    const badges = [
      el('span', { class: ['badge', node.isSegment ? 'segment' : 'subsegment'], text: node.isSegment ? 'Segment' : 'Subsegment' }),
      state !== 'ok' ? el('span', { class: ['badge', state], text: state[0].toUpperCase() + state.slice(1) }) : null,
      doc.error === true && state !== 'error' ? el('span', { class: 'badge error', text: 'Error' }) : null,
      node.inProgress ? el('span', { class: 'badge progress', text: 'In progress' }) : null,
    ];

    const head = el('div', { class: 'detail-head' },
      el('div', { class: 'detail-title' },
        el('span', { class: 'service-dot', style: { '--hue': serviceHue(node.service || name) } }),
        el('h2', { class: 'detail-name', text: name })),
      el('div', { class: 'detail-badges' }, badges));

    const overview = kvTable([
      ['id', el('code', { text: String(doc.id ?? '') })],
      ['trace_id', doc.trace_id !== undefined ? el('code', { text: String(doc.trace_id) }) : undefined],
      ['parent_id', doc.parent_id !== undefined ? this.entityLink(String(doc.parent_id), model) : undefined],
      ['service', node.service && !node.isSegment ? node.service : undefined],
      ['type', doc.type],
      ['namespace', doc.namespace],
      ['origin', doc.origin],
      ['user', doc.user],
      ['start', start !== null ? timeValue(start, model) : undefined],
      ['end', end !== null ? timeValue(end, model) : (node.inProgress ? 'in progress' : undefined)],
      ['duration', end !== null && start !== null ? formatMs(end - start) : undefined],
      ['error', doc.error],
      ['throttle', doc.throttle],
      ['fault', doc.fault],
      ['precursor_ids', Array.isArray(doc.precursor_ids) ? doc.precursor_ids.join(', ') : undefined],
    ]);

    const http = isObject(doc.http) ? doc.http : null;
    const httpSection = http ? section('HTTP',
      isObject(http.request) ? [el('h4', { text: 'Request' }), kvTable(orderedPairs(http.request, REQUEST_KEYS))] : null,
      isObject(http.response) ? [el('h4', { text: 'Response' }), kvTable(orderedPairs(http.response, RESPONSE_KEYS))] : null,
      kvTable(Object.entries(http).filter(([k]) => k !== 'request' && k !== 'response'))) : null;

    const sql = isObject(doc.sql) ? doc.sql : null;
    const sqlSection = sql ? section('SQL',
      typeof sql.sanitized_query === 'string' ? el('pre', { class: 'code-block sql', text: sql.sanitized_query }) : null,
      kvTable(orderedPairs(sql, SQL_KEYS).filter(([k]) => k !== 'sanitized_query'))) : null;

    const awsSection = isObject(doc.aws) ? section('AWS', kvTable(orderedPairs(doc.aws, AWS_KEYS))) : null;
    const serviceSection = isObject(doc.service) ? section('Service', kvTable(Object.entries(doc.service))) : null;

    const annotations = isObject(doc.annotations) ? Object.entries(doc.annotations) : [];
    const annotationSection = annotations.length ? section('Annotations',
      el('table', { class: 'annotations' },
        el('tbody', null, annotations.map(([k, v]) => el('tr', null,
          el('td', { class: 'a-key', text: k }),
          el('td', { class: ['a-value', `t-${typeof v}`] }, typeof v === 'string' ? v : JSON.stringify(v)),
          el('td', { class: 'a-type', text: typeof v })))))) : null;

    const metadata = isObject(doc.metadata) ? Object.entries(doc.metadata) : [];
    const metadataSection = metadata.length ? section('Metadata',
      metadata.map(([namespace, value]) => el('div', { class: 'metadata-ns' },
        el('h4', { text: namespace }),
        jsonView(value)))) : null;

    const causeSection = this.renderCause(doc.cause, model);

    const other = Object.entries(doc).filter(([k]) => !KNOWN_FIELDS.has(k));
    const otherSection = other.length ? section('Other fields', kvTable(other)) : null;

    const raw = { ...doc };
    if (Array.isArray(raw.subsegments)) raw.subsegments = `[${raw.subsegments.length} subsegments, shown in the timeline]`;
    const rawSection = el('details', { class: 'detail-section raw' },
      el('summary', { text: 'Raw document' }),
      jsonView(raw));

    replaceChildren(this.container,
      head,
      el('div', { class: 'detail-body' },
        section('Overview', overview),
        entityLogsSection(this.logsUrl, node, model),
        causeSection,
        awsSection,
        httpSection,
        sqlSection,
        annotationSection,
        metadataSection,
        serviceSection,
        otherSection,
        rawSection));
    this.container.scrollTop = scrollTop;
  }

  entityLink(id, model) {
    const target = model.nodes.get(id);
    if (!target) return el('code', { text: id });
    const name = typeof target.doc.name === 'string' ? target.doc.name : id;
    return el('span', null,
      el('code', { text: id }), ' ',
      el('a', { class: 'link', href: '#', on: { click: (e) => { e.preventDefault(); this.onSelectEntity(id); } } }, name));
  }

  renderCause(cause, model) {
    if (cause === undefined || cause === null) return null;
    if (typeof cause === 'string') {
      // A bare id: the exception is recorded on another entity of the trace.
      const owner = model.exceptionOwners.get(cause);
      return section('Exceptions',
        el('div', { class: 'cause-ref' },
          el('span', { class: 'cause-ref-text', text: `see exception ${cause}` }),
          owner ? el('a', {
            class: 'link', href: '#',
            on: { click: (e) => { e.preventDefault(); this.onSelectEntity(owner.id); } },
          }, ` in ${typeof owner.doc.name === 'string' ? owner.doc.name : owner.id}`) : null));
    }
    if (!isObject(cause)) return section('Exceptions', display(cause));
    const exceptions = Array.isArray(cause.exceptions) ? cause.exceptions.filter(isObject) : [];
    return section('Exceptions',
      kvTable([
        ['working_directory', cause.working_directory],
        ['paths', Array.isArray(cause.paths) && cause.paths.length ? cause.paths.join('\n') : undefined],
      ]),
      exceptions.map((exception) => this.renderException(exception, model)));
  }

  renderException(exception, model) {
    const stack = Array.isArray(exception.stack) ? exception.stack.filter(isObject) : [];
    const causedBy = typeof exception.cause === 'string' ? exception.cause : null;
    const causeOwner = causedBy ? model.exceptionOwners.get(causedBy) : null;
    return el('div', { class: ['exception', exception.remote ? 'remote' : ''], dataset: { exceptionId: String(exception.id ?? '') } },
      el('div', { class: 'exception-head' },
        el('span', { class: 'exception-type', text: exception.type !== undefined ? String(exception.type) : 'Exception' }),
        exception.remote ? el('span', { class: 'badge remote', text: 'remote' }) : null),
      exception.message !== undefined ? el('div', { class: 'exception-message', text: String(exception.message) }) : null,
      el('div', { class: 'exception-meta' },
        exception.id !== undefined ? el('span', null, 'id ', el('code', { text: String(exception.id) })) : null,
        causedBy ? el('span', null, 'caused by ', el('code', { text: causedBy }),
          causeOwner && causeOwner.doc !== undefined ? el('a', {
            class: 'link', href: '#',
            on: { click: (e) => { e.preventDefault(); this.onSelectEntity(causeOwner.id); } },
          }, ` in ${typeof causeOwner.doc.name === 'string' ? causeOwner.doc.name : causeOwner.id}`) : null) : null),
      stack.length ? el('ol', { class: 'stack' }, stack.map((frame) => el('li', { class: 'frame' },
        el('span', { class: 'frame-label', text: frame.label !== undefined ? String(frame.label) : '?' }),
        el('span', { class: 'frame-loc', text: `${frame.path !== undefined ? frame.path : '?'}${frame.line !== undefined ? `:${frame.line}` : ''}` })))) : null,
      exception.truncated ? el('div', { class: 'exception-note', text: `${exception.truncated} more frame${exception.truncated === 1 ? '' : 's'} omitted` }) : null,
      exception.skipped ? el('div', { class: 'exception-note', text: `${exception.skipped} exception${exception.skipped === 1 ? '' : 's'} skipped` }) : null);
  }
}
