// The daemon's HTTP API: the AWS X-Ray API shapes (POST, JSON bodies) plus /radiograph/stats and
// /radiograph/viewer-settings.

/** An error answer from the daemon: HTTP status, X-Ray error type and message. */
export class ApiError extends Error {
  constructor(status, type, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.type = type;
  }

  /** True for a 4xx InvalidRequestException: the request (usually the filter) was wrong. */
  get invalidRequest() {
    return this.status >= 400 && this.status < 500;
  }
}

async function call(method, path, body, signal) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? { Accept: 'application/json' } : { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      signal,
    });
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'NetworkError', 'The daemon is not reachable');
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch (e) {
      data = null;
    }
  }
  if (!response.ok) {
    const type = data && (data.__type || data.code) || `HTTP ${response.status}`;
    const message = data && (data.message || data.Message) || text || response.statusText;
    throw new ApiError(response.status, String(type).replace(/^.*#/, ''), String(message));
  }
  return data || {};
}

const MAX_SUMMARY_PAGES = 50;
export const MAX_SUMMARIES = 5000;

/**
 * GetTraceSummaries over [startTime, endTime] (epoch seconds), following NextToken so that the
 * whole range is listed (up to MAX_SUMMARIES). Returns {summaries, processed, truncated}.
 * `onFirstPage(summaries)`, when more pages follow, gets the first page to show meanwhile.
 */
export async function traceSummaries({ startTime, endTime, filter, signal, onFirstPage }) {
  const summaries = [];
  let processed = 0;
  let nextToken = null;
  for (let page = 0; page < MAX_SUMMARY_PAGES; page++) {
    const body = { StartTime: startTime, EndTime: endTime, NextToken: nextToken };
    if (filter) body.FilterExpression = filter;
    const data = await call('POST', '/TraceSummaries', body, signal);
    for (const summary of data.TraceSummaries || []) summaries.push(summary);
    processed += data.TracesProcessedCount || 0;
    nextToken = data.NextToken || null;
    if (!nextToken || summaries.length >= MAX_SUMMARIES) break;
    if (page === 0 && onFirstPage) onFirstPage(summaries.slice());
  }
  return { summaries, processed, truncated: nextToken !== null };
}

/** BatchGetTraces for one trace: {Id, Duration, LimitExceeded, Segments:[{Id, Document}]} or null. */
export async function trace(traceId, signal) {
  const data = await call('POST', '/Traces', { TraceIds: [traceId] }, signal);
  const traces = data.Traces || [];
  return traces.find((t) => t.Id === traceId) || traces[0] || null;
}

/** GetServiceGraph over [startTime, endTime] (epoch seconds). */
export async function serviceGraph({ startTime, endTime, signal }) {
  const services = [];
  let nextToken = null;
  let data = {};
  for (let page = 0; page < MAX_SUMMARY_PAGES; page++) {
    const body = { StartTime: startTime, EndTime: endTime };
    if (nextToken) body.NextToken = nextToken;
    data = await call('POST', '/ServiceGraph', body, signal);
    for (const service of data.Services || []) services.push(service);
    nextToken = data.NextToken || null;
    if (!nextToken) break;
  }
  return { Services: services, StartTime: data.StartTime, EndTime: data.EndTime };
}

/**
 * The response-time distribution of every trace matching `filter` in [startTime, endTime]:
 * {Buckets:[{From, To, Count}], Total} (the daemon's POST /radiograph/histogram).
 */
export function responseTimeHistogram({ startTime, endTime, filter, buckets, signal }) {
  const body = { StartTime: startTime, EndTime: endTime };
  if (filter) body.FilterExpression = filter;
  if (buckets) body.Buckets = buckets;
  return call('POST', '/radiograph/histogram', body, signal);
}

/** GetGroups: the X-Ray groups, [{GroupName, GroupARN, FilterExpression, InsightsConfiguration}]. */
export async function groups(signal) {
  const data = await call('POST', '/Groups', {}, signal);
  return data.Groups || [];
}

/** The daemon's own counters. */
export function stats(signal) {
  return call('GET', '/radiograph/stats', undefined, signal);
}

/** What the daemon was started with for the viewer: {logsUrl: {template, parts} or null}. */
export function viewerSettings(signal) {
  return call('GET', '/radiograph/viewer-settings', undefined, signal);
}

/** GetSamplingRules: every SamplingRuleRecord the daemon serves (following NextToken). */
export async function samplingRules(signal) {
  const records = [];
  let nextToken = null;
  for (let page = 0; page < MAX_SUMMARY_PAGES; page++) {
    const data = await call('POST', '/GetSamplingRules', nextToken ? { NextToken: nextToken } : {}, signal);
    for (const record of data.SamplingRuleRecords || []) records.push(record);
    nextToken = data.NextToken || null;
    if (!nextToken) break;
  }
  return records;
}

/** GetSamplingStatisticSummaries: [{RuleName, Timestamp, RequestCount, BorrowCount, SampledCount}]. */
export async function samplingStatisticSummaries(signal) {
  const data = await call('POST', '/SamplingStatisticSummaries', {}, signal);
  return data.SamplingStatisticSummaries || [];
}
