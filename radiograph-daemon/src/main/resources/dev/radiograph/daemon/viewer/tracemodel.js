// Builds one tree from a trace's segment documents (BatchGetTraces' Segments[].Document).
//
// A trace arrives as independent documents: segments (one per service hop), and subsegments sent
// on their own (`"type": "subsegment"` with `parent_id`, by streaming or because they ended after
// their segment was sent). Subsegments are nested under their parent by id; a segment whose
// `parent_id` is a subsegment of this trace (the caller's downstream call) is nested under that
// call, so the tree reads as one request crossing services.

/**
 * @typedef {Object} EntityNode
 * @property {string} id
 * @property {Object} doc         the entity's document (embedded subsegments included)
 * @property {boolean} isSegment
 * @property {boolean} independent sent as its own document (segment or streamed subsegment)
 * @property {string|null} service the name of the segment the entity belongs to
 * @property {EntityNode|null} parent
 * @property {EntityNode[]} children
 * @property {number} start        epoch seconds
 * @property {number|null} end     epoch seconds, null when in progress
 * @property {boolean} inProgress
 * @property {boolean} orphan      its parent_id names an entity that is not in the trace
 */

function num(value) {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Prefer a finished document over an in-progress one, then the one that ended last. */
function better(candidate, current) {
  const candidateDone = candidate.in_progress !== true && num(candidate.end_time) !== null;
  const currentDone = current.in_progress !== true && num(current.end_time) !== null;
  if (candidateDone !== currentDone) return candidateDone;
  return (num(candidate.end_time) || 0) >= (num(current.end_time) || 0);
}

export function buildTrace(trace) {
  const problems = [];
  const documents = new Map(); // id -> independent document
  let unnamed = 0;
  for (const segment of (trace && trace.Segments) || []) {
    let doc;
    try {
      doc = typeof segment.Document === 'string' ? JSON.parse(segment.Document) : segment.Document;
    } catch (e) {
      problems.push(`Document ${segment.Id || '?'} is not valid JSON`);
      continue;
    }
    if (!isObject(doc)) {
      problems.push(`Document ${segment.Id || '?'} is not an object`);
      continue;
    }
    const id = typeof doc.id === 'string' ? doc.id : (typeof segment.Id === 'string' ? segment.Id : `unnamed-${++unnamed}`);
    const current = documents.get(id);
    if (!current || better(doc, current)) documents.set(id, doc);
  }

  const nodes = new Map();
  const exceptionOwners = new Map(); // exception id -> node
  const independents = [];

  function register(doc, parent, independent) {
    const id = typeof doc.id === 'string' ? doc.id : `unnamed-${++unnamed}`;
    const existing = nodes.get(id);
    if (existing && !better(doc, existing.doc)) return null;
    const isSegment = independent ? doc.type !== 'subsegment' : false;
    const start = num(doc.start_time);
    const end = doc.in_progress === true ? null : num(doc.end_time);
    const node = {
      id,
      doc,
      isSegment,
      independent,
      service: isSegment ? String(doc.name ?? '') : (parent ? parent.service : null),
      parent: null,
      children: [],
      start: start !== null ? start : 0,
      end,
      inProgress: doc.in_progress === true || end === null,
      orphan: false,
    };
    if (existing) {
      // A later, more complete copy of the same entity: take its place.
      if (existing.parent) existing.parent.children = existing.parent.children.filter((c) => c !== existing);
    }
    nodes.set(id, node);
    if (parent) {
      node.parent = parent;
      parent.children.push(node);
    }
    const cause = doc.cause;
    if (isObject(cause) && Array.isArray(cause.exceptions)) {
      for (const exception of cause.exceptions) {
        if (isObject(exception) && typeof exception.id === 'string' && !exceptionOwners.has(exception.id)) {
          exceptionOwners.set(exception.id, node);
        }
      }
    }
    for (const child of Array.isArray(doc.subsegments) ? doc.subsegments : []) {
      if (isObject(child)) register(child, node, false);
    }
    return node;
  }

  for (const doc of documents.values()) {
    const node = register(doc, null, true);
    if (node) independents.push(node);
  }

  // Nest independent documents under their parent (a segment under the caller's subsegment).
  const roots = [];
  for (const node of independents) {
    if (nodes.get(node.id) !== node) continue; // replaced by another copy
    const parentId = typeof node.doc.parent_id === 'string' ? node.doc.parent_id : null;
    const parent = parentId ? nodes.get(parentId) : null;
    if (parent && parent !== node && !isAncestor(node, parent)) {
      node.parent = parent;
      parent.children.push(node);
      if (!node.isSegment) propagateService(node, parent.service);
    } else {
      // A segment whose caller is not in the trace (an untraced client, a load balancer) is an
      // ordinary root; a subsegment whose parent never arrived is not.
      node.orphan = !node.isSegment;
      roots.push(node);
    }
  }

  const byStart = (a, b) => a.start - b.start || (a.end ?? Infinity) - (b.end ?? Infinity);
  roots.sort(byStart);
  let start = Infinity;
  let end = -Infinity;
  const services = [];
  for (const node of nodes.values()) {
    node.children.sort(byStart);
    if (node.start) start = Math.min(start, node.start);
    if (node.end !== null) end = Math.max(end, node.end);
    if (node.start) end = Math.max(end, node.start);
  }
  for (const node of [...nodes.values()].filter((n) => n.isSegment).sort(byStart)) {
    if (node.service && !services.includes(node.service)) services.push(node.service);
  }
  if (!Number.isFinite(start)) {
    start = 0;
    end = 0;
  }
  if (end <= start) end = start + 0.001;
  const orphans = roots.filter((n) => n.orphan).length;
  if (orphans) problems.push(`${orphans} subsegment${orphans > 1 ? 's' : ''} whose parent is not in the trace`);

  return { id: trace ? trace.Id : null, trace, nodes, roots, start, end, services, exceptionOwners, problems };
}

function isAncestor(candidate, node) {
  for (let n = node; n; n = n.parent) if (n === candidate) return true;
  return false;
}

function propagateService(node, service) {
  node.service = service;
  for (const child of node.children) if (!child.isSegment) propagateService(child, service);
}

/** Depth-first list of [node, depth] honouring collapsed ids. */
export function flatten(model, collapsed) {
  const rows = [];
  const walk = (node, depth) => {
    rows.push([node, depth]);
    if (!collapsed.has(node.id)) for (const child of node.children) walk(child, depth + 1);
  };
  for (const root of model.roots) walk(root, 0);
  return rows;
}

/** The outcome flags of an entity's document. */
export function flagsOf(doc) {
  return { error: doc.error === true, fault: doc.fault === true, throttle: doc.throttle === true };
}

/** The HTTP status of an entity, or null. */
export function httpStatus(doc) {
  const http = isObject(doc.http) ? doc.http : null;
  const response = http && isObject(http.response) ? http.response : null;
  return response && typeof response.status === 'number' ? response.status : null;
}

/** A short kind label: remote / aws / sql / http. */
export function kindOf(node) {
  const doc = node.doc;
  if (node.isSegment) return doc.origin ? String(doc.origin) : '';
  if (isObject(doc.sql)) return 'SQL';
  if (doc.namespace === 'aws') return 'AWS';
  if (doc.namespace === 'remote') return isObject(doc.http) ? 'HTTP' : 'remote';
  return '';
}

/**
 * The critical path: the chain of entities that set the trace's duration. It starts at the root
 * that ends last and repeatedly steps to the child whose end is latest, until a leaf. The rule
 * (as Jaeger's and X-Ray's "what made this slow" reading): a parent cannot end before the work
 * it waits for, so the child that ends last is the one the parent was waiting on when it ended;
 * earlier-ending children ran while the critical one was still going and did not lengthen the
 * trace. An entity in progress counts as ending at the trace's end. Returns the ids, root first.
 */
export function criticalPath(model) {
  const endOf = (node) => (node.end !== null ? node.end : model.end);
  const latest = (nodes) => nodes.reduce((best, n) => (best === null || endOf(n) > endOf(best) ? n : best), null);
  const path = [];
  for (let node = latest(model.roots); node; node = latest(node.children)) path.push(node.id);
  return path;
}

/**
 * Whether an entity's name, annotation values, SQL (query, URL, database) or HTTP URL contain
 * `needle` (case-insensitive): what the trace view's search looks in.
 */
export function entityMatches(node, needle) {
  const doc = node.doc;
  const wanted = needle.toLowerCase();
  const has = (value) => value !== undefined && value !== null && typeof value !== 'object' && String(value).toLowerCase().includes(wanted);
  if (has(doc.name)) return true;
  if (isObject(doc.annotations) && Object.values(doc.annotations).some(has)) return true;
  if (isObject(doc.sql) && Object.values(doc.sql).some(has)) return true;
  const request = isObject(doc.http) && isObject(doc.http.request) ? doc.http.request : null;
  return Boolean(request && has(request.url));
}

/** Total duration (seconds) and count of the entities of each name, for comparing two traces. */
export function durationsByName(model) {
  const byName = new Map();
  for (const node of model.nodes.values()) {
    const name = typeof node.doc.name === 'string' ? node.doc.name : '(unnamed)';
    const entry = byName.get(name) || { seconds: 0, count: 0 };
    entry.seconds += Math.max(0, (node.end !== null ? node.end : model.end) - node.start);
    entry.count += 1;
    byName.set(name, entry);
  }
  return byName;
}
