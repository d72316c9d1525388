// A trace as a file: downloaded in the shape `aws xray batch-get-traces` prints, and read back from
// such a file, from one saved from AWS X-Ray (the console's or the CLI's), or from a plain list of
// segment documents. Documents may be in any order and subsegments nested or sent on their own:
// buildTrace (tracemodel.js) assembles them as it does the daemon's answers.

/** The BatchGetTraces JSON of one trace: {"Traces":[{"Id","Duration","Segments":[{"Id","Document"}]}]}. */
export function batchGetTracesJson(trace, duration) {
  const segments = (trace.Segments || []).map((s) => ({
    Id: s.Id,
    Document: typeof s.Document === 'string' ? s.Document : JSON.stringify(s.Document),
  }));
  const out = { Id: trace.Id, Duration: typeof trace.Duration === 'number' ? trace.Duration : duration, LimitExceeded: trace.LimitExceeded === true, Segments: segments };
  return JSON.stringify({ Traces: [out], UnprocessedTraceIds: [] }, null, 2);
}

/**
 * Saves `trace` as `<trace id>.json`. Needs no server: a Blob URL (`blob:`), which the daemon's
 * Content-Security-Policy allows for downloads as it names no navigation directive.
 */
export function downloadTrace(trace, duration) {
  const blob = new Blob([batchGetTracesJson(trace, duration)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `${trace.Id || 'trace'}.json`;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A segment document as an object, or null when it is not JSON. */
function documentOf(segment) {
  if (isObject(segment) && 'Document' in segment) {
    if (isObject(segment.Document)) return segment.Document;
    try {
      const doc = JSON.parse(segment.Document);
      return isObject(doc) ? doc : null;
    } catch (e) {
      return null;
    }
  }
  return isObject(segment) && typeof segment.id === 'string' ? segment : null;
}

/**
 * The traces in a file's text, each {Id, Duration?, Segments:[{Id, Document}]}. Accepts
 * BatchGetTraces output ({Traces:[...]}), one trace ({Id, Segments}), a list of traces, {Segments}
 * alone, or a list of segment documents (grouped by their trace_id).
 * @throws {Error} with a message for the user when the text is none of these
 */
export function readTraceFile(text) {
  let data;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`not JSON: ${e.message}`);
  }
  let traces;
  if (isObject(data) && Array.isArray(data.Traces)) traces = data.Traces;
  else if (Array.isArray(data) && data.every((t) => isObject(t) && Array.isArray(t.Segments))) traces = data;
  else if (isObject(data) && Array.isArray(data.Segments)) traces = [data];
  else if (Array.isArray(data)) traces = [{ Segments: data }];
  else if (isObject(data) && typeof data.trace_id === 'string') traces = [{ Segments: [data] }];
  else throw new Error('expected the output of batch-get-traces ({"Traces": [...]}), a trace or segment documents');

  const result = [];
  for (const trace of traces.filter(isObject)) {
    // Group by trace_id: a list of documents may hold several traces.
    const byTrace = new Map();
    for (const segment of Array.isArray(trace.Segments) ? trace.Segments : []) {
      const doc = documentOf(segment);
      if (!doc) continue;
      const id = typeof doc.trace_id === 'string' ? doc.trace_id : (typeof trace.Id === 'string' ? trace.Id : 'unknown-trace');
      if (!byTrace.has(id)) byTrace.set(id, []);
      byTrace.get(id).push({ Id: typeof segment.Id === 'string' ? segment.Id : doc.id, Document: JSON.stringify(doc) });
    }
    for (const [id, segments] of byTrace) {
      result.push({ Id: typeof trace.Id === 'string' && byTrace.size === 1 ? trace.Id : id, Duration: trace.Duration, LimitExceeded: trace.LimitExceeded === true, Segments: segments });
    }
  }
  if (!result.length) throw new Error('the file holds no segment documents');
  return result;
}
